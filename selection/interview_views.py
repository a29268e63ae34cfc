"""Pages of the interview stage (#17): staff shortlist, create slots and invite (under
/staff/); a startup books (/interviews/<id>/); a panel member scores (/interviews/<id>/score/).
Thin: each POST calls one service in interviews.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accelerator.forms import form_problem
from accelerator.text import whole_number
from applications.enums import ApplicationStatus
from applications.exports import to_csv, to_xlsx
from applications.models import Application
from applications.selectors import applications_of
from cohorts.staff import cohort_in_scope, staff_page
from reviews.enums import ConflictState
from reviews.models import Conflict

from . import interview_selectors as reads
from . import interviews
from .forms import InterviewNotesForm, ShortlistNoteForm
from .ics import ICS_CONTENT_TYPE, ICS_FILENAME, interview_ics
from .interview_forms import BulkSlotsForm, MoveForm, PanelForm, SlotForm
from .interviews import InterviewError
from .models import InterviewInvitation, InterviewSlot
from .selectors import cohort_k, ranked_applications
from .views import _attachment


def _stage_url(cohort) -> str:
    return reverse("staff:interviews", args=[cohort.pk])


def _shortlisted_in_scope(request, cohort, application_id) -> Application:
    return get_object_or_404(
        ranked_applications(cohort).exclude(
            pk__in=Conflict.objects.filter(user=request.user, state=ConflictState.CONFIRMED).values(
                "application_id"
            )
        ),
        pk=application_id,
    )


def _back_on_this_site(request: HttpRequest, cohort) -> str:
    """The page the form came from (`back`), if it is on this site; else the ranking."""
    back = request.POST.get("back", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return reverse("staff:ranking", args=[cohort.pk])


@staff_page
@require_POST
def shortlist(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    ids = [whole_number(value) for value in request.POST.getlist("application")]
    conflicted = set(
        Conflict.objects.filter(user=request.user, state=ConflictState.CONFIRMED)
        .values_list("application_id", flat=True)
    )  # fmt: skip
    ids = [value for value in ids if value is not None and value not in conflicted]
    if not ids:
        messages.error(request, gettext("Tick at least one application to shortlist."))
        return HttpResponseRedirect(_back_on_this_site(request, cohort))
    form = ShortlistNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problem(form, ""))
        return HttpResponseRedirect(reverse("staff:ranking", args=[cohort.pk]))
    done = interviews.shortlist_add(
        cohort=cohort,
        application_ids=ids,
        actor=request.user,
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        gettext("%(count)s applications shortlisted.") % {"count": len(done)},
    )
    return HttpResponseRedirect(_stage_url(cohort))


@staff_page
@require_GET
def shortlist_preview(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    try:
        min_p_top = float(request.GET.get("min_p_top", ""))
    except ValueError:
        min_p_top = None
    valid = min_p_top is not None and 0 <= min_p_top <= 1
    if not valid:
        messages.error(request, gettext("Give a probability between 0 and 1."))
    context = {
        "cohort": cohort,
        "k": cohort_k(cohort),
        "min_p_top": min_p_top if valid else None,
        "estimates": reads.shortlist_preview(cohort, request.user, min_p_top) if valid else [],
        "section": "ranking",
    }
    return render(request, "selection/shortlist_preview.html", context)


@staff_page
@require_POST
def unshortlist(request: HttpRequest, cohort_id: int, application_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    application = _shortlisted_in_scope(request, cohort, application_id)
    form = ShortlistNoteForm(request.POST)
    try:
        if not form.is_valid():
            raise InterviewError(form_problem(form, ""))
        with transaction.atomic():
            interviews.shortlist_remove(application=application, actor=request.user,
                                        note=form.cleaned_data["note"])  # fmt: skip
    except InterviewError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("%(startup)s is no longer shortlisted.")
                         % {"startup": application.startup.name})  # fmt: skip
    return HttpResponseRedirect(_stage_url(cohort))


@staff_page
@require_GET
def stage(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    sort = request.GET.get("sort", "slot")
    candidates = reads.panel_candidates(cohort)
    rows = reads.stage_rows(cohort, request.user, sort)
    slots = reads.cohort_slots(cohort)
    # A booking of an application the user is in conflict with shows as "booked", unnamed.
    visible = {row.application.pk for row in rows}
    for slot in slots:
        booking = None if _free(slot) else slot.booking
        slot.booked = booking is not None
        slot.booked_name = (
            booking.application.startup.name if booking and booking.application_id in visible
            else ""
        )  # fmt: skip
    context = {
        "cohort": cohort,
        "rows": rows,
        "slots": slots,
        "unbooked": [row for row in rows if row.invited and row.slot is None],
        "to_invite": sum(1 for row in rows if not row.invited),
        "sort": sort,
        "sorts": reads.STAGE_SORTS,
        "k": cohort_k(cohort),
        "slot_form": SlotForm(candidates=candidates),
        "bulk_form": BulkSlotsForm(candidates=candidates),
        "section": "ranking",
    }
    return render(request, "selection/interviews.html", context)


def _free(slot) -> bool:
    try:
        return slot.booking is None
    except Exception:  # RelatedObjectDoesNotExist
        return True


@staff_page
@require_POST
def slot_create(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    form = SlotForm(request.POST, candidates=reads.panel_candidates(cohort))
    if form.is_valid():
        data = form.cleaned_data
        try:
            interviews.slot_create(
                cohort=cohort, starts_at=data["starts_at"], duration=data["duration"],
                place=data["place"], panel=[u.pk for u in data["panel"]], by=request.user,
            )  # fmt: skip
        except InterviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("The slot is created."))
    else:
        _form_errors(request, form)
    return HttpResponseRedirect(_stage_url(cohort))


@staff_page
@require_POST
def slots_bulk(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    form = BulkSlotsForm(request.POST, candidates=reads.panel_candidates(cohort))
    if form.is_valid():
        data = form.cleaned_data
        try:
            slots = interviews.slots_create_bulk(
                cohort=cohort, days=data["days"], first=data["first"], last=data["last"],
                duration=data["duration"], gap=data["gap"], place=data["place"],
                panel=[u.pk for u in data["panel"]], by=request.user,
            )  # fmt: skip
        except InterviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("%(count)s slots created.") % {"count": len(slots)})
    else:
        _form_errors(request, form)
    return HttpResponseRedirect(_stage_url(cohort))


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _slot(request, cohort, slot_id) -> InterviewSlot:
    return get_object_or_404(InterviewSlot.objects.filter(cohort=cohort), pk=slot_id)


@staff_page
@require_POST
def slot_action(request: HttpRequest, cohort_id: int, slot_id: int) -> HttpResponse:
    """Move, cancel, set the panel, free the booking, or book it for a startup."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    slot = _slot(request, cohort, slot_id)
    action = request.POST.get("action")
    try:
        with transaction.atomic():
            if action == "move":
                form = MoveForm(request.POST)
                if not form.is_valid():
                    raise InterviewError(gettext("Give the new start time."))
                interviews.slot_move(slot=slot, starts_at=form.cleaned_data["starts_at"],
                                     by=request.user)  # fmt: skip
                messages.success(request, gettext("The slot is moved."))
            elif action == "cancel":
                interviews.slot_cancel(slot=slot, by=request.user)
                messages.success(request, gettext("The slot is cancelled."))
            elif action == "free":
                booking = getattr(slot, "booking", None) if not _free(slot) else None
                if booking is not None:
                    interviews.booking_cancel(booking=booking, by=request.user)
                messages.success(request, gettext("The slot is free again."))
            elif action == "panel":
                form = PanelForm(request.POST, candidates=reads.panel_candidates(cohort))
                if not form.is_valid():
                    raise InterviewError(
                        gettext("A panel is made of the cohort's staff and reviewers only.")
                    )
                panel = [u.pk for u in form.cleaned_data["panel"]]
                interviews.slot_panel_set(slot=slot, user_ids=panel, by=request.user)
                messages.success(request, gettext("The panel is saved."))
            elif action == "book":
                application = _shortlisted_in_scope(
                    request, cohort, whole_number(request.POST.get("application", "")) or 0
                )
                interviews.interview_book(application=application, slot_id=slot.pk,
                                          user=request.user, by_staff=True)  # fmt: skip
                messages.success(request, gettext("The slot is booked for %(startup)s.")
                                 % {"startup": application.startup.name})  # fmt: skip
            else:
                raise InterviewError(gettext("Unknown action."))
    except InterviewError as error:
        messages.error(request, str(error))
    return HttpResponseRedirect(_stage_url(cohort))


