from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import selectors
from .calendar import cohort_calendar
from .models import Cohort, Partner
from .registries import decision_record_hash
from .timeline import cohort_timeline


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"cohorts": selectors.cohorts_for_home()})


@require_GET
def cohort_detail(request: HttpRequest, program_slug: str, slug: str) -> HttpResponse:
    try:
        cohort = selectors.cohort_for_page(program_slug=program_slug, slug=slug, user=request.user)
    except Cohort.DoesNotExist as error:
        raise Http404 from error
    now = timezone.now()
    cohort.current_phase = cohort.phase(now)
    # The record exists once decisions are published: no query for it before.
    record_sha256 = decision_record_hash(cohort) if cohort.decisions_published_at else ""
    context = {"cohort": cohort, "timeline": cohort_timeline(cohort, now=now),
               "record_sha256": record_sha256}  # fmt: skip
    return render(request, "cohorts/cohort_detail.html", context)


@require_GET
def cohort_ics(request: HttpRequest, program_slug: str, slug: str) -> HttpResponse:
    try:
        cohort = (
            selectors.cohorts_visible_to(request.user)
            .select_related("program")
            .get(program__slug=program_slug, slug=slug)
        )
    except Cohort.DoesNotExist as error:
        raise Http404 from error
    response = HttpResponse(
        cohort_calendar(cohort, domain=request.get_host().split(":")[0]),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{program_slug}-{slug}.ics"'
    return response


@require_GET
def partner_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        partner = selectors.partner_with_cohorts(slug=slug)
    except Partner.DoesNotExist as error:
        raise Http404 from error
    return render(request, "cohorts/partner_detail.html", {"partner": partner})


@require_GET
def partner_logo(request: HttpRequest, slug: str) -> FileResponse:
    """Logos come through here, not MEDIA_URL: the same path on every storage backend."""
    partner = Partner.objects.filter(slug=slug).only("logo").first()
    if partner is None or not partner.logo:
        raise Http404
    response = FileResponse(partner.logo.open("rb"))
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
