"""Reviewer pages, under /review/: the queue, one application to review with its form (saved
as the reviewer types), others' reviews once theirs is in, conflicts, hand-backs, and the
application's files. Every object is reached through the reviewer's own active assignment:
anything else does not exist for them (404)."""

from functools import partial
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from accelerator.forms import form_problem
from applications.answers import answer_display
from applications.selectors import latest_submission
from applications.views.applicant import login_required_401
from applications.views.files import answer_file_attachment, deck_attachment
from cohorts.enums import QuestionKind, Stage

from .. import selectors, services
from ..enums import NOT_APPLICABLE, Confidence, ConflictKind, Recommendation
from ..forms import ConflictForm, HandBackForm
from ..models import Assignment, Reviewer
from ..receivers import REVIEWER_SESSION_KEY
from ..redaction import Redactor, blind_name, redactor_for, redactors_for, withheld_note
from ..scoring import criterion_scores, weighted_score


def _assignment(request: HttpRequest, application_id: int, **options) -> Assignment:
    try:
        return selectors.assignment_for_review(request.user, application_id, **options)
    except Assignment.DoesNotExist as error:
        raise Http404 from error


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    rows = selectors.reviewer_queue(request.user)
    done = sum(1 for row in rows if row.state == "submitted")
    # Reversed and translated once for the page, not once per row (sixty rows).
    review_prefix = reverse("review:review", args=[0]).removesuffix("0/")
    conflict_url = reverse("review:conflict", args=[0]).removesuffix("0/conflict/") + "{}/conflict/"
    state_labels = {
        "submitted": gettext("Submitted"),
        "in_progress": gettext("In progress"),
        "not_started": gettext("Not started"),
    }
    stage_labels = {value: str(label) for value, label in Stage.choices}
    redactors = redactors_for([row.assignment.application for row in rows])
    for row in rows:
        row.url = f"{review_prefix}{row.assignment.application_id}/"
        row.conflict_url = conflict_url.format(row.assignment.application_id)
        row.state_label = state_labels[row.state]
        application = row.assignment.application
        row.stage_label = stage_labels.get(application.startup.stage, "")
        redact = redactors.get(application.pk)
        if redact is None:
            row.display_name = application.startup.name
        else:
            row.display_name = blind_name(application)
            row.pitch = redact(row.pitch)
    context = {
        "rows": rows,
        "done": done,
        "assigned": len(rows),
        "conflict_options": format_html_join(
            "", '<option value="{}">{}</option>', ConflictKind.choices
        ),
    }
    return render(request, "reviews/queue.html", context)


def _answers(submission, redact: Redactor) -> list[dict]:
    """The submitted answers as reviewers read them: redacted on a blind cohort, where file
    answers are withheld."""
    rows = []
    for answer in submission.content.get("answers", []):
        is_file = (
            answer.get("kind") == QuestionKind.FILE
            and isinstance(answer.get("value"), dict)
            and bool(answer["value"].get("file"))
        )
        rows.append({
            "label": answer.get("label", ""),
            "question": answer.get("question"),
            "text": redact(answer_display(answer.get("kind", ""), answer.get("value"))),
            "is_file": is_file,
            "withheld": is_file and redact.active,
        })  # fmt: skip
    return rows


def reading_context(application, submission) -> dict:
    """What a reviewer reads of an application (the review page, and staff's "what reviewers
    see" preview): on a blind cohort no startup name, team, email, website or link, names in
    the answers replaced by "[redacted]", the deck and files withheld with a note."""
    content = submission.content
    redact = redactor_for(application)
    profile = content.get("profile") or {}
    team = content.get("team") or []
    return {
        "blind": redact.active,
        "redact": redact,
        "display_name": blind_name(application) if redact.active else application.startup.name,
        "profile": {
            "city": profile.get("city", ""),
            "country": profile.get("country", ""),
            "pitch": redact(profile.get("pitch", "")),
        },
        "team": [] if redact.active else team,
        "team_size": len(team),
        "deck": content.get("deck") or {},
        "answers": _answers(submission, redact),
        "withheld_note": withheld_note() if redact.active else "",
    }


