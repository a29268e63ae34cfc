"""The ranking model, in numpy and scipy only (no Django): one function per step.

Each review's weighted score is y = μ + quality(application) + leniency(reviewer) + noise,
with quality ~ N(0, τ²), leniency ~ N(0, σ_b²), noise ~ N(0, σ²) and a flat prior on μ.

1. `variance_components`: τ², σ_b², σ² from the reviews themselves (EM on the restricted
   likelihood, μ integrated out), each kept above a floor.
2. `posterior`: given them, the posterior is Gaussian and exact. The qualities' block of the
   precision matrix is diagonal, so they are eliminated first; what is left is a dense
   (reviewers + 1) × (reviewers + 1) system for μ and the leniencies; the qualities follow by
   back-substitution. No applications × applications matrix is ever built.
3. `draw_ranks`: joint draws (μ and leniencies from their Gaussian, then each quality given
   them), seeded from the cohort and the reviews, turned into ranks.
4. `summarise_ranks`: expected rank, 50% and 90% rank intervals, P(top k).
5. `leave_one_reviewer_out`: the top k by posterior mean without each reviewer's reviews.
6. `reviewer_groups`: reviewers linked through shared applications; more than one group is
   warned about (their leniencies are then told apart only by the prior).

`fit` runs them in that order. Applications are 0..A−1 and reviewers 0..R−1; an application
with no review has no estimate and is not passed in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
from scipy import linalg, sparse
from scipy.sparse.csgraph import connected_components

DRAWS = 1000
DRAW_CHUNK = 250
# Each variance component stays above this share of the scores' variance (and above an
# absolute floor, for a cohort whose scores are all equal): a cohort with few reviews gets
# cautious estimates, not a component at zero that would make one review look certain.
FLOOR_SHARE = 0.02
ABSOLUTE_FLOOR = 1e-6
EM_MAX_ITERATIONS = 100
EM_TOLERANCE = 1e-5
Z90 = 1.6448536269514722  # the standard normal's 95th percentile
UNCERTAIN_LOW, UNCERTAIN_HIGH = 0.1, 0.9

DISCONNECTED = "disconnected"
FLOORED = "floored"


@dataclass(frozen=True)
class Reviews:
    """The data: one entry per review that counts."""

    application: np.ndarray  # int, 0..A−1
    reviewer: np.ndarray  # int, 0..R−1
    score: np.ndarray  # float
    applications: int  # A
    reviewers: int  # R

    @classmethod
    def of(cls, application, reviewer, score, *, applications=None, reviewers=None) -> Reviews:
        application = np.asarray(application, dtype=np.int64)
        reviewer = np.asarray(reviewer, dtype=np.int64)
        score = np.asarray(score, dtype=np.float64)
        return cls(
            application=application,
            reviewer=reviewer,
            score=score,
            applications=int(applications if applications is not None else application.max() + 1),
            reviewers=int(reviewers if reviewers is not None else reviewer.max() + 1),
        )

    def without_reviewer(self, reviewer: int) -> Reviews:
        keep = self.reviewer != reviewer
        return Reviews(self.application[keep], self.reviewer[keep], self.score[keep],
                       self.applications, self.reviewers)  # fmt: skip


@dataclass(frozen=True)
class Components:
    tau2: float  # applications' quality
    sigma_b2: float  # reviewers' leniency
    sigma2: float  # noise
    iterations: int = 0
    floored: tuple[str, ...] = ()


@dataclass
class Posterior:
    """Exact Gaussian posterior: c = (μ, leniencies) ~ N(c_mean, S⁻¹) with S = L Lᵀ; each
    quality given c ~ N((h_q − B c) / d, 1 / d)."""

    c_mean: np.ndarray  # (R + 1,)
    c_cov: np.ndarray  # (R + 1, R + 1)
    cholesky: np.ndarray  # lower L with L Lᵀ = S, the precision of c
    d: np.ndarray  # (A,) the qualities' diagonal precision
    h_q: np.ndarray  # (A,)
    B: sparse.csr_matrix  # (A, R + 1)
    BV: np.ndarray  # (A, R + 1): B times c's covariance
    quality_mean: np.ndarray  # (A,) marginal posterior means
    quality_var: np.ndarray  # (A,) marginal posterior variances

    @property
    def mu(self) -> float:
        return float(self.c_mean[0])

    @property
    def leniency_mean(self) -> np.ndarray:
        return self.c_mean[1:]

    @property
    def leniency_sd(self) -> np.ndarray:
        return np.sqrt(np.diag(self.c_cov)[1:])


@dataclass
class RankSummary:
    expected_rank: np.ndarray
    rank_50: np.ndarray  # (A, 2) lowest and highest rank
    rank_90: np.ndarray
    p_top: np.ndarray


@dataclass
class LeaveOneOut:
    reviewer: int
    entered: list[int]  # applications that enter the top k without this reviewer
    left: list[int]  # and those that leave it


@dataclass
class Fit:
    components: Components
    posterior: Posterior
    ranks: RankSummary
    k: int
    seed: int
    draws: int
    leave_one_out: list[LeaveOneOut]
    groups: list[list[int]]  # reviewers by connected group (only reviewers with reviews)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Sums:
    """What the posterior needs from the reviews, computed once per set of reviews: counts and
    sums per application and per reviewer, and each application's row of Xᵀ (the design of
    μ and the leniencies), dense A × (R + 1): never A × A."""

    n_a: np.ndarray  # reviews per application
    sum_a: np.ndarray  # their scores' sum
    xtx: np.ndarray  # (R + 1, R + 1)
    xty: np.ndarray  # (R + 1,)
    rows: sparse.csr_matrix  # (A, R + 1): per application, reviews in total then per reviewer
    rows_t: sparse.csr_matrix  # its transpose


def _sums(reviews: Reviews) -> _Sums:
    A, R = reviews.applications, reviews.reviewers
    a, r, y = reviews.application, reviews.reviewer, reviews.score
    n_a = np.bincount(a, minlength=A).astype(np.float64)
    m_r = np.bincount(r, minlength=R).astype(np.float64)
    xtx = np.zeros((R + 1, R + 1))
    xtx[0, 0] = len(y)
    xtx[0, 1:] = xtx[1:, 0] = m_r
    xtx[np.arange(1, R + 1), np.arange(1, R + 1)] = m_r
    xty = np.concatenate([[y.sum()], np.bincount(r, weights=y, minlength=R)])
    rows = sparse.csr_matrix(
        (np.ones(2 * len(y)), (np.concatenate([a, a]), np.concatenate([np.zeros_like(r), r + 1]))),
        shape=(A, R + 1),
    )  # duplicates are summed
    return _Sums(n_a=n_a, sum_a=np.bincount(a, weights=y, minlength=A), xtx=xtx, xty=xty,
                 rows=rows, rows_t=rows.T.tocsr())  # fmt: skip


def posterior(
    reviews: Reviews, components: Components, sums: _Sums | None = None, *, means_only=False
) -> Posterior:
    """The exact posterior given the variance components. Precision of (q, c):
    [[D, B], [Bᵀ, C]] with D diagonal; c's marginal precision is the Schur complement
    S = C − Bᵀ D⁻¹ B, (R + 1) × (R + 1); then q | c by back-substitution."""
    sums = sums or _sums(reviews)
    R = reviews.reviewers
    inv_s2 = 1.0 / components.sigma2
    d = sums.n_a * inv_s2 + 1.0 / components.tau2
    h_q = sums.sum_a * inv_s2
    # B = rows / σ² (row a: Σ over a's reviews of x_i / σ²), kept sparse.
    B = sums.rows * inv_s2
    C = sums.xtx * inv_s2
    C[np.arange(1, R + 1), np.arange(1, R + 1)] += 1.0 / components.sigma_b2
    S = C - (sums.rows_t @ (sparse.diags(inv_s2**2 / d) @ sums.rows)).toarray()
    S = (S + S.T) / 2
    h = sums.xty * inv_s2 - sums.rows_t @ (h_q * inv_s2 / d)
    L = linalg.cholesky(S, lower=True)
    c_mean = linalg.cho_solve((L, True), h)
    quality_mean = (h_q - B @ c_mean) / d
    if means_only:  # leave-one-reviewer-out reads the means alone
        empty = np.empty(0)
        return Posterior(c_mean=c_mean, c_cov=empty, cholesky=L, d=d, h_q=h_q, B=B, BV=empty,
                         quality_mean=quality_mean, quality_var=empty)  # fmt: skip
    c_cov = linalg.cho_solve((L, True), np.eye(R + 1))
    BV = np.asarray(B @ c_cov)
    quality_var = 1.0 / d + np.asarray(B.multiply(BV).sum(axis=1)).ravel() / d**2
    return Posterior(c_mean=c_mean, c_cov=c_cov, cholesky=L, d=d, h_q=h_q, B=B, BV=BV,
                     quality_mean=quality_mean, quality_var=quality_var)  # fmt: skip


def _floors(reviews: Reviews) -> float:
    variance = float(np.var(reviews.score)) if len(reviews.score) > 1 else 0.0
    return max(FLOOR_SHARE * variance, ABSOLUTE_FLOOR)


def variance_components(reviews: Reviews) -> Components:
    """EM for the restricted likelihood (μ has a flat prior and is integrated out): each step
    sets every component to its expected sum of squares under the current posterior, then
    keeps it above its floor. Stops when no component moves by more than EM_TOLERANCE of the
    scores' variance, or after EM_MAX_ITERATIONS (near a floor EM creeps)."""
    floor = _floors(reviews)
    variance = max(float(np.var(reviews.score)), 3 * floor)
    current = Components(tau2=variance / 3, sigma_b2=variance / 3, sigma2=variance / 3)
    A, R, n = reviews.applications, reviews.reviewers, len(reviews.score)
    a, col = reviews.application, reviews.reviewer + 1
    sums = _sums(reviews)
    iterations = 0
    for iterations in range(1, EM_MAX_ITERATIONS + 1):  # noqa: B007 (read after the loop)
        post = posterior(reviews, current, sums)
        V = post.c_cov
        tau2 = float(np.sum(post.quality_mean**2 + post.quality_var)) / A
        sigma_b2 = float(np.sum(post.leniency_mean**2) + np.trace(V) - V[0, 0]) / R
        # Each review's residual, and the variance of its predictor μ + b_r + q_a.
        residual = reviews.score - post.c_mean[0] - post.c_mean[col] - post.quality_mean[a]
        var_xc = V[0, 0] + 2 * V[0, col] + V[col, col]
        cov_qc = -(post.BV[a, 0] + post.BV[a, col]) / post.d[a]
        var_eta = var_xc + post.quality_var[a] + 2 * cov_qc
        sigma2 = float(np.sum(residual**2 + var_eta)) / n
        new = Components(max(tau2, floor), max(sigma_b2, floor), max(sigma2, floor))
        moved = max(abs(new.tau2 - current.tau2), abs(new.sigma_b2 - current.sigma_b2),
                    abs(new.sigma2 - current.sigma2))  # fmt: skip
        current = new
        if moved <= EM_TOLERANCE * variance:
            break
    floored = tuple(
        name for name, value in
        (("tau2", current.tau2), ("sigma_b2", current.sigma_b2), ("sigma2", current.sigma2))
        if value <= floor * (1 + 1e-9)
    )  # fmt: skip
    return Components(current.tau2, current.sigma_b2, current.sigma2, iterations, floored)


