"""Synthetic cohorts drawn the way issue 16 specifies them."""

import numpy as np

from selection.model import Reviews


def balanced_assignment(rng, applications: int, reviewers: int, per_application: int):
    """Blocks of `reviewers` applications; in each block every reviewer reviews each
    application of one of `per_application` permutations, distinct within an application."""
    pairs = []
    for block_start in range(0, applications, reviewers):
        size = min(reviewers, applications - block_start)
        while True:
            permutations = [rng.permutation(reviewers) for _ in range(per_application)]
            columns = np.stack(permutations, axis=1)[:size]
            if all(len(set(row)) == per_application for row in columns):
                break
        for offset, row in enumerate(columns):
            pairs += [(block_start + offset, int(reviewer)) for reviewer in row]
    return np.array(pairs)


def synthetic_cohort(seed: int, applications=200, reviewers=20, per_application=3,
                     noise_sd=0.5):  # fmt: skip
    rng = np.random.default_rng(seed)
    quality = rng.standard_normal(applications)
    leniency = rng.uniform(-1, 1, reviewers)
    pairs = balanced_assignment(rng, applications, reviewers, per_application)
    score = (quality[pairs[:, 0]] + leniency[pairs[:, 1]]
             + rng.normal(0, noise_sd, len(pairs)))  # fmt: skip
    reviews = Reviews.of(pairs[:, 0], pairs[:, 1], score, applications=applications,
                         reviewers=reviewers)  # fmt: skip
    return reviews, quality, leniency, rng