def _field(
    key: str,
    values: dict,
    kind: str,
    choices=(),
    *,
    application_id: int,
    url_prefix: str,
    disabled: bool,
    label: str = "",
    legend: str = "",
) -> dict:
    """One field of the form as its own small form (each saves on its own, as application
    answers do), built here rather than in the template: the page renders a dozen of them with
    some sixty radio buttons, and each template variable and tag costs (bench/review_pages.py)."""
    saved = values.get(key, {"value": "", "version": 0})
    slot = key.replace(":", "")
    if kind == "text":
        control = format_html(
            '<label for="field-{}">{}</label>'
            '<textarea id="field-{}" name="value" rows="3"{}>{}</textarea>',
            slot, label, slot, " readonly" if disabled else "", saved["value"],
        )  # fmt: skip
    else:
        # Joined by hand rather than by format_html_join (some thirty radios a page), each value
        # and label escaped.
        state = " disabled" if disabled else ""
        options = mark_safe(
            "".join(
                f'<label class="choice"><input type="radio" name="value" value="{escape(value)}"'
                f"{' checked' if value == saved['value'] else ''}{state}> {escape(text)}</label>"
                for value, text in choices
            )
        )
        control = format_html(
            '<fieldset><legend>{}</legend><div class="score-choices">{}</div></fieldset>',
            legend,
            options,
        )
    saving = "" if disabled else format_html(
        ' hx-post="{}{}/" hx-trigger="input changed delay:800ms, change, save-now"'
        ' hx-target="#status-{}" hx-swap="outerHTML" hx-sync="this:queue last"',
        url_prefix, key, slot,
    )  # fmt: skip
    html = format_html(
        '<form class="answer-form"{} data-storage-key="review:{}:{}">'
        '<input type="hidden" name="version" id="version-{}" value="{}">{}'
        '<div class="answer-status" id="status-{}" aria-live="polite"></div></form>',
        saving, application_id, key, slot, saved["version"], control, slot,
    )  # fmt: skip
    return {"key": key, "html": html}


def scale_choices(scale_max: int) -> list[tuple[str, str]]:
    return [(str(number), str(number)) for number in range(1, scale_max + 1)]


def _form_sections(application_id: int, criteria, values: dict, *, disabled: bool) -> list[dict]:
    """The form as sections of fields, rendered by one loop (no template include per field:
    the page renders a dozen of them)."""
    field = partial(
        _field,
        values=values,
        application_id=application_id,
        url_prefix=reverse("review:field", args=[application_id, "confidence"]).removesuffix(
            "confidence/"
        ),
        disabled=disabled,
    )
    not_applicable = gettext("Not applicable")
    sections = []
    for criterion in criteria:
        score = field(
            f"score:{criterion.pk}",
            kind="score",
            choices=[*scale_choices(criterion.scale_max), (NOT_APPLICABLE, not_applicable)],
            legend=gettext("Score, from 1 to %(max)s") % {"max": criterion.scale_max},
        )
        comment = field(f"comment:{criterion.pk}", kind="text", label=gettext("Comment"))
        sections.append({"criterion": criterion, "fields": [score, comment]})
    sections.append({
        "criterion": None,
        "fields": [
            field("recommendation", kind="choice", legend=gettext("Overall recommendation"),
                  choices=Recommendation.choices),
            field("confidence", kind="choice", legend=gettext("Your confidence"),
                  choices=Confidence.choices),
            field("private_note", kind="text",
                  label=gettext("Private note (only the program's staff read it)")),
        ],
    })  # fmt: skip
    return sections


@login_required
@ensure_csrf_cookie  # htmx sends the token from the cookie
@require_GET
def review(request: HttpRequest, application_id: int) -> HttpResponse:
    assignment = _assignment(request, application_id, with_latest_submission=True)
    application = assignment.application
    submission = assignment.latest_submission
    if submission is None:
        raise Http404
    my_review, other_reviews = selectors.application_reviews(application.pk, assignment.reviewer)
    values = my_review.field_values if my_review is not None else {}
    flat = {key: field["value"] for key, field in values.items()}
    criteria = list(application.cohort.criteria.all())
    scores = criterion_scores(criteria, flat)
    others = []
    reading = reading_context(application, submission)
    redact = reading["redact"]
    if my_review is not None and my_review.submitted_at:
        for other in other_reviews:
            other_values = {
                key: redact(field["value"]) for key, field in other.field_values.items()
            }
            others.append({
                "review": other,
                "score": weighted_score(criterion_scores(criteria, other_values)),
                "criteria": [(c, other_values.get(f"score:{c.pk}", ""),
                              other_values.get(f"comment:{c.pk}", "")) for c in criteria],
                "recommendation": Recommendation(other_values["recommendation"]).label
                if other_values.get("recommendation") in Recommendation.values else "",
            })  # fmt: skip
    closed = selectors.review_change_problem(application.cohort, assignment=assignment)
    context = {
        "assignment": assignment,
        "application": application,
        "startup": application.startup,
        "submission": submission,
        **reading,
        "review": my_review,
        "sections": _form_sections(application.pk, criteria, values, disabled=bool(closed)),
        "not_applicable": NOT_APPLICABLE,
        "conflict_kinds": ConflictKind.choices,
        "missing": services.review_missing(criteria, flat),
        "weighted": weighted_score(scores),
        "newer_version": bool(my_review and my_review.submission_id != submission.pk),
        "others": others,
        "closed": closed,
        "editable": not closed,
        "started": my_review is not None,
    }
    return render(request, "reviews/review.html", context)


