"""Reads of the ranking: what the fit reads (the reviews that count, per ranked application)
and what the pages read (the stored estimates, filtered, sorted and paged in SQL)."""

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, FloatField, OuterRef, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from applications.enums import ApplicationStatus
from applications.models import Application
from applications.search import search
from applications.selectors import StaffFilters
from reviews.enums import ConflictState
from reviews.models import Conflict, Review, Reviewer, ReviewField
from reviews.scoring import criterion_scores, weighted_score
from reviews.selectors import scored_reviews

from .model import UNCERTAIN_HIGH, UNCERTAIN_LOW
from .models import ApplicationEstimate, DecisionRecord, Ranking, ReviewerLeniency

# Submitted, whatever became of them since; drafts and withdrawals are not ranked.
RANKED_STATUSES = (
    ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.WAITLISTED,
    ApplicationStatus.WINNER, ApplicationStatus.REJECTED,
)  # fmt: skip
DEFAULT_K = 5
PAGE_SIZE = 250


def ranked_applications(cohort) -> QuerySet[Application]:
    """The one definition of which applications the ranking counts: submitted, not withdrawn,
    not screened out."""
    return Application.objects.filter(
        cohort=cohort, status__in=RANKED_STATUSES, screened_out_at__isnull=True
    )


def screened_out_applications(cohort) -> list[Application]:
    """Screened-out applications: listed apart from the ranking, unranked."""
    return list(
        Application.objects.filter(
            cohort=cohort, status__in=RANKED_STATUSES, screened_out_at__isnull=False
        )
        .select_related("startup")
        .order_by("startup__name", "pk")
    )


def cohort_k(cohort) -> int:
    """How many places the ranking is about: the cohort's capacity, or 5 without one."""
    return cohort.capacity or DEFAULT_K


@dataclass
class ScoredReview:
    review_id: int
    application_id: int
    reviewer_id: int
    score: float  # the weighted score, 0–1
    criterion_scores: dict[int, int]  # criterion id → score given (not applicable left out)
    recommendation: str


@dataclass
class RankingInputs:
    application_ids: list[int]  # ranked, in id order
    reviews: list[ScoredReview]  # that count and have a weighted score, by (application, reviewer)
    excluded: dict[int, int] = field(default_factory=dict)  # application id → reviews not counted

    def digest(self, k: int) -> str:
        """What the fit read, hashed: the same inputs give the same hash."""
        digest = hashlib.sha256(f"k={k};".encode())
        digest.update(",".join(map(str, self.application_ids)).encode())
        for review in self.reviews:
            digest.update(f";{review.application_id}:{review.reviewer_id}:{review.score!r}"
                          .encode())  # fmt: skip
        for application_id, count in sorted(self.excluded.items()):
            digest.update(f";x{application_id}:{count}".encode())
        return digest.hexdigest()


def ranking_inputs(cohort) -> RankingInputs:
    """The ranked applications and the reviews that count (a confirmed conflict excludes a
    review), each with its weighted score: five queries whatever the size."""
    application_ids = list(ranked_applications(cohort).order_by("pk").values_list("pk", flat=True))
    criteria = list(cohort.criteria.all())
    counted = list(
        Review.objects.filter(pk__in=_scored_review_ids(application_ids))
        .order_by("application_id", "reviewer_id")
        .values_list("pk", "application_id", "reviewer_id")
    )
    values: dict[int, dict[str, str]] = defaultdict(dict)
    for review_id, key, value in ReviewField.objects.filter(
        review_id__in=[row[0] for row in counted]
    ).values_list("review_id", "key", "value"):
        values[review_id][key] = value
    reviews = []
    for review_id, application_id, reviewer_id in counted:
        scores = criterion_scores(criteria, values[review_id])
        score = weighted_score(scores)
        if score is None:
            continue
        reviews.append(
            ScoredReview(
                review_id=review_id, application_id=application_id, reviewer_id=reviewer_id,
                score=score,
                criterion_scores={s.criterion_id: s.score for s in scores if s.score is not None},
                recommendation=values[review_id].get("recommendation", ""),
            )
        )  # fmt: skip
    submitted = dict(
        Review.objects.filter(application_id__in=application_ids, submitted_at__isnull=False)
        .order_by()
        .values_list("application_id")
        .annotate(count=Count("pk"))
    )
    kept = Counter(review.application_id for review in reviews)
    excluded = {
        application_id: count - kept.get(application_id, 0)
        for application_id, count in submitted.items()
        if count - kept.get(application_id, 0)
    }
    return RankingInputs(application_ids=application_ids, reviews=reviews, excluded=excluded)


