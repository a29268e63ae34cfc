"""Reads of the interview stage (#17): who may sit on a panel, which slots a startup may
book, the stage page's rows. Each list is a fixed number of queries whatever its size."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from applications.enums import ApplicationStatus
from applications.models import Application
from reviews.enums import ConflictState
from reviews.models import Conflict, Reviewer
from reviews.scoring import CriterionScore, weighted_score

from .models import (
    ApplicationEstimate,
    InterviewBooking,
    InterviewInvitation,
    InterviewPanelist,
    InterviewScore,
    InterviewSlot,
)
from .selectors import conflicted_application_ids, ranked_applications


def panel_candidates(cohort) -> QuerySet:
    """The cohort's staff (its program's managers) and its accepted reviewers."""
    reviewers = Reviewer.objects.filter(cohort=cohort, user__isnull=False).values("user_id")
    return (
        get_user_model()
        .objects.filter(Q(managed_programs=cohort.program_id) | Q(pk__in=reviewers), is_active=True)
        .distinct()
        .order_by("full_name", "email")
    )


def panel_candidate_ids(cohort) -> set[int]:
    return set(panel_candidates(cohort).values_list("pk", flat=True))


def shortlist_preview(cohort, user, min_p_top: float) -> list[ApplicationEstimate]:
    """Submitted applications with P(top k) of at least `min_p_top`: who "shortlist every
    application with P(top k) ≥ X" would take, the user's conflicted ones left out."""
    return list(
        ApplicationEstimate.objects.filter(cohort=cohort, p_top__gte=min_p_top)
        .filter(application__in=ranked_applications(cohort))
        .filter(application__status=ApplicationStatus.SUBMITTED)
        .exclude(application_id__in=conflicted_application_ids(user, cohort))
        .select_related("application__startup")
        .order_by("-p_top", "rank", "application_id")
    )


def _conflicted_panel(application_id) -> Exists:
    return Exists(
        InterviewPanelist.objects.filter(
            slot=OuterRef("pk"),
            user_id__in=Conflict.objects.filter(
                application_id=application_id, state=ConflictState.CONFIRMED
            ).values("user_id"),
        )
    )


def free_slots(application, now: datetime | None = None) -> list[InterviewSlot]:
    """Slots the startup may take: in its cohort, not started, free, and whose panel has no one
    in conflict with it."""
    return list(
        InterviewSlot.objects.filter(
            cohort_id=application.cohort_id,
            starts_at__gt=now or timezone.now(),
            booking__isnull=True,
        )
        .exclude(_conflicted_panel(application.pk))
        .order_by("starts_at", "place", "pk")
    )


def booking_of(application) -> InterviewBooking | None:
    return (
        InterviewBooking.objects.filter(application_id=application.pk)
        .select_related("slot")
        .first()
    )


def invitation_of(application) -> InterviewInvitation | None:
    return InterviewInvitation.objects.filter(application_id=application.pk).first()


def invited_stages(application_ids) -> dict:
    """applications.registries.applicant_stages: invited (and still shortlisted) read
    "Invited to interview"."""
    from applications.enums import ApplicantStatus

    ids = InterviewInvitation.objects.filter(
        application_id__in=list(application_ids),
        application__status=ApplicationStatus.SHORTLISTED,
    ).values_list("application_id", flat=True)
    return dict.fromkeys(ids, ApplicantStatus.INVITED_TO_INTERVIEW)


def cohort_slots(cohort) -> list[InterviewSlot]:
    """Every slot of the cohort with its panel and booking (staff page)."""
    return list(
        InterviewSlot.objects.filter(cohort=cohort)
        .select_related("booking__application__startup")
        .prefetch_related(Prefetch("panelists", InterviewPanelist.objects.select_related("user")))
        .order_by("starts_at", "place", "pk")
    )


def interview_mean(scores: dict, criteria) -> float | None:
    """A panel member's weighted score on 0–1, by the review's own definition
    (reviews.scoring.weighted_score); None until every weighted criterion is scored."""
    criteria = list(criteria)
    if any(criterion.weight and scores.get(f"c{criterion.pk}") is None for criterion in criteria):
        return None
    return weighted_score(
        CriterionScore(criterion_id=criterion.pk, name=criterion.name,
                       weight=Decimal(criterion.weight), scale_max=criterion.scale_max,
                       score=scores.get(f"c{criterion.pk}"), not_applicable=False)
        for criterion in criteria
    )  # fmt: skip


def scores_mean(scores) -> float | None:
    """The mean of the panel's weighted scores, those not complete yet left out."""
    done = [score for score in scores if score is not None]
    return sum(done) / len(done) if done else None


