"""The one function that says where a cohort stands. Phases are never stored."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from .enums import Phase


def start_of_day(day: date) -> datetime:
    """Programme dates are days in the cohort's city: they begin at 00:00 Paris time."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def cohort_phase(cohort, now: datetime) -> Phase:
    """upcoming → open → in review → decided → running → finished.

    Each phase starts at its date (the decided phase when decisions are published, not at
    the announced `decisions_at`); a null date skips its phase. Applications close at
    `closes_at` for every page (the grace minutes only keep accepting submissions). The
    programme runs from its first day to its last, inclusive.
    """
    if cohort.opens_at is not None and now < cohort.opens_at:
        return Phase.UPCOMING
    starts = [
        (cohort.closes_at, Phase.IN_REVIEW),
        (cohort.decisions_published_at, Phase.DECIDED),
        (cohort.program_starts_on and start_of_day(cohort.program_starts_on), Phase.RUNNING),
        (
            cohort.program_ends_on and start_of_day(cohort.program_ends_on + timedelta(days=1)),
            Phase.FINISHED,
        ),
    ]
    phase = Phase.OPEN
    for starts_at, next_phase in starts:
        if starts_at is not None and now >= starts_at:
            phase = next_phase
    return phase
