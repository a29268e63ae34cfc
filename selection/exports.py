"""The ranking and the reviews as tables for the selection meeting: the profile and answers
of applications.exports, then the ranking's columns. applications.exports.to_csv / to_xlsx
write them, so what a spreadsheet would run as a formula stays text."""

from django.utils.translation import gettext

from applications.enums import ApplicationStatus
from applications.exports import export_table
from reviews.enums import Confidence, Recommendation
from reviews.models import ReviewField
from reviews.scoring import criterion_scores, weighted_score
from reviews.selectors import scored_reviews

from .models import ApplicationEstimate
from .selectors import (
    conflicted_application_ids,
    criterion_key,
    ranked_applications,
    reviewer_label,
)


def _round(value, digits=4):
    return None if value is None else round(value, digits)


def ranking_table(cohort, user) -> tuple[list[str], list[list]]:
    """One row per ranked application, by rank (unranked last), without the user's conflicted
    applications."""
    criteria = list(cohort.criteria.all())
    estimates = {
        e.application_id: e
        for e in ApplicationEstimate.objects.filter(cohort=cohort).exclude(
            application_id__in=conflicted_application_ids(user, cohort)
        )
    }
    applications = ranked_applications(cohort).filter(pk__in=list(estimates))
    profile_header, profile_rows = export_table(applications, list(cohort.questions.all()))
    header = [
        gettext("Rank"), gettext("Raw mean score"), gettext("Calibrated score"),
        gettext("Expected rank"),
        gettext("%(share)s%% interval, from") % {"share": 50},
        gettext("%(share)s%% interval, to") % {"share": 50},
        gettext("%(share)s%% interval, from") % {"share": 90},
        gettext("%(share)s%% interval, to") % {"share": 90},
        gettext("P(top %(k)d)") % {"k": cohort.capacity or 5},
        gettext("Reviews submitted"), gettext("Reviews excluded"), gettext("Spread"),
        *[gettext("Mean: %(criterion)s") % {"criterion": c.name} for c in criteria],
        *profile_header,
    ]  # fmt: skip
    rows = []
    profile_rows.sort(
        key=lambda row: (estimates[row[0]].rank is None, estimates[row[0]].rank or 0, row[0])
    )
    for profile in profile_rows:
        e = estimates[profile[0]]
        rows.append(
            [
                e.rank, _round(e.raw_mean), _round(e.calibrated_score), _round(e.expected_rank, 2),
                e.rank_50_low, e.rank_50_high, e.rank_90_low, e.rank_90_high, _round(e.p_top, 3),
                e.reviews_submitted, e.reviews_excluded, _round(e.spread),
                *[_round(e.criterion_means.get(criterion_key(c.pk)), 2) for c in criteria],
                *profile,
            ]
        )  # fmt: skip
    return header, rows


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def reviews_table(cohort, user) -> tuple[list[str], list[list]]:
    """Every review that counts, one row each, without the user's conflicted applications."""
    criteria = list(cohort.criteria.all())
    application_ids = list(
        ranked_applications(cohort)
        .exclude(pk__in=conflicted_application_ids(user, cohort))
        .values_list("pk", flat=True)
    )
    reviews = list(
        scored_reviews(application_ids)
        .select_related("application__startup")
        .prefetch_related(None)
        .order_by("application__startup__name", "application_id", "submitted_at", "pk")
    )
    values: dict[int, dict[str, str]] = {}
    for review_id, key, value in ReviewField.objects.filter(
        review_id__in=[r.pk for r in reviews]
    ).values_list("review_id", "key", "value"):
        values.setdefault(review_id, {})[key] = value
    header = [
        gettext("Application ID"), gettext("Startup"), gettext("Status"), gettext("Reviewer"),
        gettext("Weighted score"),
        *[gettext("Score: %(criterion)s") % {"criterion": c.name} for c in criteria],
        *[gettext("Comment: %(criterion)s") % {"criterion": c.name} for c in criteria],
        gettext("Recommendation"), gettext("Confidence"),
    ]  # fmt: skip
    rows = []
    for review in reviews:
        fields = values.get(review.pk, {})
        rows.append(
            [
                review.application_id, review.application.startup.name,
                _label(ApplicationStatus, review.application.status),
                reviewer_label(review.reviewer),
                _round(weighted_score(criterion_scores(criteria, fields))),
                *[fields.get(f"score:{c.pk}", "") for c in criteria],
                *[fields.get(f"comment:{c.pk}", "") for c in criteria],
                _label(Recommendation, fields.get("recommendation", "")),
                _label(Confidence, fields.get("confidence", "")),
            ]
        )  # fmt: skip
    return header, rows