def draw_seed(cohort_id: int, reviews: Reviews) -> int:
    """The same cohort and reviews give the same draws; any change of the reviews, another."""
    digest = hashlib.sha256()
    digest.update(str(cohort_id).encode())
    for array in (reviews.application, reviews.reviewer, reviews.score):
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(f"{reviews.applications}:{reviews.reviewers}".encode())
    return int.from_bytes(digest.digest()[:8], "big")


def draw_ranks(post: Posterior, *, seed: int, draws: int = DRAWS) -> np.ndarray:
    """(draws, A) ranks, 1 the best, from joint posterior draws: c = ĉ + L⁻ᵀ z (L Lᵀ being
    c's precision), then q = (h_q − B c) / d + z′ / √d. Drawn in chunks to bound memory."""
    rng = np.random.Generator(np.random.PCG64(seed))
    A = len(post.d)
    dtype = np.int32 if A < 2**31 else np.int64
    ranks = np.empty((draws, A), dtype=dtype)
    positions = np.broadcast_to(np.arange(1, A + 1, dtype=dtype), (DRAW_CHUNK, A))
    sd_q = 1.0 / np.sqrt(post.d)
    for start in range(0, draws, DRAW_CHUNK):
        size = min(DRAW_CHUNK, draws - start)
        z = rng.standard_normal((len(post.c_mean), size))
        c = post.c_mean[:, None] + linalg.solve_triangular(post.cholesky.T, z, lower=False)
        q = ((post.h_q[:, None] - post.B @ c) / post.d[:, None]).T
        q += rng.standard_normal((size, A)) * sd_q
        order = np.argsort(-q, axis=1, kind="stable")
        chunk = np.empty((size, A), dtype=dtype)
        np.put_along_axis(chunk, order, positions[:size], axis=1)
        ranks[start : start + size] = chunk
    return ranks