def _scored_review_ids(application_ids):
    return scored_reviews(application_ids).prefetch_related(None).values("pk")


def criterion_key(criterion_id: int) -> str:
    """A criterion's key in ApplicationEstimate.criterion_means: not a bare number, which a
    JSON path would read as an array index."""
    return f"c{criterion_id}"


def criterion_means(reviews: list[ScoredReview]) -> dict[int, dict[str, float]]:
    """{application id: {criterion key: mean score}}."""
    sums: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for review in reviews:
        for criterion_id, score in review.criterion_scores.items():
            sums[review.application_id][criterion_id].append(score)
    return {
        application_id: {criterion_key(c): sum(s) / len(s) for c, s in sorted(by_criterion.items())}
        for application_id, by_criterion in sums.items()
    }


# --- Pages -----------------------------------------------------------------------------------

# Sort keys the page offers: the column's name in the address → the ORDER BY.
SORTS = {
    "rank": (F("rank").asc(nulls_last=True),),
    "startup": ("application__startup__name",),
    "raw": (F("raw_mean").desc(nulls_last=True),),
    "calibrated": (F("calibrated_score").desc(nulls_last=True),),
    "expected": (F("expected_rank").asc(nulls_last=True),),
    "p_top": (F("p_top").desc(nulls_last=True),),
    "reviews": ("reviews_submitted",),
    "spread": (F("spread").desc(nulls_last=True),),
    "status": ("application__status",),
}


def ranking_row(cohort) -> Ranking | None:
    return Ranking.objects.filter(cohort=cohort).first()


def conflicted_application_ids(user, cohort) -> QuerySet:
    return Conflict.objects.filter(
        user=user, application__cohort=cohort, state=ConflictState.CONFIRMED
    ).values("application_id")


def ranking_estimates(
    *,
    cohort,
    user,
    filters: StaffFilters | None = None,
    sort: str = "rank",
    criterion_ids=(),
) -> QuerySet[ApplicationEstimate]:
    """The stored estimates of the cohort's ranked applications as a page lists them: the
    user's conflicted applications left out (they are listed apart), filtered, searched and
    sorted in SQL. `sort` is a key of SORTS, or "criterion:<id>"; "-" in front reverses it."""
    filters = filters or StaffFilters()
    filters = filters or StaffFilters()
    estimates = (
        ApplicationEstimate.objects.filter(cohort=cohort)
        .filter(application__in=ranked_applications(cohort))
        .exclude(application_id__in=conflicted_application_ids(user, cohort))
        .select_related("application__startup")
    )
    if filters.status:
        estimates = estimates.filter(application__status=filters.status)
    if filters.stage:
        estimates = estimates.filter(application__startup__stage=filters.stage)
    if filters.country:
        estimates = estimates.filter(application__startup__country=filters.country)
    if filters.foundation_model:
        estimates = estimates.filter(
            application__startup__foundation_models__icontains=filters.foundation_model
        )
    if filters.query:
        estimates = estimates.filter(
            application__in=search(Application.objects.filter(cohort=cohort), filters.query)
        )
    return estimates.order_by(*sort_order(sort, criterion_ids), "application_id")


