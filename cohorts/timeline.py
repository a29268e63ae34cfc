"""A cohort's dates in order, for the timeline drawn on its page."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext_lazy as _

from .models import Cohort
from .phases import start_of_day


@dataclass
class Milestone:
    label: str
    at: datetime | date
    is_date: bool
    is_past: bool


def cohort_timeline(cohort: Cohort, *, now: datetime) -> list[Milestone]:
    moments = [
        (_("Applications open"), cohort.opens_at),
        (_("Applications close"), cohort.closes_at),
        (_("Reviews close"), cohort.reviews_close_at),
        (_("Decisions"), cohort.decisions_at),
        (_("Programme starts"), cohort.program_starts_on),
        (_("Programme ends"), cohort.program_ends_on),
    ]
    timeline = []
    for label, at in moments:
        if at is None:
            continue
        is_date = not isinstance(at, datetime)
        starts = start_of_day(at) if is_date else at
        timeline.append(Milestone(label=label, at=at, is_date=is_date, is_past=starts <= now))
    return timeline