def summarise_ranks(ranks: np.ndarray, k: int) -> RankSummary:
    """Per application: the mean rank, the central 50% and 90% intervals (inclusive ranks
    holding at least that share of the draws) and the share of draws in the top k."""

    def quantile(p: float) -> np.ndarray:
        # The smallest rank with at least a share p of the draws at or below it.
        return np.quantile(ranks, p, axis=0, method="inverted_cdf")

    return RankSummary(
        expected_rank=ranks.mean(axis=0),
        rank_50=np.stack([quantile(0.25), quantile(0.75)], axis=1).astype(np.int64),
        rank_90=np.stack([quantile(0.05), quantile(0.95)], axis=1).astype(np.int64),
        p_top=(ranks <= k).mean(axis=0),
    )


def top_k(quality_mean: np.ndarray, k: int) -> list[int]:
    """The k best by posterior mean; ties go to the lower index, so the result is stable."""
    order = np.lexsort((np.arange(len(quality_mean)), -quality_mean))
    return [int(index) for index in order[:k]]


def leave_one_reviewer_out(
    reviews: Reviews, components: Components, k: int, baseline: list[int]
) -> list[LeaveOneOut]:
    """For each reviewer with reviews: the posterior means without their reviews (the same
    variance components, no draws), and which applications enter or leave the top k."""
    results = []
    before = set(baseline)
    for reviewer in sorted(set(int(r) for r in reviews.reviewer)):
        rest = reviews.without_reviewer(reviewer)
        if len(rest.score) == 0:
            after: set[int] = set()
        else:
            after = set(top_k(posterior(rest, components, means_only=True).quality_mean, k))
        results.append(LeaveOneOut(reviewer=reviewer, entered=sorted(after - before),
                                   left=sorted(before - after)))  # fmt: skip
    return results


