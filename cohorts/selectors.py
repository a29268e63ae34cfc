"""Reads shared by the public pages."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from .enums import Phase
from .models import Cohort, CohortPartner, Partner


@dataclass
class HomeCohorts:
    open: list[Cohort]
    upcoming: list[Cohort]
    past: list[Cohort]


def cohorts_for_home(*, now: datetime | None = None) -> HomeCohorts:
    """Open calls first (soonest closing first), then upcoming (soonest opening first), then
    the rest, newest first; each with its program and partners, in a fixed number of queries."""
    now = now or timezone.now()
    cohorts = list(Cohort.objects.public())
    for cohort in cohorts:
        cohort.current_phase = cohort.phase(now)
    open_ = sorted((c for c in cohorts if c.current_phase == Phase.OPEN), key=lambda c: c.closes_at)
    upcoming = sorted(
        (c for c in cohorts if c.current_phase == Phase.UPCOMING), key=lambda c: c.opens_at
    )
    past = [c for c in cohorts if c.current_phase not in (Phase.OPEN, Phase.UPCOMING)]
    return HomeCohorts(open=open_, upcoming=upcoming, past=past)


def cohort_for_page(*, program_slug: str, slug: str) -> Cohort:
    return (
        Cohort.objects.public()
        .prefetch_related("questions")
        .get(program__slug=program_slug, slug=slug)
    )


def partner_with_cohorts(*, slug: str) -> Partner:
    return Partner.objects.prefetch_related(
        Prefetch(
            "cohort_partners",
            queryset=CohortPartner.objects.select_related("cohort__program").order_by(
                "-cohort__closes_at", "display_order"
            ),
        )
    ).get(slug=slug)
