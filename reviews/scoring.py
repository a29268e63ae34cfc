"""The weighted score of a review, defined once: every page, export and the ranking use it."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from accelerator.text import whole_number

from .enums import NOT_APPLICABLE


@dataclass(frozen=True)
class CriterionScore:
    criterion_id: int
    name: str
    weight: Decimal
    scale_max: int
    score: int | None  # None: not scored, or "not applicable"
    not_applicable: bool

    @property
    def normalised(self) -> float | None:
        """The score on 0–1: (s − 1) / (scale_max − 1)."""
        if self.score is None:
            return None
        return (self.score - 1) / (self.scale_max - 1)


def parse_score(value: str, scale_max: int) -> int | None:
    """A stored score field as a whole number within 1..scale_max written in ASCII digits, as
    the form offers it, or None. int() alone would take "３", " 3", "+3" and "0_3"."""
    score = whole_number(str(value))
    return score if score is not None and 1 <= score <= scale_max else None


def criterion_scores(criteria: Iterable, values: Mapping[str, str]) -> list[CriterionScore]:
    """Each criterion with what the review says of it (`values` by field key, "score:<id>")."""
    scores = []
    for criterion in criteria:
        raw = values.get(f"score:{criterion.pk}", "")
        scores.append(
            CriterionScore(
                criterion_id=criterion.pk,
                name=criterion.name,
                weight=Decimal(criterion.weight),
                scale_max=criterion.scale_max,
                score=parse_score(raw, criterion.scale_max),
                not_applicable=raw == NOT_APPLICABLE,
            )
        )
    return scores


def weighted_score(scores: Iterable[CriterionScore]) -> float | None:
    """The weighted mean of the normalised scores over the criteria that have a score and a
    weight above 0. "Not applicable" is left out, never counted as 0; criteria of weight 0
    are shown apart and never counted; a review with nothing to count has no score (None)."""
    total_weight = Decimal(0)
    total = Decimal(0)
    for score in scores:
        if score.weight <= 0 or score.normalised is None:
            continue
        total_weight += score.weight
        total += score.weight * Decimal(score.normalised)
    if total_weight == 0:
        return None
    return float(total / total_weight)
