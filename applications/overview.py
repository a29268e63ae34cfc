"""Figures for the staff overview of a cohort's applications."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncDate

from .models import Application


@dataclass
class Day:
    day: date
    started: int
    submitted: int


def applications_per_day(cohort) -> list[Day]:
    """Drafts started and applications submitted each day (Paris time), from the opening (or
    the first draft) to the closing day."""
    paris = ZoneInfo(settings.TIME_ZONE)
    applications = Application.objects.filter(cohort=cohort)
    started = dict(
        applications.annotate(day=TruncDate("created_at", tzinfo=paris))
        .values_list("day")
        .annotate(count=Count("pk"))
    )
    submitted = dict(
        applications.filter(submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=paris))
        .values_list("day")
        .annotate(count=Count("pk"))
    )
    last = cohort.closes_at.astimezone(paris).date()
    first_candidates = [*started, *submitted]
    if cohort.opens_at:
        first_candidates.append(cohort.opens_at.astimezone(paris).date())
    first = min(first_candidates, default=last)
    days = []
    day = first
    while day <= last:
        days.append(Day(day=day, started=started.get(day, 0), submitted=submitted.get(day, 0)))
        day += timedelta(days=1)
    return days


@dataclass
class Bar:
    day: Day
    x: int
    started_y: float
    started_height: float
    submitted_x: int
    submitted_y: float
    submitted_height: float


CHART_HEIGHT = 100
SLOT = 10  # units of width per day: two bars of 4 and a gap


def chart_bars(days: list[Day]) -> list[Bar]:
    """Bar geometry for the SVG chart, computed here so the template only places it."""
    peak = max([max(day.started, day.submitted) for day in days] + [1])
    bars = []
    for index, day in enumerate(days):
        started_height = CHART_HEIGHT * day.started / peak
        submitted_height = CHART_HEIGHT * day.submitted / peak
        bars.append(
            Bar(
                day=day,
                x=index * SLOT,
                started_y=round(CHART_HEIGHT - started_height, 2),
                started_height=round(started_height, 2),
                submitted_x=index * SLOT + 4,
                submitted_y=round(CHART_HEIGHT - submitted_height, 2),
                submitted_height=round(submitted_height, 2),
            )
        )
    return bars