@staff_page
@require_POST
def invitations_send(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    count = interviews.invitations_send(cohort=cohort, by=request.user)
    messages.success(
        request, gettext("%(count)s startups invited to interview.") % {"count": count}
    )
    return HttpResponseRedirect(_stage_url(cohort))


EXPORT_HEADER = ["startup", "status", "invited", "slot (Paris)", "place", "panel",
                 "calibrated score", "P(top k)", "interview mean", "interview scores"]  # fmt: skip


@staff_page
@require_GET
def stage_export(request: HttpRequest, cohort_id: int, file_format: str) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    rows = []
    for row in reads.stage_rows(cohort, request.user, request.GET.get("sort", "slot")):
        estimate = row.estimate
        rows.append([
            row.application.startup.name,
            row.application.status,
            "yes" if row.invited else "no",
            timezone.localtime(row.slot.starts_at).strftime("%Y-%m-%d %H:%M") if row.slot else "",
            row.slot.place if row.slot else "",
            "; ".join(row.panel),
            None if estimate is None else estimate.calibrated_score,
            None if estimate is None else estimate.p_top,
            row.mean,
            "; ".join(f"{name}: {'' if score is None else round(score, 3)}"
                      for name, score, _notes in row.scores),
        ])  # fmt: skip
    name = slugify(f"{cohort.program.slug} {cohort.slug} interviews")
    if file_format == "xlsx":
        return _attachment(to_xlsx(EXPORT_HEADER, rows, title=gettext("Interviews")), "xlsx", name)
    return _attachment(to_csv(EXPORT_HEADER, rows), "csv", name)


# --- The startup -----------------------------------------------------------------------------


def _invited_application(request, application_id) -> tuple[Application, InterviewInvitation]:
    application = get_object_or_404(
        applications_of(request.user).select_related("startup", "cohort__program"),
        pk=application_id,
    )
    invitation = InterviewInvitation.objects.filter(application=application).first()
    if invitation is None:
        raise Http404
    return application, invitation


@login_required
@require_http_methods(["GET", "POST"])
def booking(request: HttpRequest, application_id: int) -> HttpResponse:
    application, _invitation = _invited_application(request, application_id)
    if application.status != ApplicationStatus.SHORTLISTED:
        # The invitation's and the booking's emails still link here after the decisions (or a
        # withdrawal): say the stage is over and where the application stands, not a 404.
        return render(request, "selection/interview_stage_over.html", {"application": application})
    if request.method == "POST":
        slot_id = request.POST.get("slot", "")
        slot_id = whole_number(slot_id) or 0
        try:
            interviews.interview_book(application=application, slot_id=slot_id,
                                      user=request.user)  # fmt: skip
        except InterviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Your interview is booked. The calendar file is "
                                              "below and in your email."))  # fmt: skip
        return HttpResponseRedirect(reverse("interview_booking", args=[application.pk]))
    now = timezone.now()
    current = reads.booking_of(application)
    context = {
        "application": application,
        "booking": current,
        "can_move": current is None or current.slot.starts_at - now >= interviews.REBOOKING_CUTOFF,
        "slots": reads.free_slots(application, now),
    }
    return render(request, "selection/booking.html", context)


