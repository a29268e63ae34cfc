"""Every write of the selection app, one function per state change; each docstring lists its
side effects."""

import logging
from collections import Counter
from datetime import datetime, timedelta

import numpy as np
from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cohorts.models import Cohort

from . import model
from .models import ApplicationEstimate, Ranking, ReviewerLeniency
from .selectors import cohort_k, criterion_means, ranking_inputs, reviewer_names, startup_names

logger = logging.getLogger(__name__)

FIT_INTERVAL = timedelta(minutes=1)
# Published by name: tasks import services, never the reverse.
FIT_RANKING_TASK = "selection.fit_ranking"
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


class RankingError(Exception):
    """A change that cannot be made; its message is shown to the person."""


def _ranking_row(cohort_id: int) -> None:
    """Make sure the cohort's row exists (two first requests at once: one insert wins)."""
    if not Ranking.objects.filter(cohort_id=cohort_id).exists():
        try:
            with transaction.atomic():
                Ranking.objects.create(cohort_id=cohort_id)
        except IntegrityError:
            pass


def _publish(cohort_id: int, eta: datetime | None = None) -> None:
    def publish_fit() -> None:
        current_app.send_task(FIT_RANKING_TASK, args=[cohort_id], eta=eta,
                              retry_policy=PUBLISH_RETRY_POLICY)  # fmt: skip

    # robust: a broker that is down is logged, never raised into the request that changed a
    # review; the next change, or "recompute now", publishes again.
    transaction.on_commit(publish_fit, robust=True)


def ranking_request(*, cohort_id: int, now: datetime | None = None) -> None:
    """The reviews that count changed (or staff asked): note when, and publish a fit after
    commit. The fit itself waits its turn (at most one a minute per cohort)."""
    _ranking_row(cohort_id)
    Ranking.objects.filter(cohort_id=cohort_id).update(inputs_changed_at=now or timezone.now())
    _publish(cohort_id)


def ranking_fit_when_allowed(*, cohort_id: int, now: datetime | None = None) -> bool:
    """What the task does: claim this minute for the cohort in one conditional UPDATE (so two
    workers can never both fit within a minute), then fit. Too early: publish one more run for
    when the minute is over, unless one is already on its way, and return False."""
    now = now or timezone.now()
    cohort = Cohort.objects.filter(pk=cohort_id).first()
    if cohort is None:
        return False  # deleted since the request
    _ranking_row(cohort_id)
    claimed = Ranking.objects.filter(
        Q(next_allowed_at__isnull=True) | Q(next_allowed_at__lte=now), cohort_id=cohort_id
    ).update(next_allowed_at=now + FIT_INTERVAL)
    if claimed:
        ranking_compute(cohort=cohort, now=now)
        return True
    ranking = Ranking.objects.get(cohort_id=cohort_id)
    if ranking.computed_at and not ranking.changed_since:
        return False  # nothing changed since the last fit
    due = ranking.next_allowed_at
    if Ranking.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lt=due),
                              cohort_id=cohort_id).update(retry_at=due):  # fmt: skip
        _publish(cohort_id, eta=due)
    return False


def _estimate_rows(cohort, inputs, fit, application_index, reviewer_ids) -> list:
    by_application: dict[int, list] = {}
    for review in inputs.reviews:
        by_application.setdefault(review.application_id, []).append(review)
    means = criterion_means(inputs.reviews)
    if fit is not None:
        post, ranks = fit.posterior, fit.ranks
        order = np.lexsort((np.arange(len(post.quality_mean)), -post.quality_mean))
        rank_of = np.empty(len(order), dtype=np.int64)
        rank_of[order] = np.arange(1, len(order) + 1)
    rows = []
    for application_id in inputs.application_ids:
        reviews = by_application.get(application_id, [])
        scores = [review.score for review in reviews]
        row = ApplicationEstimate(
            application_id=application_id, cohort=cohort, reviews_submitted=len(reviews),
            reviews_excluded=inputs.excluded.get(application_id, 0),
            raw_mean=sum(scores) / len(scores) if scores else None,
            spread=max(scores) - min(scores) if scores else None,
            criterion_means=means.get(application_id, {}),
            recommendations=dict(sorted(Counter(r.recommendation for r in reviews
                                                if r.recommendation).items())),
        )  # fmt: skip
        index = application_index.get(application_id)
        if fit is not None and index is not None:
            row.calibrated_score = post.mu + float(post.quality_mean[index])
            row.quality_sd = float(np.sqrt(post.quality_var[index]))
            row.rank = int(rank_of[index])
            row.expected_rank = float(ranks.expected_rank[index])
            row.rank_50_low, row.rank_50_high = (int(v) for v in ranks.rank_50[index])
            row.rank_90_low, row.rank_90_high = (int(v) for v in ranks.rank_90[index])
            row.p_top = float(ranks.p_top[index])
        rows.append(row)
    return rows


