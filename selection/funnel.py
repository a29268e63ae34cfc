"""The call's funnel (#19): how many applications reached each stage, counted from their
history, so an application that moved on (or left) still counts at every stage it passed.
Three queries whatever the cohort's size."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationStatus
from applications.models import Application
from reviews.models import Review

from .models import Offer, OfferState


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int


STATUS_STAGES = [
    ("submitted", _("Submitted"), ApplicationStatus.SUBMITTED),
    ("shortlisted", _("Shortlisted"), ApplicationStatus.SHORTLISTED),
    ("winners", _("Winners"), ApplicationStatus.WINNER),
]


def cohort_funnel(cohort) -> list[Stage]:
    # Every application was started (its row is the start); the rest from its events.
    events = Application.objects.filter(cohort=cohort).aggregate(
        started=Count("pk", distinct=True),
        **{
            key: Count("pk", distinct=True, filter=Q(events__to_status=status))
            for key, _label, status in STATUS_STAGES
        },
        # Interviewed: at least one panel member's score sheet on it.
        interviewed=Count("pk", distinct=True, filter=Q(interview_scores__isnull=False)),
    )
    submitted_reviews = (
        Review.objects.filter(application=OuterRef("pk"), submitted_at__isnull=False)
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    reviewed = (
        Application.objects.filter(cohort=cohort)
        .annotate(submitted_review_count=Coalesce(Subquery(submitted_reviews), 0))
        .filter(submitted_review_count__gte=max(cohort.reviews_per_application, 1))
        .count()
    )
    accepted = Offer.objects.filter(cohort=cohort, state=OfferState.ACCEPTED).count()
    labels = {key: label for key, label, _status in STATUS_STAGES}
    return [
        Stage("started", _("Started"), events["started"]),
        Stage("submitted", labels["submitted"], events["submitted"]),
        Stage("reviewed", _("Reviewed"), reviewed),
        Stage("shortlisted", labels["shortlisted"], events["shortlisted"]),
        Stage("interviewed", _("Interviewed"), events["interviewed"]),
        Stage("winners", labels["winners"], events["winners"]),
        Stage("accepted", _("Accepted"), accepted),
    ]
