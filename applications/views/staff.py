"""Staff pages of applications, under /staff/: a cohort's list, one application, its files,
and the exports. Every object is looked up through the staff scope: another program's
cohort or application does not exist here (404)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from accelerator.forms import form_problem
from accelerator.text import whole_number
from cohorts.enums import QuestionKind
from cohorts.staff import cohort_in_scope, staff_page

from .. import selectors, services
from ..answers import answer_display
from ..exports import export_table, to_csv, to_xlsx
from ..forms import ExtensionForm, ScreenOutForm, StaffFilterForm
from ..models import Application
from .files import answer_file_attachment, deck_attachment

PARIS = ZoneInfo(settings.TIME_ZONE)


def _filter_form(request: HttpRequest, cohort) -> StaffFilterForm:
    return StaffFilterForm(request.GET, countries=selectors.cohort_countries(cohort))


@staff_page
@require_GET
def cohort_applications(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    form = _filter_form(request, cohort)
    applications = selectors.staff_applications(
        cohort=cohort, filters=form.filters(), viewer=request.user
    )
    page = Paginator(applications, selectors.STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.with_versions(page.object_list)
    # One reverse() for the page, not one per row.
    detail_prefix = reverse("staff:application", args=[0]).removesuffix("0/")
    for application in page.object_list:
        application.staff_url = f"{detail_prefix}{application.pk}/"
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "cohort": cohort,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "conflicted": selectors.conflicted_in_cohort(cohort, request.user),
        "screen_out_form": ScreenOutForm(),
        "section": "applications",
    }
    return render(request, "applications/staff/cohort_applications.html", context)


@staff_page
@require_POST
def cohort_screen_out(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """Screen out the applications ticked on the list, with one reason."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    back = reverse("staff:cohort_applications", args=[cohort.pk])
    query = request.POST.get("query", "")
    if query:
        back += "?" + query
    ids = [whole_number(value) for value in request.POST.getlist("application")]
    ids = [pk for pk in ids if pk is not None]
    form = ScreenOutForm(request.POST)
    if not ids:
        messages.error(request, gettext("Tick the applications to screen out."))
        return HttpResponseRedirect(back)
    if not form.is_valid():
        problem = form_problem(form, gettext("Say why these applications are screened out."))
        messages.error(request, problem)
        return HttpResponseRedirect(back)
    applications = Application.objects.filter(cohort=cohort, pk__in=ids).order_by("pk")
    done, refused = services.applications_screen_out(
        applications=applications, by=request.user, reason=form.cleaned_data["reason"]
    )
    if done:
        messages.success(
            request,
            ngettext("%(count)d application screened out.", "%(count)d applications screened out.",
                     len(done)) % {"count": len(done)},
        )  # fmt: skip
    for application, problem in refused:
        messages.error(request, f"{application.startup.name}: {problem}")
    return HttpResponseRedirect(back)


@staff_page
@require_POST
def application_screening(request: HttpRequest, application_id: int) -> HttpResponse:
    """Screen one application out (with a reason) or back in."""
    application = _application(request, application_id)
    if request.POST.get("next") == "reviewers":
        back = reverse("staff:cohort_reviewers", args=[application.cohort_id]) + "#screened-out"
    else:
        back = reverse("staff:application", args=[application.pk]) + "#screening"
    try:
        if request.POST.get("action") == "in":
            services.application_screen_in(application=application, by=request.user)
            messages.success(request, gettext("Screened back in: it will be reviewed."))
        else:
            form = ScreenOutForm(request.POST)
            if not form.is_valid():
                raise services.ApplicationError(
                    form_problem(form, gettext("Say why this application is screened out."))
                )
            services.application_screen_out(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, gettext("Screened out: it leaves assignment and ranking."))
    except services.ApplicationError as error:
        messages.error(request, " ".join(error.problems))
    return HttpResponseRedirect(back)


def _application(request: HttpRequest, application_id: int) -> Application:
    try:
        return selectors.staff_application(scope=request.staff_scope, application_id=application_id)
    except Application.DoesNotExist as error:
        raise Http404 from error


