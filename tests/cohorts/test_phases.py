"""cohort_phase at every boundary, and with each nullable date null."""

from datetime import date, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from cohorts.enums import Phase
from cohorts.phases import cohort_phase

PARIS = ZoneInfo("Europe/Paris")
SECOND = timedelta(seconds=1)

OPENS = datetime(2024, 6, 25, 0, 0, tzinfo=PARIS)
CLOSES = datetime(2024, 8, 16, 23, 59, 59, tzinfo=PARIS)
DECISIONS = datetime(2024, 8, 30, 12, 0, tzinfo=PARIS)
STARTS = date(2024, 9, 1)
ENDS = date(2025, 2, 28)
RUNNING_FROM = datetime(2024, 9, 1, 0, 0, tzinfo=PARIS)
FINISHED_FROM = datetime(2025, 3, 1, 0, 0, tzinfo=PARIS)


def cohort(**overrides):
    dates = {
        "opens_at": OPENS,
        "closes_at": CLOSES,
        "decisions_at": DECISIONS,
        "decisions_published_at": DECISIONS,
        "program_starts_on": STARTS,
        "program_ends_on": ENDS,
    }
    return SimpleNamespace(**(dates | overrides))


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (OPENS - SECOND, Phase.UPCOMING),
        (OPENS, Phase.OPEN),
        (CLOSES - SECOND, Phase.OPEN),
        (CLOSES, Phase.IN_REVIEW),
        (DECISIONS - SECOND, Phase.IN_REVIEW),
        (DECISIONS, Phase.DECIDED),
        (RUNNING_FROM - SECOND, Phase.DECIDED),
        (RUNNING_FROM, Phase.RUNNING),
        # The last day of the programme is still running, to its last second.
        (FINISHED_FROM - SECOND, Phase.RUNNING),
        (FINISHED_FROM, Phase.FINISHED),
    ],
)
def test_phase_at_each_boundary(now, phase):
    assert cohort_phase(cohort(), now) == phase


@pytest.mark.parametrize(
    ("null_date", "now", "phase"),
    [
        # No opening date: open from creation.
        ("opens_at", OPENS - timedelta(days=365), Phase.OPEN),
        # Decisions not published: in review until the programme starts.
        ("decisions_published_at", DECISIONS, Phase.IN_REVIEW),
        ("decisions_published_at", RUNNING_FROM, Phase.RUNNING),
        # No start date: decided until the programme's end is past.
        ("program_starts_on", RUNNING_FROM, Phase.DECIDED),
        ("program_starts_on", FINISHED_FROM, Phase.FINISHED),
        # No end date: running for good.
        ("program_ends_on", FINISHED_FROM + timedelta(days=3650), Phase.RUNNING),
    ],
)
def test_a_null_date_skips_its_phase(null_date, now, phase):
    assert cohort_phase(cohort(**{null_date: None}), now) == phase


def test_only_a_closing_date_means_open_then_in_review_for_good():
    bare = cohort(
        opens_at=None, decisions_published_at=None, program_starts_on=None, program_ends_on=None
    )

    assert cohort_phase(bare, CLOSES - SECOND) == Phase.OPEN
    assert cohort_phase(bare, CLOSES) == Phase.IN_REVIEW
    assert cohort_phase(bare, CLOSES + timedelta(days=3650)) == Phase.IN_REVIEW


def test_grace_minutes_keep_submissions_open_but_the_phase_says_closed(db):
    from tests.factories.cohorts import CohortFactory

    graced = CohortFactory(grace_minutes=10)

    assert graced.phase(CLOSES + timedelta(minutes=5)) == Phase.IN_REVIEW
    assert graced.accepts_submissions(CLOSES + timedelta(minutes=5)) is True
    assert graced.accepts_submissions(CLOSES + timedelta(minutes=10)) is False
    assert graced.accepts_submissions(OPENS - SECOND) is False


def test_the_announced_decision_date_alone_does_not_decide():
    assert cohort_phase(cohort(decisions_published_at=None), DECISIONS) == Phase.IN_REVIEW