@dataclass(frozen=True)
class InterviewSummary:
    """An application's interview scores by panel member, without a name or a note:
    [(user id, weighted score 0–1 or None)] in user id order, and their mean."""

    scores: list
    mean: float | None


def interview_summaries(cohort, application_ids) -> dict[int, InterviewSummary]:
    """Each application's interview scores, weighted as the stage page does (interview_mean),
    for the decisions page and the decision record. Two queries whatever the number; an
    application without a score has no entry."""
    criteria = list(cohort.interview_criteria.all())
    by_application: dict[int, list] = {}
    rows = (
        InterviewScore.objects.filter(application_id__in=list(application_ids))
        .order_by("application_id", "user_id")
        .values_list("application_id", "user_id", "scores")
    )
    for application_id, user_id, scores in rows:
        score = interview_mean(scores, criteria)
        by_application.setdefault(application_id, []).append((user_id, score))
    return {
        application_id: InterviewSummary(scores, scores_mean(s for _user, s in scores))
        for application_id, scores in by_application.items()
    }


@dataclass
class StageRow:
    application: Application
    estimate: ApplicationEstimate | None
    invited: bool
    slot: InterviewSlot | None
    panel: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # [(name, score 0–1 or None, notes)]
    mean: float | None = None


STAGE_SORTS = ["startup", "slot", "calibrated", "p_top", "interview"]


def stage_rows(cohort, user, sort: str = "slot") -> list[StageRow]:
    """Each shortlisted startup (the user's conflicted ones left out) with its slot, panel,
    review-stage estimates and interview scores."""
    criteria = list(cohort.interview_criteria.all())
    applications = (
        ranked_applications(cohort)
        .filter(status=ApplicationStatus.SHORTLISTED)
        .exclude(pk__in=conflicted_application_ids(user, cohort))
        .select_related("startup", "estimate", "interview_invitation", "interview_booking__slot")
        .prefetch_related(
            Prefetch(
                "interview_booking__slot__panelists",
                InterviewPanelist.objects.select_related("user"),
            ),
            Prefetch("interview_scores", InterviewScore.objects.select_related("user")),
        )
    )
    rows = []
    for application in applications:
        booking = (
            getattr(application, "interview_booking", None)
            if _has(application, "interview_booking")
            else None
        )
        slot = booking.slot if booking else None
        scores = [
            (s.user.get_full_name() or s.user.email, interview_mean(s.scores, criteria), s.notes)
            for s in application.interview_scores.all()
        ]
        rows.append(
            StageRow(
                application=application,
                estimate=application.estimate if _has(application, "estimate") else None,
                invited=_has(application, "interview_invitation"),
                slot=slot,
                panel=[p.user.get_full_name() or p.user.email for p in slot.panelists.all()]
                if slot else [],
                scores=scores,
                mean=scores_mean(score for _name, score, _notes in scores),
            )
        )  # fmt: skip
    return sorted(rows, key=_sort_key(sort.removeprefix("-")), reverse=sort.startswith("-"))


def _has(application, name: str) -> bool:
    try:
        return getattr(application, name) is not None
    except Exception:  # RelatedObjectDoesNotExist, whichever relation
        return False


def _sort_key(key: str):
    far = datetime.max.replace(tzinfo=UTC)

    def by(row: StageRow):
        name = row.application.startup.name.lower()
        if key == "startup":
            return (name,)
        if key == "calibrated":
            value = row.estimate.calibrated_score if row.estimate else None
            return (value is None, -(value or 0), name)
        if key == "p_top":
            value = row.estimate.p_top if row.estimate else None
            return (value is None, -(value or 0), name)
        if key == "interview":
            return (row.mean is None, -(row.mean or 0), name)
        return (row.slot is None, row.slot.starts_at if row.slot else far, name)

    return by


def panel_interviews(user) -> list[InterviewBooking]:
    """The interviews the user sits on, soonest first."""
    return list(
        InterviewBooking.objects.filter(slot__panelists__user=user)
        .exclude(application_id__in=Conflict.objects.filter(
            user=user, state=ConflictState.CONFIRMED).values("application_id"))
        .select_related("slot", "application__startup", "application__cohort__program")
        .order_by("slot__starts_at")
    )  # fmt: skip


def panelist_data_export(user) -> dict:
    """The interviews part of the user's data export (registered with accounts): the scores
    and notes they gave as a panel member, each application named by its id."""
    scores = (
        InterviewScore.objects.filter(user=user)
        .select_related("application__cohort")
        .order_by("application_id")
    )
    return {
        "interview_scores": [
            {
                "application": score.application_id,
                "cohort": score.application.cohort.name,
                "scores": score.scores,
                "notes": score.notes,
                "updated_at": score.updated_at.isoformat(),
            }
            for score in scores
        ]
    }