@login_required_401
@require_POST
def field_autosave(request: HttpRequest, application_id: int, key: str) -> HttpResponse:
    assignment = _assignment(request, application_id)
    value = request.POST.get("value", "")
    try:
        base_version = int(request.POST.get("version", "0"))
    except ValueError:
        base_version = -1
    context = {"slot": key.replace(":", ""), "value": value}
    try:
        field = services.review_field_save(
            assignment=assignment, key=key, value=value, base_version=base_version
        )
    except services.ReviewFieldConflict as conflict:
        context |= {"conflict": conflict.field}
        return _field_status(request, context, status=409)
    except services.ReviewError as error:
        context |= {"refused": error.problems}
        return _field_status(request, context, status=409)
    context |= {
        "field": field,
        "saved_at": timezone.localtime(field.updated_at, ZoneInfo(request.user.time_zone)),
    }
    return _field_status(request, context)


def _field_status(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    """The fragment a field's autosave answers with, without the page's context processors."""
    html = render_to_string("reviews/partials/field_status.html", context | {"user": request.user})
    return HttpResponse(html, status=status)


def _next_unfinished(user, after_application_id: int) -> str:
    for row in selectors.reviewer_queue(user):
        if (
            row.state != "submitted"
            and row.opens
            and (row.assignment.application_id != after_application_id)
        ):
            return reverse("review:review", args=[row.assignment.application_id])
    return reverse("review:queue")


@login_required
@require_POST
def submit(request: HttpRequest, application_id: int) -> HttpResponse:
    assignment = _assignment(request, application_id)
    try:
        services.review_submit(assignment=assignment)
    except services.ReviewError as error:
        for problem in error.problems:
            messages.error(request, problem)
        return HttpResponseRedirect(reverse("review:review", args=[application_id]) + "#submit")
    messages.success(request, gettext("Your review is submitted."))
    if "next" in request.POST:
        return HttpResponseRedirect(_next_unfinished(request.user, application_id))
    return HttpResponseRedirect(reverse("review:review", args=[application_id]) + "#others")


@login_required
@require_POST
def conflict(request: HttpRequest, application_id: int) -> HttpResponse:
    """From the application's page, or from the queue (before reading it, even before its
    deadline)."""
    assignment = _assignment(request, application_id, must_be_open=False)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problem(form, gettext("Choose the kind of conflict.")))
        return HttpResponseRedirect(reverse("review:review", args=[application_id]))
    services.conflict_declare(
        user=request.user, application=assignment.application,
        kind=form.cleaned_data["kind"], note=form.cleaned_data["note"],
    )  # fmt: skip
    messages.success(
        request,
        gettext("Thank you: the conflict is recorded and this application left your queue."),
    )
    return HttpResponseRedirect(reverse("review:queue"))


@login_required
@require_POST
def hand_back(request: HttpRequest, application_id: int) -> HttpResponse:
    assignment = _assignment(request, application_id)
    form = HandBackForm(request.POST)
    try:
        if not form.is_valid():
            raise services.ReviewError(form_problem(form, gettext("Say why you hand it back.")))
        services.assignment_hand_back(assignment=assignment, reason=form.cleaned_data["reason"])
    except services.ReviewError as error:
        messages.error(request, " ".join(error.problems))
        return HttpResponseRedirect(reverse("review:review", args=[application_id]))
    messages.success(request, gettext("The application is handed back to the program."))
    return HttpResponseRedirect(reverse("review:queue"))


@login_required
@require_GET
def deck(request: HttpRequest, application_id: int):
    assignment = _assignment(request, application_id)
    if assignment.application.cohort.blind_review:
        return _withheld(request, assignment.application)
    submission = latest_submission(assignment.application)
    name = ((submission.content.get("deck") or {}).get("file")) if submission else ""
    return deck_attachment(assignment.application, name)


def _withheld(request: HttpRequest, application) -> HttpResponse:
    """A blind cohort's deck and files: withheld, saying why."""
    context = {"note": withheld_note(), "application": application}
    return render(request, "reviews/withheld.html", context, status=403)


@login_required
@require_GET
def answer_file(request: HttpRequest, application_id: int, question_id: int):
    assignment = _assignment(request, application_id)
    if assignment.application.cohort.blind_review:
        return _withheld(request, assignment.application)
    submission = latest_submission(assignment.application)
    if submission is None:
        raise Http404
    answers = {a.get("question"): a.get("value") for a in submission.content["answers"]}
    return answer_file_attachment(assignment.application, question_id, answers.get(question_id))


@login_required
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Outside /review/: accepting comes before setting up two-factor authentication."""
    reviewer = Reviewer.objects.select_related("cohort__program").filter(token=token).first()
    if reviewer is None:
        raise Http404
    if request.method == "POST":
        try:
            services.reviewer_invitation_accept(token=token, user=request.user)
        except services.ReviewError as error:
            messages.error(request, " ".join(error.problems))
        else:
            request.session[REVIEWER_SESSION_KEY] = True
            messages.success(
                request,
                gettext("Welcome, reviewer of %(cohort)s.") % {"cohort": reviewer.cohort},
            )
            return HttpResponseRedirect(reverse("review:queue"))
    return render(request, "reviews/invitation_accept.html", {"reviewer": reviewer})
