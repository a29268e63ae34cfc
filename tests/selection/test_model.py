"""The ranking model on its own (numpy, no database): synthetic cohorts against the truth, a
case computed by hand, determinism and the edge cases."""

import numpy as np
import pytest

from selection import model
from selection.model import Components, Reviews

from .synthetic import synthetic_cohort

SEEDS = range(100)
BOOTSTRAP_DRAWS = 1000


def _true_ranks(quality):
    return np.argsort(np.argsort(-quality)) + 1


def _bootstrap_p_top(reviews: Reviews, rng, k: int) -> np.ndarray:
    """Each application's reviews resampled with replacement, raw means ranked."""
    order = np.lexsort((reviews.reviewer, reviews.application))
    per_application = np.bincount(reviews.application)
    assert (per_application == per_application[0]).all()
    scores = reviews.score[order].reshape(reviews.applications, per_application[0])
    picks = rng.integers(0, scores.shape[1], (BOOTSTRAP_DRAWS, *scores.shape))
    means = np.take_along_axis(scores[None, :, :], picks, axis=2).mean(axis=2)
    ranks = np.argsort(np.argsort(-means, axis=1), axis=1) + 1
    return (ranks <= k).mean(axis=0)


def test_synthetic_cohorts_against_the_truth():
    """100 seeds of 200 applications, 20 reviewers, 3 reviews each (issue 16's set-up)."""
    calibrated_overlap, raw_overlap, coverage_50, coverage_90 = [], [], [], []
    brier, brier_bootstrap, correlations = [], [], []
    for seed in SEEDS:
        reviews, quality, leniency, rng = synthetic_cohort(seed)
        fit = model.fit(reviews, k=5, cohort_id=seed, leave_one_out=False)
        true_top = set(np.argsort(-quality)[:5].tolist())
        raw = np.bincount(reviews.application, reviews.score) / np.bincount(reviews.application)
        calibrated_overlap.append(len(true_top & set(model.top_k(fit.posterior.quality_mean, 5))))
        raw_overlap.append(len(true_top & set(model.top_k(raw, 5))))
        truth = _true_ranks(quality)
        low50, high50 = fit.ranks.rank_50.T
        low90, high90 = fit.ranks.rank_90.T
        coverage_50.append(np.mean((low50 <= truth) & (truth <= high50)))
        coverage_90.append(np.mean((low90 <= truth) & (truth <= high90)))
        in_top = np.isin(np.arange(reviews.applications), list(true_top))
        brier.append(np.sum((fit.ranks.p_top - in_top) ** 2))
        brier_bootstrap.append(np.sum((_bootstrap_p_top(reviews, rng, 5) - in_top) ** 2))
        correlations.append(np.corrcoef(fit.posterior.leniency_mean, leniency)[0, 1])

    assert np.mean(calibrated_overlap) >= np.mean(raw_overlap) + 0.3
    assert min(correlations) > 0.9
    assert 0.45 <= np.mean(coverage_50) <= 0.65
    assert 0.85 <= np.mean(coverage_90) <= 0.97
    assert np.mean(brier) < np.mean(brier_bootstrap)


# Three reviewers, six applications, each read by two; reviewer 0 scores everything about
# 0.35 higher than the others.
HAND = [
    (0, 0, 0.9), (0, 1, 0.5), (1, 0, 0.8), (1, 1, 0.4), (2, 0, 0.85), (2, 2, 0.45),
    (3, 0, 0.7), (3, 2, 0.35), (4, 1, 0.65), (4, 2, 0.7), (5, 1, 0.3), (5, 2, 0.35),
]  # fmt: skip
HAND_COMPONENTS = Components(tau2=0.04, sigma_b2=0.04, sigma2=0.01)


def _hand_reviews() -> Reviews:
    applications, reviewers, scores = zip(*HAND, strict=True)
    return Reviews.of(applications, reviewers, scores)