@login_required
@require_GET
def booking_ics(request: HttpRequest, application_id: int) -> HttpResponse:
    application, invitation = _invited_application(request, application_id)
    if application.status != ApplicationStatus.SHORTLISTED:
        raise Http404
    current = reads.booking_of(application)
    if current is None:
        raise Http404
    content = interview_ics(
        application=application, slot=current.slot, sequence=invitation.sequence
    )
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{ICS_FILENAME}"'
    return response


# --- The panel -------------------------------------------------------------------------------


def _panel_application(request, application_id) -> Application:
    """The application if the user sits on its booked slot's panel and has no conflict with
    it; 404 otherwise."""
    for booking in reads.panel_interviews(request.user):
        if booking.application_id == application_id:
            return booking.application, booking.slot
    raise Http404


@login_required
@require_GET
def panel(request: HttpRequest) -> HttpResponse:
    return render(
        request, "selection/panel.html", {"bookings": reads.panel_interviews(request.user)}
    )


@login_required
@ensure_csrf_cookie
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, application_id: int) -> HttpResponse:
    application, slot = _panel_application(request, application_id)
    criteria = list(application.cohort.interview_criteria.all())
    saved = application.interview_scores.filter(user=request.user).first()
    if request.method == "POST":
        values = {f"c{c.pk}": request.POST.get(f"c{c.pk}", "") for c in criteria}
        context = {"slot": "interview", "user": request.user}
        form = InterviewNotesForm(request.POST)
        try:
            if not form.is_valid():
                raise InterviewError(form_problem(form, ""))
            saved = interviews.interview_score_save(
                application=application, user=request.user, scores=values,
                notes=form.cleaned_data["notes"],
            )  # fmt: skip
            context["saved_at"] = saved.updated_at
        except InterviewError as error:
            context["refused"] = [str(error)]
        if request.htmx:
            return render(request, "reviews/partials/field_status.html", context)
        if "refused" in context:
            messages.error(request, context["refused"][0])
        else:
            messages.success(request, gettext("Your scores are saved."))
        return HttpResponseRedirect(reverse("interview_score", args=[application.pk]))
    values = saved.scores if saved else {}
    context = {
        "application": application,
        "slot": slot,
        "criteria": [
            (c, f"c{c.pk}", values.get(f"c{c.pk}"), range(1, c.scale_max + 1)) for c in criteria
        ],
        "notes": saved.notes if saved else "",
        "saved": saved,
    }
    return render(request, "selection/score.html", context)
