"""Staff pages of the ranking, under /staff/cohorts/<id>/ranking/: they read the stored fit
and never fit in a request. Every cohort is looked up through the staff scope."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from applications.enums import ApplicationStatus
from applications.exports import to_csv, to_xlsx
from applications.forms import StaffFilterForm
from applications.selectors import cohort_countries
from cohorts.staff import cohort_in_scope, staff_page
from reviews import selectors as review_selectors
from reviews import services as review_services
from reviews.enums import Recommendation

from . import charts, exports, selectors, services
from .forms import ThresholdForm
from .model import UNCERTAIN_HIGH, UNCERTAIN_LOW
from .models import DEFAULT_DISAGREEMENT

TOP_PICTURE = 20


def _recommendations(counts: dict) -> str:
    """ "2 strong yes, 1 maybe", in the enum's order."""
    return ", ".join(
        f"{counts[code]} {label.lower()}"
        for code, label in Recommendation.choices
        if code in counts
    )


def _flags(estimate, needed: int, threshold: float) -> list[str]:
    flags = []
    if estimate.spread is not None and estimate.spread > threshold:
        flags.append(gettext("reviewers disagree"))
    if estimate.reviews_submitted < needed:
        flags.append(gettext("missing reviews"))
    if estimate.reviews_excluded:
        flags.append(gettext("a review was excluded"))
    return flags


def _rows(estimates, criteria, *, ranked: int, k: int, needed: int, threshold: float) -> list:
    """Each row's cells as text, formatted here once (250 rows a page: template filters and
    translation tags per cell would cost more than the rest of the page)."""
    decimal = get_format("DECIMAL_SEPARATOR")

    def number(value, digits: int) -> str:
        return "—" if value is None else f"{value:.{digits}f}".replace(".", decimal)

    statuses = {code: str(label) for code, label in ApplicationStatus.choices}
    interval_label = gettext("90%% interval from rank %(low)s to %(high)s")
    detail_prefix = reverse("staff:application", args=[0]).removesuffix("0/")
    keys = [selectors.criterion_key(criterion.pk) for criterion in criteria]
    rows = []
    for e in estimates:
        bar = charts.row_bar(e, ranked, k)
        rows.append(
            Row(
                application_id=e.application_id,
                shortlistable=e.application.status == ApplicationStatus.SUBMITTED,
                rank="—" if e.rank is None else str(e.rank),
                startup=e.application.startup.name,
                url=f"{detail_prefix}{e.application_id}/",
                status=statuses.get(e.application.status, e.application.status),
                raw=number(e.raw_mean, 2),
                calibrated=number(e.calibrated_score, 2),
                interval="" if bar is None else (
                    f"{number(e.expected_rank, 1)} ({e.rank_50_low}–{e.rank_50_high}, "
                    f"{e.rank_90_low}–{e.rank_90_high})"
                ),
                bar=bar,
                bar_label="" if bar is None else interval_label % {
                    "low": e.rank_90_low, "high": e.rank_90_high},
                p_top=number(e.p_top, 2),
                reviews=f"{e.reviews_submitted} / {needed}",
                spread=number(e.spread, 2),
                recommendations=_recommendations(e.recommendations),
                criteria=[number(e.criterion_means.get(key), 1) for key in keys],
                flags=_flags(e, needed, threshold),
                uncertain=e.p_top is not None and UNCERTAIN_LOW <= e.p_top <= UNCERTAIN_HIGH,
            )
        )  # fmt: skip
    return rows


@dataclass
class Row:
    application_id: int
    shortlistable: bool
    rank: str
    startup: str
    url: str
    status: str
    raw: str
    calibrated: str
    interval: str
    bar: charts.RowBar | None
    bar_label: str
    p_top: str
    reviews: str
    spread: str
    recommendations: str
    criteria: list[str]
    flags: list[str]
    uncertain: bool


SORTABLE = ["rank", "startup", "status", "raw", "calibrated", "expected", "p_top", "reviews",
            "spread"]  # fmt: skip