def _henderson(reviews: Reviews, components: Components):
    """The closed form: Henderson's mixed model equations, written out densely,
    θ = (μ, qualities, leniencies), (Zᵀ Z / σ² + G⁻¹) θ = Zᵀ y / σ², G⁻¹ = 0 for μ."""
    A, R, n = reviews.applications, reviews.reviewers, len(reviews.score)
    Z = np.zeros((n, 1 + A + R))
    Z[:, 0] = 1
    Z[np.arange(n), 1 + reviews.application] = 1
    Z[np.arange(n), 1 + A + reviews.reviewer] = 1
    prior = np.diag([0.0] + [1 / components.tau2] * A + [1 / components.sigma_b2] * R)
    theta = np.linalg.solve(Z.T @ Z / components.sigma2 + prior,
                            Z.T @ reviews.score / components.sigma2)  # fmt: skip
    return theta[0], theta[1 : 1 + A], theta[1 + A :]


def test_hand_computed_case_matches_the_closed_form():
    reviews = _hand_reviews()
    mu, quality, leniency = _henderson(reviews, HAND_COMPONENTS)

    fit = model.fit(reviews, k=2, cohort_id=1, components=HAND_COMPONENTS)

    assert np.abs(fit.posterior.quality_mean - quality).max() < 1e-9
    assert np.abs(fit.posterior.leniency_mean - leniency).max() < 1e-9
    assert abs(fit.posterior.mu - mu) < 1e-9
    # The lenient reviewer scored application 0 highest (0.9), and its raw mean (0.7) is the
    # cohort's best; once reviewer 0's leniency is known, application 4 passes it.
    assert int(np.argmax(fit.posterior.leniency_mean)) == 0
    raw = np.bincount(reviews.application, reviews.score) / 2
    assert model.top_k(raw, 1) == [0]
    assert model.top_k(fit.posterior.quality_mean, 2) == [4, 0]
    assert fit.ranks.p_top[4] > fit.ranks.p_top[0]


def test_marginal_variances_match_the_dense_inverse():
    reviews = _hand_reviews()
    A, R, n = reviews.applications, reviews.reviewers, len(reviews.score)
    Z = np.zeros((n, 1 + A + R))
    Z[:, 0] = 1
    Z[np.arange(n), 1 + reviews.application] = 1
    Z[np.arange(n), 1 + A + reviews.reviewer] = 1
    c = HAND_COMPONENTS
    prior = np.diag([0.0] + [1 / c.tau2] * A + [1 / c.sigma_b2] * R)
    covariance = np.linalg.inv(Z.T @ Z / c.sigma2 + prior)

    post = model.posterior(reviews, c)

    assert np.abs(post.quality_var - np.diag(covariance)[1 : 1 + A]).max() < 1e-9
    assert np.abs(post.leniency_sd**2 - np.diag(covariance)[1 + A :]).max() < 1e-9


def test_same_reviews_give_byte_identical_estimates():
    reviews, *_ = synthetic_cohort(3, applications=40, reviewers=8)

    first = model.fit(reviews, k=5, cohort_id=12)
    second = model.fit(reviews, k=5, cohort_id=12)

    assert first.seed == second.seed
    for name in ("expected_rank", "rank_50", "rank_90", "p_top"):
        assert getattr(first.ranks, name).tobytes() == getattr(second.ranks, name).tobytes()
    assert first.posterior.quality_mean.tobytes() == second.posterior.quality_mean.tobytes()


def test_one_more_review_changes_the_seed():
    reviews = _hand_reviews()
    more = Reviews.of([*reviews.application, 5], [*reviews.reviewer, 0],
                      [*reviews.score, 0.6])  # fmt: skip

    assert model.draw_seed(1, reviews) != model.draw_seed(1, more)
    assert model.draw_seed(1, reviews) != model.draw_seed(2, reviews)


def test_one_review_in_the_whole_cohort():
    fit = model.fit(Reviews.of([0], [0], [0.5]), k=5, cohort_id=1)

    assert fit.posterior.quality_mean.tolist() == [0.0]
    assert fit.posterior.mu == pytest.approx(0.5, abs=1e-12)
    assert fit.ranks.expected_rank.tolist() == [1.0]
    assert fit.ranks.rank_90.tolist() == [[1, 1]]
    assert fit.ranks.p_top.tolist() == [1.0]
    assert fit.warnings == [model.FLOORED]
    assert fit.leave_one_out == [model.LeaveOneOut(reviewer=0, entered=[], left=[0])]