def sort_order(sort: str, criterion_ids=()) -> tuple:
    descending = sort.startswith("-")
    key = sort.removeprefix("-")
    if key.startswith("criterion:") and key.split(":")[1] in {str(c) for c in criterion_ids}:
        expression = Cast(KT(f"criterion_means__{criterion_key(key.split(':')[1])}"), FloatField())
        order = (expression.desc(nulls_last=True),)
    else:
        order = SORTS.get(key, SORTS["rank"])
    if not descending:
        return order
    return tuple(_reverse(term) for term in order)


def _reverse(term):
    """The other direction, empty values still last."""
    if isinstance(term, str):
        return term[1:] if term.startswith("-") else f"-{term}"
    flipped = term.copy()
    flipped.descending = not term.descending
    return flipped


def conflicted_applications(user, cohort) -> list[Application]:
    """The user's conflicted applications in the ranking: listed apart, without scores."""
    return list(
        ranked_applications(cohort)
        .filter(
            Exists(
                Conflict.objects.filter(
                    user=user, application=OuterRef("pk"), state=ConflictState.CONFIRMED
                )
            )
        )
        .select_related("startup")
        .order_by("startup__name", "pk")
    )


def cut_line(cohort, user) -> dict:
    """Who is clearly in (P(top k) > 0.9) and who is in the uncertain band (0.1 ≤ P ≤ 0.9),
    by name, the user's conflicted applications aside: two queries."""
    estimates = (
        ApplicationEstimate.objects.filter(cohort=cohort, p_top__isnull=False)
        .filter(application__in=ranked_applications(cohort))
        .exclude(application_id__in=conflicted_application_ids(user, cohort))
        .filter(p_top__gte=UNCERTAIN_LOW)
        .select_related("application__startup")
        .order_by("-p_top", "rank", "application_id")
    )
    sure, uncertain = [], []
    for estimate in estimates:
        (sure if estimate.p_top > UNCERTAIN_HIGH else uncertain).append(estimate)
    return {"sure": sure, "uncertain": uncertain}


def leniencies(cohort) -> list[ReviewerLeniency]:
    return list(
        ReviewerLeniency.objects.filter(cohort=cohort)
        .select_related("reviewer__user", "reviewer__partner")
        .order_by("-leniency", "reviewer_id")
    )


def reviewer_label(reviewer: Reviewer) -> str:
    """A reviewer's name (their address until they accept), with the partner they review for."""
    name = (
        (reviewer.user.get_full_name() or reviewer.user.email) if reviewer.user else reviewer.email
    )
    return f"{name} ({reviewer.partner.name})" if reviewer.partner_id else name


def reviewer_names(reviewer_ids) -> dict[int, str]:
    return {
        reviewer.pk: reviewer_label(reviewer)
        for reviewer in Reviewer.objects.filter(pk__in=list(reviewer_ids)).select_related(
            "user", "partner"
        )
    }


def top_estimates(cohort, user, count: int) -> list[ApplicationEstimate]:
    """The first `count` by rank, for the rank-interval picture, the user's conflicted
    applications left out."""
    return list(
        ApplicationEstimate.objects.filter(cohort=cohort, rank__isnull=False)
        .filter(application__in=ranked_applications(cohort))
        .exclude(application_id__in=conflicted_application_ids(user, cohort))
        .select_related("application__startup")
        .order_by("rank")[:count]
    )


def startup_names(application_ids) -> dict[int, str]:
    return dict(
        Application.objects.filter(pk__in=list(application_ids)).values_list("pk", "startup__name")
    )


def published_record_hash(cohort) -> str:
    """cohorts.registries.decision_record_hash: the SHA-256 of the cohort's decision record,
    "" before its decisions are published. Public: the record holds no name."""
    return (
        DecisionRecord.objects.filter(cohort=cohort).values_list("sha256", flat=True).first() or ""
    )
