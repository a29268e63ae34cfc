"""Figures for the staff overview of a cohort's applications."""

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count

from .models import Application


@dataclass
class Day:
    day: date
    started: int
    submitted: int


def applications_per_day(cohort) -> list[Day]:
    """Drafts started and applications submitted (for the first time) each day, Paris time,
    from the opening (or the first draft) to the closing day: two GROUP BYs on stored days."""
    paris = ZoneInfo(settings.TIME_ZONE)
    applications = Application.objects.filter(cohort=cohort).order_by()
    started = dict(applications.values_list("started_on").annotate(count=Count("pk")))
    submitted = dict(
        applications.filter(submitted_on__isnull=False)
        .values_list("submitted_on")
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
    started_x: float
    started_y: float
    started_height: float
    submitted_x: float
    submitted_y: float
    submitted_height: float


@dataclass
class Tick:
    label: str
    x: float
    y: float


@dataclass
class Chart:
    """Geometry of the per-day SVG chart, computed here so the template only places it."""

    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bar_width: float
    bars: list[Bar]
    y_ticks: list[Tick]
    x_ticks: list[Tick]


WIDTH, HEIGHT = 640, 220
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 48, 632, 28, 176
MAX_X_LABELS = 6


def _y_tick_values(peak: int) -> list[int]:
    return sorted({0, (peak + 1) // 2, peak}) if peak > 1 else [0, 1]


def chart_for(days: list[Day]) -> Chart:
    """Bars for drafts started and applications submitted each day, a count axis (0, half,
    peak) and up to six date labels."""
    peak = max([max(day.started, day.submitted) for day in days] + [1])
    plot_height = PLOT_BOTTOM - PLOT_TOP
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(days), 1)
    bar_width = round(slot * 0.4, 2)

    def y_of(count: int) -> float:
        return round(PLOT_BOTTOM - plot_height * count / peak, 2)

    bars = []
    for index, day in enumerate(days):
        left = PLOT_LEFT + index * slot + slot * 0.1
        bars.append(
            Bar(
                day=day,
                started_x=round(left, 2),
                started_y=y_of(day.started),
                started_height=round(PLOT_BOTTOM - y_of(day.started), 2),
                submitted_x=round(left + bar_width, 2),
                submitted_y=y_of(day.submitted),
                submitted_height=round(PLOT_BOTTOM - y_of(day.submitted), 2),
            )
        )
    y_ticks = [Tick(label=str(value), x=PLOT_LEFT - 6, y=y_of(value)) for value in
               _y_tick_values(peak)]  # fmt: skip
    step = max(1, -(-len(days) // MAX_X_LABELS))  # ceiling division
    x_ticks = [
        Tick(
            label=days[index].day.strftime("%d/%m"),
            x=round(PLOT_LEFT + (index + 0.5) * slot, 2),
            y=PLOT_BOTTOM + 16,
        )
        for index in range(0, len(days), step)
    ]
    return Chart(
        width=WIDTH, height=HEIGHT, plot_left=PLOT_LEFT, plot_right=PLOT_RIGHT,
        plot_top=PLOT_TOP, plot_bottom=PLOT_BOTTOM, bar_width=bar_width, bars=bars,
        y_ticks=y_ticks, x_ticks=x_ticks,
    )  # fmt: skip