def _answer_rows(application: Application, submission) -> list[dict]:
    """Each question with the answer of the latest submitted version and, where the live
    draft differs from it, the draft's answer."""
    submitted = {}
    if submission is not None:
        submitted = {a.get("question"): a for a in submission.content.get("answers", [])}
    drafts = {answer.question_id: answer.value for answer in application.answers.all()}
    rows = []
    for question in application.cohort.questions.all():
        submitted_answer = submitted.get(question.pk)
        submitted_value = submitted_answer.get("value") if submitted_answer else ""
        draft_value = drafts.get(question.pk, "")
        rows.append(
            {
                "question": question,
                "label": submitted_answer.get("label") if submitted_answer else question.label,
                "submitted": answer_display(question.kind, submitted_value),
                "submitted_file": question.kind == QuestionKind.FILE
                and isinstance(submitted_value, dict)
                and bool(submitted_value.get("file")),
                "draft": answer_display(question.kind, draft_value),
                "differs": submission is not None and draft_value != submitted_value,
            }
        )
    return rows


@staff_page
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _application(request, application_id)
    form = ExtensionForm()
    if request.method == "POST":
        with timezone.override(PARIS):
            form = ExtensionForm(request.POST)
            if form.is_valid():
                try:
                    services.extension_grant(
                        application=application,
                        closes_at=form.cleaned_data["closes_at"],
                        reason=form.cleaned_data["reason"],
                        message=form.cleaned_data["message"],
                        granted_by=request.user,
                    )
                except services.ApplicationError as error:
                    for problem in error.problems:
                        form.add_error("closes_at", problem)
                else:
                    messages.success(request, gettext("The extension is granted."))
                    return HttpResponseRedirect(request.path + "#extensions")
    submissions = list(application.submissions.all())
    latest = submissions[0] if submissions else None
    deck = (latest.content.get("deck") or {}) if latest else {}
    context = {
        "application": application,
        "cohort": application.cohort,
        "startup": application.startup,
        "members": list(application.startup.memberships.all()),
        "named_conflicts": list(application.named_conflicts.all()),
        "submissions": submissions,
        "latest": latest,
        "answers": _answer_rows(application, latest),
        "submitted_deck": deck,
        "deck_changed": bool(latest)
        and (deck.get("file") or "") != (application.pitch_deck.name or ""),
        "extension_form": form,
        "screen_out_form": ScreenOutForm(),
        "section": "applications",
    }
    return render(request, "applications/staff/application_detail.html", context)


def _version(application: Application, request: HttpRequest):
    """The submitted version named by ?version=N, the latest by default; None for the live
    draft (?version=draft) or when nothing was submitted."""
    wanted = request.GET.get("version", "")
    if wanted == "draft":
        return None
    submissions = list(application.submissions.all())
    if not wanted:
        return submissions[0] if submissions else None
    for submission in submissions:
        if str(submission.number) == wanted:
            return submission
    raise Http404


@staff_page
@require_GET
def application_deck(request: HttpRequest, application_id: int) -> FileResponse:
    application = _application(request, application_id)
    submission = _version(application, request)
    if submission is not None:
        name = (submission.content.get("deck") or {}).get("file")
    else:
        name = application.pitch_deck.name
    return deck_attachment(application, name)


@staff_page
@require_GET
def application_file(request: HttpRequest, application_id: int, question_id: int):
    application = _application(request, application_id)
    submission = _version(application, request)
    if submission is not None:
        values = {a.get("question"): a.get("value") for a in submission.content["answers"]}
        value = values.get(question_id)
    else:
        value = next(
            (a.value for a in application.answers.all() if a.question_id == question_id), None
        )
    return answer_file_attachment(application, question_id, value)


@staff_page
@require_GET
def cohort_export(request: HttpRequest, cohort_id: int, file_format: str) -> HttpResponse:
    """The list as filtered and searched on the page."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    filters = _filter_form(request, cohort).filters()
    applications = selectors.staff_applications(cohort=cohort, filters=filters, viewer=request.user)
    header, rows = export_table(applications, list(cohort.questions.all()))
    # Apart, at the end, unranked: that they exist, never what they say.
    rows += [
        [application_id, gettext("Conflict of interest"), *[None] * (len(header) - 2)]
        for application_id in selectors.conflicted_in_cohort(cohort, request.user)
    ]
    name = slugify(f"{cohort.program.slug} {cohort.slug} applications")
    if file_format == "xlsx":
        content = to_xlsx(header, rows, title=str(cohort.name))
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = to_csv(header, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{file_format}"'
    return response