def test_a_reviewer_with_one_review_is_shrunk_and_uncertain():
    # Reviewers 0–2 read everything; reviewer 3 read application 0 only, 0.3 above the others.
    rows = [(a, r, 0.3 + 0.1 * a + 0.05 * r) for a in range(5) for r in range(3)]
    rows.append((0, 3, 0.65))
    reviews = Reviews.of(*zip(*rows, strict=True))
    components = Components(tau2=0.02, sigma_b2=0.01, sigma2=0.005)

    fit = model.fit(reviews, k=2, cohort_id=1, components=components)

    _mu, quality, leniency = _henderson(reviews, components)
    assert np.abs(fit.posterior.leniency_mean - leniency).max() < 1e-9
    assert np.abs(fit.posterior.quality_mean - quality).max() < 1e-9
    assert 0 < fit.posterior.leniency_mean[3] < 0.3
    assert fit.posterior.leniency_sd[3] == fit.posterior.leniency_sd.max()


def test_an_application_without_reviews_keeps_its_prior():
    reviews = Reviews.of([0, 0, 1, 1], [0, 1, 0, 1], [0.6, 0.5, 0.4, 0.3], applications=3)
    components = Components(tau2=0.04, sigma_b2=0.01, sigma2=0.01)

    post = model.posterior(reviews, components)

    assert post.quality_mean[2] == 0.0
    assert post.quality_var[2] == pytest.approx(0.04, abs=1e-15)


def test_two_disconnected_groups_of_reviewers_are_warned():
    # Reviewers 0 and 1 read applications 0–2; reviewers 2 and 3 read applications 3–5.
    rows = [(a, r, 0.5 + 0.05 * a - 0.02 * r) for a in range(3) for r in (0, 1)]
    rows += [(a, r, 0.4 + 0.05 * a + 0.03 * r) for a in range(3, 6) for r in (2, 3)]
    reviews = Reviews.of(*zip(*rows, strict=True))

    fit = model.fit(reviews, k=2, cohort_id=1)

    assert fit.groups == [[0, 1], [2, 3]]
    assert model.DISCONNECTED in fit.warnings


def test_all_scores_equal():
    reviews = Reviews.of([0, 0, 1, 1, 2, 2], [0, 1, 1, 2, 2, 0], [0.5] * 6)

    fit = model.fit(reviews, k=1, cohort_id=1)

    assert fit.posterior.quality_mean.tolist() == [0.0, 0.0, 0.0]
    assert np.abs(fit.posterior.leniency_mean).max() < 1e-12
    assert fit.posterior.mu == pytest.approx(0.5, abs=1e-12)
    assert fit.components.floored == ("tau2", "sigma_b2", "sigma2")
    assert fit.warnings == [model.FLOORED]
    assert fit.ranks.p_top.sum() == pytest.approx(1.0)
    assert all(model.uncertain(p) for p in fit.ranks.p_top)


def test_leave_one_reviewer_out_says_who_replaces_whom():
    reviews = _hand_reviews()

    fit = model.fit(reviews, k=1, cohort_id=1, components=HAND_COMPONENTS)

    # Application 4 leads; without reviewer 2 (who scored it 0.7) application 0 takes its place.
    assert model.top_k(fit.posterior.quality_mean, 1) == [4]
    by_reviewer = {result.reviewer: result for result in fit.leave_one_out}
    assert sorted(by_reviewer) == [0, 1, 2]
    for result in fit.leave_one_out:
        assert len(result.entered) == len(result.left)
        assert set(result.left) <= {4}


def test_uncertain_band_bounds_are_inclusive():
    assert [model.uncertain(p) for p in (0.09, 0.1, 0.5, 0.9, 0.91)] == [
        False, True, True, True, False,
    ]  # fmt: skip