@staff_page
@require_GET
def ranking(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    stored = selectors.ranking_row(cohort)
    form = StaffFilterForm(request.GET, countries=cohort_countries(cohort))
    criteria = list(cohort.criteria.all())
    sort = request.GET.get("sort", "rank")
    estimates = selectors.ranking_estimates(
        cohort=cohort, user=request.user, filters=form.filters(), sort=sort,
        criterion_ids=[c.pk for c in criteria],
    )  # fmt: skip
    page = Paginator(estimates, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    k = stored.k if stored else selectors.cohort_k(cohort)
    ranked = stored.application_count if stored else 0
    threshold = stored.disagreement_threshold if stored else DEFAULT_DISAGREEMENT
    rows = _rows(page.object_list, criteria, ranked=ranked, k=k,
                 needed=cohort.reviews_per_application, threshold=threshold)  # fmt: skip
    conflicted = selectors.conflicted_applications(request.user, cohort)
    conflicted_ids = {application.pk for application in conflicted}
    cut = selectors.cut_line(cohort, request.user) if stored and stored.computed_at else None
    top = selectors.top_estimates(cohort, request.user, TOP_PICTURE) if cut else []
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    columns = [(key, sort == key) for key in SORTABLE]
    context = {
        "cohort": cohort,
        "ranking": stored,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "sort": sort,
        "columns": dict(columns),
        "criteria": criteria,
        "k": k,
        "p_top_label": gettext("P(top %(k)s)") % {"k": k},
        "needed": cohort.reviews_per_application,
        "conflicted": conflicted,
        "screened_out": selectors.screened_out_applications(cohort),
        "cut": cut,
        "requested_review_days": review_services.REQUESTED_REVIEW_DAYS,
        "places_left": max(k - len(cut["sure"]), 0) if cut else k,
        "leave_one_out": _leave_one_out(stored, conflicted_ids),
        "top": top,
        "top_picture": charts.rank_intervals(top, k) if top else None,
        "histogram": charts.score_histogram(stored.score_histogram) if stored else None,
        "threshold_form": ThresholdForm(initial={"disagreement_threshold": threshold}),
        "section": "ranking",
    }
    return render(request, "selection/ranking.html", context)


def _leave_one_out(stored, conflicted_ids: set[int]) -> list[dict]:
    """Sentences' parts, leaving out any change that names an application the user is
    conflicted with."""
    if not stored:
        return []
    results = []
    for result in stored.leave_one_out:
        names = [*result["entered"], *result["left"]]
        if any(application_id in conflicted_ids for application_id, _name in names):
            continue
        results.append(
            {
                "reviewer": result["reviewer_name"],
                "entered": ", ".join(name for _id, name in result["entered"]),
                "left": ", ".join(name for _id, name in result["left"]),
                "entered_count": len(result["entered"]),
                "left_count": len(result["left"]),
            }
        )
    return results


@staff_page
@require_POST
def ranking_recompute(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    services.ranking_request(cohort_id=cohort.pk)
    messages.success(
        request, gettext("The ranking will be recomputed within a minute: reload this page then.")
    )
    return HttpResponseRedirect(reverse("staff:ranking", args=[cohort.pk]))


@staff_page
@require_POST
def ranking_threshold(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    form = ThresholdForm(request.POST)
    if form.is_valid():
        services.disagreement_threshold_set(
            cohort=cohort, threshold=form.cleaned_data["disagreement_threshold"]
        )
        messages.success(request, gettext("The disagreement threshold is saved."))
    else:
        for error in form.errors.get("disagreement_threshold", []):
            messages.error(request, error)
    return HttpResponseRedirect(reverse("staff:ranking", args=[cohort.pk]))


@staff_page
@require_POST
def ranking_request_reviews(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """One more review for each application of the uncertain band, as the page showed it to
    this user (their conflicted applications aside): read again here, never from the form."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    band = selectors.cut_line(cohort, request.user)["uncertain"]
    if not band:
        messages.error(request, gettext("No application is in the uncertain band."))
        return HttpResponseRedirect(reverse("staff:ranking", args=[cohort.pk]))
    plan = review_services.review_requests_create(
        cohort=cohort, application_ids=[estimate.application_id for estimate in band],
        by=request.user,
    )  # fmt: skip
    assigned = len(plan.pairs)
    messages.success(
        request,
        ngettext(
            "One more review requested for %(count)s application: %(assigned)s reviewer "
            "assigned, who can write it for %(days)s days.",
            "One more review requested for %(count)s applications: %(assigned)s reviewers "
            "assigned, who can write them for %(days)s days.",
            len(band),
        )
        % {"count": len(band), "assigned": assigned, "days": review_services.REQUESTED_REVIEW_DAYS},
    )
    if plan.unfilled:
        names = {estimate.application_id: estimate.application.startup.name for estimate in band}
        for item in plan.unfilled:
            messages.warning(
                request,
                gettext("%(startup)s: no reviewer could be assigned. %(reason)s")
                % {"startup": names.get(item.application_id, item.application_id),
                   "reason": review_selectors.unfilled_reason_text(item.reason)},
            )  # fmt: skip
    return HttpResponseRedirect(reverse("staff:ranking", args=[cohort.pk]))


@staff_page
@require_GET
def leniency(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    rows = selectors.leniencies(cohort)
    names = {row.reviewer_id: selectors.reviewer_label(row.reviewer) for row in rows}
    for row in rows:
        row.name = names[row.reviewer_id]
    context = {
        "cohort": cohort,
        "ranking": selectors.ranking_row(cohort),
        "rows": rows,
        "picture": charts.leniencies(rows, names) if rows else None,
        "section": "ranking",
    }
    return render(request, "selection/leniency.html", context)


@staff_page
@require_GET
def method(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    stored = selectors.ranking_row(cohort)
    context = {
        "cohort": cohort,
        "ranking": stored,
        "k": stored.k if stored else selectors.cohort_k(cohort),
        "noise_sd": stored.sigma2**0.5 if stored and stored.sigma2 else None,
        "leniency_sd": stored.sigma_b2**0.5 if stored and stored.sigma_b2 else None,
        "quality_sd": stored.tau2**0.5 if stored and stored.tau2 else None,
        "section": "ranking",
    }
    return render(request, "selection/method.html", context)


def _attachment(content: bytes, file_format: str, name: str) -> HttpResponse:
    if file_format == "xlsx":
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response


@staff_page
@require_GET
def ranking_export(request: HttpRequest, cohort_id: int, file_format: str) -> HttpResponse:
    """The ranking for the selection meeting, the user's conflicted applications left out."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    header, rows = exports.ranking_table(cohort, request.user)
    name = slugify(f"{cohort.program.slug} {cohort.slug} ranking")
    if file_format == "xlsx":
        return _attachment(to_xlsx(header, rows, title=gettext("Ranking")), "xlsx", name)
    return _attachment(to_csv(header, rows), "csv", name)


@staff_page
@require_GET
def reviews_export(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Every submitted review of the cohort, the user's conflicted applications left out."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    header, rows = exports.reviews_table(cohort, request.user)
    name = slugify(f"{cohort.program.slug} {cohort.slug} reviews")
    return _attachment(to_csv(header, rows), "csv", name)
