"""The staff home and a cohort's hub: what several apps know about the cohorts one manages."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from applications.enums import ApplicationStatus
from applications.overview import applications_per_day, chart_for
from applications.selectors import status_counts
from cohorts.staff import cohort_in_scope, staff_page
from selection.funnel import cohort_funnel


def _counts(by_status: dict[str, int]) -> dict[str, int]:
    """Drafts, submitted (whatever became of them since, withdrawals aside) and withdrawn."""
    drafts = by_status.get(ApplicationStatus.DRAFT, 0)
    withdrawn = by_status.get(ApplicationStatus.WITHDRAWN, 0)
    return {
        "drafts": drafts,
        "submitted": sum(by_status.values()) - drafts - withdrawn,
        "withdrawn": withdrawn,
    }


@staff_page
@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    cohorts = list(
        request.staff_scope.cohorts().select_related("program").order_by("-closes_at", "pk")
    )
    counts = status_counts([cohort.pk for cohort in cohorts])
    now = timezone.now()
    for cohort in cohorts:
        cohort.current_phase = cohort.phase(now)
        cohort.counts = _counts(counts[cohort.pk])
    return render(request, "dashboards/staff_home.html", {"cohorts": cohorts})


FUNNEL_BAR_WIDTH = 240


def _funnel_rows(stages) -> list[dict]:
    """Each stage with its bar: widths relative to the first stage."""
    top = max([stage.count or 0 for stage in stages] + [1])
    return [
        {"label": stage.label, "count": stage.count, "y": 4 + 22 * i,
         "width": round(FUNNEL_BAR_WIDTH * (stage.count or 0) / top)}
        for i, stage in enumerate(stages)
    ]  # fmt: skip


@staff_page
@require_GET
def cohort_hub(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    cohort.current_phase = cohort.phase()
    days = applications_per_day(cohort)
    funnel = _funnel_rows(cohort_funnel(cohort))
    context = {
        "funnel": funnel,
        "funnel_height": 22 * len(funnel) + 4,
        "cohort": cohort,
        "counts": _counts(status_counts([cohort.pk])[cohort.pk]),
        "days": days,
        "chart": chart_for(days),
        "section": "overview",
    }
    return render(request, "dashboards/cohort_hub.html", context)