def ranking_compute(*, cohort, now: datetime | None = None, draws: int = model.DRAWS) -> Ranking:
    """Fit the cohort's ranking now, synchronously, and replace the stored one. The task calls
    it once its minute is claimed; the demo loader calls it directly. The fit itself holds no
    lock (a review submitted meanwhile waits for nothing; it asks for the next fit); only the
    rewrite is one short transaction. Side effects: the cohort's estimates and leniencies are
    rewritten."""
    now = now or timezone.now()
    inputs = ranking_inputs(cohort)
    k = cohort_k(cohort)
    reviewed = sorted({review.application_id for review in inputs.reviews})
    reviewer_ids = sorted({review.reviewer_id for review in inputs.reviews})
    application_index = {application_id: i for i, application_id in enumerate(reviewed)}
    reviewer_index = {reviewer_id: i for i, reviewer_id in enumerate(reviewer_ids)}
    fit = None
    if inputs.reviews:
        data = model.Reviews.of(
            [application_index[r.application_id] for r in inputs.reviews],
            [reviewer_index[r.reviewer_id] for r in inputs.reviews],
            [r.score for r in inputs.reviews],
            applications=len(reviewed), reviewers=len(reviewer_ids),
        )  # fmt: skip
        fit = model.fit(data, k=k, cohort_id=cohort.pk, draws=draws)
    rows = _estimate_rows(cohort, inputs, fit, application_index, reviewer_ids)
    with transaction.atomic():
        _ranking_row(cohort.pk)
        ranking = Ranking.objects.select_for_update().get(cohort=cohort)
        _store(cohort, ranking, inputs, fit, rows, reviewed, reviewer_ids, k=k, now=now)
    return ranking


FIT_FIELDS = [
    "computed_at", "inputs_hash", "seed", "k", "draws", "review_count", "reviewer_count",
    "application_count", "mu", "tau2", "sigma_b2", "sigma2", "em_iterations", "warnings",
    "leave_one_out", "groups", "score_histogram",
]  # fmt: skip


def _store(cohort, ranking, inputs, fit, rows, reviewed, reviewer_ids, *, k, now) -> None:
    ApplicationEstimate.objects.filter(cohort=cohort).delete()
    ApplicationEstimate.objects.bulk_create(rows, batch_size=1000)
    ReviewerLeniency.objects.filter(cohort=cohort).delete()
    ranking.computed_at = now
    ranking.inputs_hash = inputs.digest(k)
    ranking.k = k
    ranking.review_count = len(inputs.reviews)
    ranking.reviewer_count = len(reviewer_ids)
    ranking.application_count = len(inputs.application_ids)
    if fit is None:
        ranking.seed, ranking.draws, ranking.em_iterations = "", 0, 0
        ranking.mu = ranking.tau2 = ranking.sigma_b2 = ranking.sigma2 = None
        ranking.warnings, ranking.leave_one_out, ranking.groups = ["no_reviews"], [], []
        ranking.score_histogram = []
    else:
        post, components = fit.posterior, fit.components
        counts = Counter(review.reviewer_id for review in inputs.reviews)
        ReviewerLeniency.objects.bulk_create(
            [
                ReviewerLeniency(
                    reviewer_id=reviewer_id,
                    cohort=cohort,
                    leniency=float(post.leniency_mean[i]),
                    low_90=float(post.leniency_mean[i] - model.Z90 * post.leniency_sd[i]),
                    high_90=float(post.leniency_mean[i] + model.Z90 * post.leniency_sd[i]),
                    reviews=counts[reviewer_id],
                )
                for i, reviewer_id in enumerate(reviewer_ids)
            ]
        )
        ranking.seed, ranking.draws = str(fit.seed), fit.draws
        ranking.mu, ranking.tau2 = post.mu, components.tau2
        ranking.sigma_b2, ranking.sigma2 = components.sigma_b2, components.sigma2
        ranking.em_iterations = components.iterations
        ranking.warnings = list(fit.warnings)
        changes = [result for result in fit.leave_one_out if result.entered or result.left]
        names = reviewer_names(reviewer_ids[result.reviewer] for result in changes)
        startups = startup_names(
            reviewed[i] for result in changes for i in [*result.entered, *result.left]
        )
        ranking.leave_one_out = [
            {
                "reviewer": reviewer_ids[result.reviewer],
                "reviewer_name": names.get(reviewer_ids[result.reviewer], ""),
                "entered": [[reviewed[i], startups.get(reviewed[i], "")] for i in result.entered],
                "left": [[reviewed[i], startups.get(reviewed[i], "")] for i in result.left],
            }
            for result in changes
        ]
        ranking.score_histogram = score_histogram([row.calibrated_score for row in rows])
        ranking.groups = [[reviewer_ids[i] for i in group] for group in fit.groups]
    ranking.save(update_fields=FIT_FIELDS)


HISTOGRAM_BINS = 12


def score_histogram(scores: list[float | None]) -> list[dict]:
    """Equal-width bins over the calibrated scores' range."""
    values = np.array([score for score in scores if score is not None])
    if len(values) == 0:
        return []
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-9:
        return [{"low": low, "high": high, "count": len(values)}]
    counts, edges = np.histogram(values, bins=HISTOGRAM_BINS, range=(low, high))
    return [
        {"low": float(edges[i]), "high": float(edges[i + 1]), "count": int(count)}
        for i, count in enumerate(counts)
    ]


def disagreement_threshold_set(*, cohort, threshold: float) -> None:
    """Staff set the spread above which an application is flagged "reviewers disagree"
    (weighted scores are on 0–1). Side effects: none; the page reads it."""
    if not 0 <= threshold <= 1:
        raise RankingError("out of range")
    _ranking_row(cohort.pk)
    Ranking.objects.filter(cohort=cohort).update(disagreement_threshold=threshold)
