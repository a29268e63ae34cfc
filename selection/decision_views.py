"""Staff pages of the decisions (#18), under /staff/cohorts/<id>/decisions/: pending decisions
in rank order, the lottery, the publication's confirmation page, the decision emails and the
frozen record. Every cohort is looked up through the staff scope; a manager never decides on
an application they have a conflict of interest with."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from accelerator.forms import form_problem
from accelerator.text import whole_number
from applications.models import Application
from cohorts.staff import cohort_in_scope, staff_page
from notifications.models import EmailState
from notifications.services import OutboxError

from . import decisions, selectors
from .decisions import DecisionError
from .forms import DecisionEmailForm, DecisionForm
from .interview_selectors import interview_summaries
from .models import ApplicationEstimate, Decision, DecisionOutcome, DecisionRecord, Lottery


def _back(cohort) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("staff:decisions", args=[cohort.pk]))


def _conflicted_ids(request, cohort) -> set[int]:
    return set(
        selectors.conflicted_application_ids(request.user, cohort).values_list(
            "application_id", flat=True
        )
    )


@staff_page
@require_GET
def decisions_page(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    conflicted = _conflicted_ids(request, cohort)
    applications = list(
        Application.objects.filter(cohort=cohort, status__in=decisions.UNDECIDED_STATUSES)
        .exclude(pk__in=conflicted)
        .select_related("startup", "decision", "estimate")
    )  # fmt: skip
    applications.sort(key=lambda a: (getattr(_estimate(a), "rank", None) or 10**9, a.pk))
    interviews = interview_summaries(cohort, [a.pk for a in applications])
    state = decisions.publication_state(cohort)
    lottery = Lottery.objects.filter(cohort=cohort).first()
    names = {}
    if lottery:
        names = dict(
            Application.objects.filter(pk__in=lottery.group).values_list("pk", "startup__name")
        )
    context = {
        "cohort": cohort,
        "applications": [
            (a, _estimate(a), _decision(a), getattr(interviews.get(a.pk), "mean", None))
            for a in applications
        ],
        "outcomes": DecisionOutcome.choices,
        "state": state,
        "conflicted_count": len(conflicted),
        "lottery": lottery,
        "lottery_group": [names.get(pk, pk) for pk in lottery.group] if lottery else [],
        "lottery_result": [names.get(pk, pk) for pk in lottery.result] if lottery else [],
        "published": cohort.decisions_published_at is not None,
        "section": "ranking",
    }
    return render(request, "selection/decisions.html", context)


def _estimate(application):
    try:
        return application.estimate
    except ApplicationEstimate.DoesNotExist:
        return None


def _decision(application):
    try:
        return application.decision
    except Decision.DoesNotExist:
        return None


def _application(request, cohort, application_id: int) -> Application:
    application = get_object_or_404(Application, pk=application_id, cohort=cohort)
    if application.pk in _conflicted_ids(request, cohort):
        raise Http404
    return application


@staff_page
@require_POST
def decision_save(request: HttpRequest, cohort_id: int, application_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    application = _application(request, cohort, application_id)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise DecisionError(form_problem(form, ""))
        outcome = form.cleaned_data["outcome"]
        if outcome == "":
            decisions.decision_clear(application=application)
        elif outcome not in DecisionOutcome.values:
            raise DecisionError(gettext("Choose winner, waitlisted or rejected."))
        else:
            decisions.decision_set(
                application=application, outcome=outcome, actor=request.user,
                note=form.cleaned_data["note"], feedback=form.cleaned_data["feedback"],
                waitlist_position=form.cleaned_data["waitlist_position"],
            )  # fmt: skip
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            gettext("Saved for %(startup)s (pending until publication).")
            % {"startup": application.startup.name},
        )
    return _back(cohort)


@staff_page
@require_POST
def decisions_reject_remaining(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    try:
        count = decisions.decisions_reject_remaining(
            cohort=cohort, actor=request.user, excluding=_conflicted_ids(request, cohort)
        )
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            ngettext("%(count)d application rejected (pending).",
                     "%(count)d applications rejected (pending).", count) % {"count": count},
        )  # fmt: skip
    return HttpResponseRedirect(reverse("staff:decisions_publish", args=[cohort.pk]))


@staff_page
def decisions_publish(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """GET: the confirmation page; POST: publish, if nothing changed since it was shown."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    if request.method == "POST":
        try:
            decisions.decisions_publish(
                cohort=cohort, actor=request.user, fingerprint=request.POST.get("fingerprint", "")
            )
        except DecisionError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("staff:decisions_publish", args=[cohort.pk]))
        messages.success(
            request,
            gettext("The decisions are published. Read the emails, then send them."),
        )
        return HttpResponseRedirect(reverse("staff:decision_emails", args=[cohort.pk]))
    state = decisions.publication_state(cohort)
    # A manager in conflict with an application sees that it is there, never its name.
    conflicted = _conflicted_ids(request, cohort)
    placeholder = gettext("Conflict of interest")
    for decision in [*state.winners, *state.waitlist]:
        decision.label = (
            placeholder if decision.application_id in conflicted
            else decision.application.startup.name
        )  # fmt: skip
    for application in state.undecided:
        application.label = (
            placeholder if application.pk in conflicted else application.startup.name
        )
    return render(
        request,
        "selection/decisions_publish.html",
        {"cohort": cohort, "state": state, "section": "ranking"},
    )


