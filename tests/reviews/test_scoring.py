"""The weighted score of a review, on cases computed by hand."""

from decimal import Decimal

import pytest

from reviews.scoring import CriterionScore, weighted_score


def criterion(weight, scale_max, score, *, not_applicable=False, pk=1):
    return CriterionScore(criterion_id=pk, name=f"C{pk}", weight=Decimal(weight),
                          scale_max=scale_max, score=score,
                          not_applicable=not_applicable)  # fmt: skip


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # (5−1)/4 = 1 and (1−1)/4 = 0, weights 3 and 1: 3/4.
        ([criterion(3, 5, 5), criterion(1, 5, 1)], 0.75),
        # Different scales: (3−1)/4 = 0.5 and (10−1)/9 = 1, weights 2 and 2: 0.75.
        ([criterion(2, 5, 3), criterion(2, 10, 10)], 0.75),
        # Not applicable is left out, not counted as 0: only (4−1)/4 = 0.75 counts.
        ([criterion(3, 5, 4), criterion(3, 5, None, not_applicable=True)], 0.75),
        # Weight 0 is shown apart and never counted: only (2−1)/2 = 0.5 counts.
        ([criterion(1, 3, 2), criterion(0, 5, 5)], 0.5),
        # A scale of two: 2 is the top (1.0), 1 the bottom (0.0); weights 1.5 and 0.5: 0.75.
        ([criterion("1.5", 2, 2), criterion("0.5", 2, 1)], 0.75),
        # Every weighted criterion not applicable: no score, not 0.
        ([criterion(2, 5, None, not_applicable=True), criterion(0, 5, 5)], None),
        ([], None),
    ],
)
def test_weighted_score_on_hand_computed_cases(scores, expected):
    assert weighted_score(scores) == expected