def reviewer_groups(reviews: Reviews) -> list[list[int]]:
    """Reviewers (with at least one review) joined when they reviewed a common application,
    largest group first."""
    A, R = reviews.applications, reviews.reviewers
    graph = sparse.csr_matrix(
        (np.ones(len(reviews.score)), (reviews.application, A + reviews.reviewer)),
        shape=(A + R, A + R),
    )
    _count, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for reviewer in sorted(set(int(r) for r in reviews.reviewer)):
        groups.setdefault(int(labels[A + reviewer]), []).append(reviewer)
    return sorted(groups.values(), key=lambda group: (-len(group), group[0]))


def fit(
    reviews: Reviews,
    *,
    k: int,
    cohort_id: int,
    draws: int = DRAWS,
    components: Components | None = None,
    leave_one_out: bool = True,
) -> Fit:
    """The whole ranking: components (estimated unless given), the exact posterior, draws,
    rank summaries, leave-one-reviewer-out and the connectivity warning."""
    if len(reviews.score) == 0:
        raise ValueError("no reviews to rank")
    if components is None:
        components = variance_components(reviews)
    post = posterior(reviews, components)
    seed = draw_seed(cohort_id, reviews)
    ranks = draw_ranks(post, seed=seed, draws=draws)
    summary = summarise_ranks(ranks, k)
    baseline = top_k(post.quality_mean, k)
    loo = leave_one_reviewer_out(reviews, components, k, baseline) if leave_one_out else []
    groups = reviewer_groups(reviews)
    warnings = []
    if len(groups) > 1:
        warnings.append(DISCONNECTED)
    if components.floored:
        warnings.append(FLOORED)
    return Fit(components=components, posterior=post, ranks=summary, k=k, seed=seed,
               draws=draws, leave_one_out=loo, groups=groups, warnings=warnings)  # fmt: skip


def uncertain(p_top: float) -> bool:
    """The uncertain band, one definition for the text, the buttons and the lottery."""
    return UNCERTAIN_LOW <= p_top <= UNCERTAIN_HIGH