@staff_page
def decision_emails(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The decision emails: read, edit and send one, or send every draft."""
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    emails = (
        decisions.visible_decision_emails(cohort, request.user)
        .select_related("recipient").order_by("pk")
    )  # fmt: skip
    if request.method == "POST":
        form = DecisionEmailForm(request.POST)
        action = form.data.get("action", "")
        try:
            if not form.is_valid():
                raise DecisionError(form_problem(form, ""))
            if action == "send_all":
                count = decisions.decision_emails_send_all(
                    cohort=cohort, excluding=_conflicted_ids(request, cohort)
                )
                messages.success(
                    request,
                    ngettext("%(count)d email sent to the outbox.",
                             "%(count)d emails sent to the outbox.", count) % {"count": count},
                )  # fmt: skip
            elif action not in ("save", "send"):
                raise DecisionError(gettext("Unknown action."))
            else:
                email = get_object_or_404(emails, pk=form.cleaned_data["email"] or 0)
                if action == "save":
                    decisions.decision_email_edit(
                        email=email,
                        subject=form.cleaned_data["subject"],
                        body_text=form.cleaned_data["body_text"],
                    )
                    messages.success(request, gettext("Email saved."))
                else:
                    decisions.decision_email_send(email=email)
                    messages.success(request, gettext("Email sent to the outbox."))
        except (DecisionError, OutboxError) as error:
            messages.error(request, str(error))
        return HttpResponseRedirect(reverse("staff:decision_emails", args=[cohort.pk]))
    return render(
        request,
        "selection/decision_emails.html",
        {
            "cohort": cohort,
            "emails": emails,
            "draft": EmailState.DRAFT,
            "cancelled": EmailState.CANCELLED,
            "section": "ranking",
        },
    )


@staff_page
@require_POST
def lottery_record(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    conflicted = _conflicted_ids(request, cohort)
    group = [whole_number(value) for value in request.POST.getlist("group")]
    group = [pk for pk in group if pk is not None]
    try:
        if conflicted & set(group):
            raise Http404
        decisions.lottery_record(cohort=cohort, group=group, actor=request.user)
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The group is recorded. The draw can be made."))
    return _back(cohort)


@staff_page
@require_POST
def lottery_draw(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    try:
        decisions.lottery_draw(cohort=cohort, actor=request.user)
    except DecisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The lottery is drawn."))
    return _back(cohort)


def _record(request, cohort_id):
    cohort = cohort_in_scope(request.staff_scope, cohort_id)
    return cohort, DecisionRecord.objects.filter(cohort=cohort).first()


@staff_page
@require_GET
def decision_record(request: HttpRequest, cohort_id: int) -> HttpResponse:
    """The record, names joined at display time; a manager with a conflict of interest in the
    cohort sees its hash only."""
    cohort, record = _record(request, cohort_id)
    conflicted = bool(_conflicted_ids(request, cohort))
    content = {} if conflicted or record is None else json.loads(record.content)
    names, users = {}, {}
    if content:
        ids = [entry["id"] for entry in content["applications"]]
        names = dict(Application.objects.filter(pk__in=ids).values_list("pk", "startup__name"))
        published_by = content.get("published_by")
        users = dict(get_user_model().objects.filter(pk=published_by).values_list("pk", "email"))
    rows = [
        {**entry, "name": names.get(entry["id"], gettext("(deleted)"))}
        for entry in content.get("applications", [])
    ]
    context = {
        "cohort": cohort, "record": record, "conflicted": conflicted, "content": content,
        "rows": rows, "published_by": users.get(content.get("published_by"), ""),
        "section": "ranking",
    }  # fmt: skip
    return render(request, "selection/decision_record.html", context)


@staff_page
@require_GET
def decision_record_download(request: HttpRequest, cohort_id: int) -> HttpResponse:
    cohort, record = _record(request, cohort_id)
    if record is None or _conflicted_ids(request, cohort):
        raise Http404
    response = HttpResponse(record.content.encode(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="decision-record-{cohort.pk}.json"'
    return response
