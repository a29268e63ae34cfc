"""Reads shared by the applicant pages. Every query starts from the user: what is not theirs
does not exist for them."""

from datetime import datetime

from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone

from cohorts.selectors import visible_cohorts

from .enums import INTERNAL_STATUSES, ApplicantStatus, ApplicationStatus
from .models import Application, ApplicationEvent, Membership, Startup

APPLICANT_VISIBLE = [
    ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN,
]  # fmt: skip


def startups_of(user) -> QuerySet[Startup]:
    return Startup.objects.filter(memberships__user=user)


def applications_of(user) -> QuerySet[Application]:
    """The user's startups' applications, except to a cohort that is not published: until it
    is, it does not exist for applicants (its own staff still reach it)."""
    return (
        Application.objects.filter(startup__memberships__user=user)
        .filter(visible_cohorts(user, "cohort"))
        .select_related("startup", "cohort__program")
    )


def dashboard_memberships(user) -> list[Membership]:
    """The user's startups, each with its applications (cohort, program, events) to cohorts
    they may see, in a fixed number of queries."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("startup")
        .prefetch_related(
            Prefetch(
                "startup__applications",
                queryset=_with_change_times(
                    Application.objects.filter(visible_cohorts(user, "cohort")).select_related(
                        "cohort__program"
                    )
                ).prefetch_related(
                    "extensions",
                    # Decisions in the making stay internal until they are published.
                    Prefetch(
                        "events",
                        queryset=ApplicationEvent.objects.filter(to_status__in=APPLICANT_VISIBLE),
                    ),
                ),
            )
        )
    )


def applicant_status(application: Application, now: datetime | None = None) -> ApplicantStatus:
    """What the applicant is told: decisions in the making read "under review"."""
    now = now or timezone.now()
    status = application.status
    if status == ApplicationStatus.WITHDRAWN:
        return ApplicantStatus.WITHDRAWN
    if status == ApplicationStatus.DRAFT:
        if application.accepts_submissions(now):
            return ApplicantStatus.DRAFT
        return ApplicantStatus.NOT_SUBMITTED
    if status in INTERNAL_STATUSES or not application.accepts_submissions(now):
        return ApplicantStatus.UNDER_REVIEW
    return ApplicantStatus.SUBMITTED


def changed_since_submitted(application: Application) -> bool:
    """Whether an answer was saved after the latest submitted version (lists annotate
    `last_submitted_at` and `last_answer_saved_at` to answer without a query)."""
    if not hasattr(application, "last_submitted_at"):
        application = _with_change_times(Application.objects.filter(pk=application.pk)).get()
    if application.last_submitted_at is None or application.last_answer_saved_at is None:
        return False
    return application.last_answer_saved_at > application.last_submitted_at


def _with_change_times(queryset: QuerySet[Application]) -> QuerySet[Application]:
    return queryset.annotate(
        last_submitted_at=Max("submissions__submitted_at"),
        last_answer_saved_at=Max("answers__updated_at"),
    )


def latest_submission(application: Application):
    """What readers (reviewers, exports, emails) see: the last submitted version."""
    return application.submissions.order_by("-number").first()
