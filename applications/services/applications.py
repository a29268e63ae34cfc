"""Applications: their status, their answers, their submission."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from accelerator.sql import placeholders, prepared_cursor, to_column
from accelerator.text import UNSTORABLE_MESSAGE, has_unstorable_characters
from cohorts.enums import QuestionKind
from notifications.models import EmailKind, OutgoingEmail
from notifications.services import email_queue, email_render

from ..answers import answer_problem, answer_too_long, is_empty, url_normalised
from ..decks import answer_file_name, answer_file_type, file_sha256, validate_pitch_deck
from ..eligibility import eligibility_problems, profile_problems
from ..enums import EDITABLE_STATUSES, TRANSITIONS, ApplicationStatus
from ..models import Answer, Application, ApplicationEvent, Extension, Submission
from ..models.applications import paris_date, status_writes_allowed, storages_private
from ..privacy import PRIVACY_NOTICE_VERSION
from ..selectors import cohort_countries_forget
from ..signals import application_submitted, status_changed
from ..snapshots import application_content, content_sha256
from .files import files_delete_after_commit, files_held_by_submissions
from .search import application_search_refresh


class ApplicationError(Exception):
    """A change that cannot be made; `problems` are shown to the user, one per line."""

    def __init__(self, *problems: str):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


class AnswerConflict(Exception):
    """The answer was saved elsewhere (another tab) since this one was loaded."""

    def __init__(self, answer: Answer):
        super().__init__("newer version saved elsewhere")
        self.answer = answer


@transaction.atomic
def application_transition(
    *, application: Application, to_status: ApplicationStatus, actor, note: str = ""
) -> Application:
    """The only code that writes Application.status. Checks the transition table, locks the
    row, writes an ApplicationEvent (and, on the first submit, the Paris day it happened).
    Side effects: the event, and the `status_changed` signal for the apps above (reviews end
    a withdrawn application's assignments); callers draft their own emails."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    from_status = locked.status
    if to_status not in TRANSITIONS[ApplicationStatus(from_status)]:
        raise ApplicationError(
            gettext("An application cannot go from %(from)s to %(to)s.")
            % {
                "from": ApplicationStatus(from_status).label,
                "to": ApplicationStatus(to_status).label,
            }
        )
    now = timezone.now()
    locked.status = to_status
    if to_status == ApplicationStatus.SUBMITTED:
        locked.submitted_at = now
        locked.submitted_on = paris_date(now)
    with status_writes_allowed():
        locked.save()
    ApplicationEvent.objects.create(
        application=locked, actor=actor, at=now, from_status=from_status, to_status=to_status,
        note=note,
    )  # fmt: skip
    status_changed.send(sender=Application, application=locked, from_status=from_status,
                        to_status=to_status, actor=actor)  # fmt: skip
    return locked


@transaction.atomic
def application_start(*, startup, cohort, user) -> Application:
    """The startup's draft for the cohort (the existing one if any), once its profile fits the
    cohort and the call is open. Side effects: an event recording the start; staff search finds
    it by its startup and members."""
    existing = Application.objects.filter(startup=startup, cohort=cohort).first()
    if existing is not None:
        return existing
    problems = eligibility_problems(startup, cohort)
    if not cohort.accepts_submissions():
        problems.insert(0, gettext("This call is not open for applications."))
    if problems:
        raise ApplicationError(*problems)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                startup=startup, cohort=cohort, created_by=user
            )
    except IntegrityError:
        # A second click, or a co-founder at the same moment: theirs is the draft.
        return Application.objects.get(startup=startup, cohort=cohort)
    ApplicationEvent.objects.create(
        application=application, actor=user, to_status=ApplicationStatus.DRAFT
    )
    application_search_refresh(application_ids=[application.pk])
    cohort_countries_forget([cohort.pk])
    return application


def _locked_while_editable(application: Application) -> Application:
    """The application, locked for this transaction, if its answers may still change (draft or
    submitted, before its closing time); ApplicationError otherwise."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.is_editable():
        return application
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(gettext("This application can no longer change."))
    raise ApplicationError(gettext("This call is closed: your draft can no longer change."))


def _editability_problem(application: Application) -> str:
    if application.is_editable():
        return ""
    if application.status not in EDITABLE_STATUSES:
        return gettext("This application can no longer change.")
    return gettext("This call is closed: your draft can no longer change.")


def _answer_update(saved: Answer, *, base_version: int) -> bool:
    """Write `saved` over the stored answer if that is still at `base_version` and the
    application still editable; whether it was. In SQL because it runs on every autosave, where
    compiling the ORM's UPDATE (a join for the status) took three times as long as running it."""
    statuses = sorted(EDITABLE_STATUSES)
    with prepared_cursor() as cursor:
        cursor.execute(
            f"UPDATE {Answer._meta.db_table} SET value = %s, version = %s, updated_by_id = %s,"
            " updated_at = %s WHERE application_id = %s AND question_id = %s AND version = %s"
            f" AND EXISTS (SELECT 1 FROM {Application._meta.db_table} a WHERE a.id = %s"
            f" AND a.status IN ({placeholders(len(statuses))}))",
            [
                to_column(Answer, "value", saved.value),
                saved.version,
                saved.updated_by_id,
                to_column(Answer, "updated_at", saved.updated_at),
                saved.application_id,
                saved.question_id,
                base_version,
                saved.application_id,
                *statuses,
            ],
        )
        return cursor.rowcount == 1


def answer_save(*, application: Application, question, value, base_version: int, user) -> Answer:
    """Store whatever was typed, valid or not (validation blocks submitting, never saving).
    Refused with AnswerConflict when the answer changed since `base_version`, so a stale tab
    never overwrites a newer text; refused with ApplicationError once the draft is closed, when
    the text holds a character the database cannot store (a NUL), or when the answer is over
    its hard character ceiling.

    The hottest path of the product (thousands typing on the last day), so no row lock: one
    conditional UPDATE on the answer's version (and on the application being editable) does
    the work; only a first save inserts. A submit locks the answers it freezes, so a save
    waits for it and lands after the frozen version, never inside it. `application` should
    come with its cohort and `latest_extension_closes_at` (selectors.autosave_target);
    returns the answer as saved (a web address typed without https:// saved with it)."""
    if question.kind == QuestionKind.URL and isinstance(value, str):
        value = url_normalised(value)
    if has_unstorable_characters(value):
        raise ApplicationError(str(UNSTORABLE_MESSAGE))
    too_long = answer_too_long(question, value)
    if too_long:
        raise ApplicationError(
            too_long, gettext("Not saved: your text stays on this page; shorten it to save it.")
        )
    problem = _editability_problem(application)
    if problem:
        raise ApplicationError(problem)
    now = timezone.now()
    saved = Answer(application=application, question=question, value=value,
                   version=base_version + 1, updated_by=user, updated_at=now)  # fmt: skip
    if _answer_update(saved, base_version=base_version):
        return saved
    if base_version == 0:
        try:
            with transaction.atomic():
                saved.save(force_insert=True)
            return saved
        except IntegrityError:
            pass  # another tab saved this question first: theirs is the text to compare
    current = Answer.objects.filter(application=application, question=question).first()
    if current is not None and current.version == base_version:
        # Our version matched, so the application stopped being editable in between.
        raise ApplicationError(gettext("This application can no longer change."))
    raise AnswerConflict(current or Answer(application=application, question=question, version=0))


def submission_problems(application: Application, answers: dict | None = None) -> list[tuple]:
    """(question, message) for every answer that blocks submitting, in the form's order;
    `answers` ({question id: value}) as read by the caller, else read here."""
    if answers is None:
        answers = {answer.question_id: answer.value for answer in application.answers.all()}
    problems = []
    for question in application.cohort.questions.all():
        message = answer_problem(question, answers.get(question.pk, ""))
        if message:
            problems.append((question, message))
    return problems


@transaction.atomic
def application_submit(*, application: Application, user, privacy_notice_version: str):
    """Submit, checked on the server at this moment: before the closing time (the cohort's
    plus its grace minutes, or the startup's personal one), every answer acceptable, the
    current privacy notice accepted. A submitted application can be submitted again until the
    deadline. Side effects: a new immutable Submission (answers, profile, team, with its
    SHA-256); the first time, the status becomes submitted (with its event), later an event
    notes the new version; staff search now matches the new version's answers; the submitter
    gets a confirmation email with a copy of the answers, in their language, filed in the outbox
    under the cohort; the `application_submitted` signal (reviews look for conflicts).
    Refused with ApplicationError, the draft kept as it is. The application row is locked
    first, then its answers, read once: the checks and the frozen version see the same text,
    and an autosave arriving meanwhile waits and lands after it."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    answers = {
        answer.question_id: answer.value
        for answer in Answer.objects.select_for_update().filter(application=application)
    }
    if application.status not in EDITABLE_STATUSES:
        raise ApplicationError(gettext("This application can no longer be submitted."))
    cohort = application.cohort
    if not application.accepts_submissions():
        raise ApplicationError(
            gettext("Applications to this call closed on %(date)s Paris time. Your draft is kept.")
            % {"date": date_format(timezone.localtime(application.closes_at), "j F Y, H:i:s")}
        )
    problems = eligibility_problems(application.startup, cohort)
    problems += profile_problems(application.startup, cohort)
    problems += [message for _question, message in submission_problems(application, answers)]
    if privacy_notice_version != PRIVACY_NOTICE_VERSION:
        problems.append(gettext("Please read and accept the privacy notice."))
    if problems:
        raise ApplicationError(*problems)
    if application.status == ApplicationStatus.DRAFT:
        application = application_transition(
            application=application, to_status=ApplicationStatus.SUBMITTED, actor=user
        )
        now = application.submitted_at
    else:
        now = timezone.now()
    content = application_content(application, answers)
    number = application.submissions.count() + 1
    submission = Submission.objects.create(
        application=application,
        number=number,
        submitted_at=now,
        submitted_by=user,
        content=content,
        sha256=content_sha256(content),
    )
    if number > 1:
        ApplicationEvent.objects.create(
            application=application, actor=user, at=now, from_status=application.status,
            to_status=application.status, note=gettext("Submitted again (version %(number)d).")
            % {"number": number},
        )  # fmt: skip
    Application.objects.filter(pk=application.pk).update(
        privacy_notice_version=PRIVACY_NOTICE_VERSION, privacy_accepted_at=now
    )
    application_search_refresh(application_ids=[application.pk])
    # Every member: a co-founder learns of the submission too, each in their own language.
    members = application.startup.memberships.select_related("user").order_by("pk")
    for member in (membership.user for membership in members):
        with translation.override(member.language):
            # The questions as asked in the reader's language (the version keeps the
            # submitter's).
            labels = {question.pk: question.label for question in cohort.questions.all()}
            answers = [
                answer | {"label": labels.get(answer["question"], answer["label"])}
                for answer in submission.content["answers"]
            ]
            context = {"application": application, "submission": submission, "user": member,
                       "submitted_by": user, "answers": answers}  # fmt: skip
            key = f"application-submitted:{application.pk}:{number}"
            email_queue(
                kind=EmailKind.APPLICATION_SUBMITTED,
                to_address=member.email,
                recipient=member,
                language=member.language,
                # The submitter's key is the one it always was.
                idempotency_key=key if member == user else f"{key}:{member.pk}",
                cohort_id=application.cohort_id,
                **email_render("application_submitted", context),
            )
    application_submitted.send(sender=Application, application=application, submission=submission)
    return application


def required_question_notify(*, question) -> int:
    """A required question added (or made required) after startups submitted: each submitted
    application that can still change and has no answer to it "needs attention" (selectors.
    needs_attention), and every member of its startup is told by email, in their language,
    once per question. Returns the number of emails queued (0 when already told)."""
    if not question.required:
        return 0
    applications = (
        Application.objects.filter(cohort_id=question.cohort_id, status=ApplicationStatus.SUBMITTED)
        .select_related("cohort__program", "startup")
        .prefetch_related("extensions", "startup__memberships__user")
    )
    # "Answered" as needs_attention() says it: whitespace alone is no answer.
    answered = {
        application_id
        for application_id, value in Answer.objects.filter(
            question=question, application__in=applications
        ).values_list("application_id", "value")
        if not is_empty(value)
    }
    queued = 0
    for application in applications:
        if application.pk in answered or not application.is_editable():
            continue
        for member in (membership.user for membership in application.startup.memberships.all()):
            key = f"needs-attention:{application.pk}:{question.pk}:{member.pk}"
            if OutgoingEmail.objects.filter(kind=EmailKind.GENERIC, idempotency_key=key).exists():
                continue
            with translation.override(member.language):
                context = {"application": application, "question": question, "member": member}
                email_queue(
                    kind=EmailKind.GENERIC,
                    to_address=member.email,
                    recipient=member,
                    language=member.language,
                    idempotency_key=key,
                    cohort_id=application.cohort_id,
                    **email_render("application_needs_attention", context),
                )
            queued += 1
    return queued


def application_withdraw(*, application: Application, user) -> Application:
    """Withdraw, while the transition table allows it (decisions not yet final). Side
    effects: the status becomes withdrawn, with its event; through `status_changed`, in this
    transaction, selection drops a pending decision and frees a booked interview still to
    come (the panel and the startup get the cancellation)."""
    return application_transition(
        application=application,
        to_status=ApplicationStatus.WITHDRAWN,
        actor=user,
        note=gettext("Withdrawn by the startup."),
    )


# A personal closing time is days or weeks, not years: a mistyped year (9999) would keep the
# application open through review, decisions and every later step.
EXTENSION_HORIZON = timedelta(days=60)


@transaction.atomic
def extension_grant(
    *, application: Application, closes_at, reason: str, message: str = "", granted_by
) -> Extension:
    """A personal closing time for this startup, after the cohort's; the latest grant applies
    to its submit and countdown. The reason (required) is for staff only; the optional message
    is for the startup. Side effects: every member gets an email, in their language and filed
    under the cohort, with the new closing time in Paris time and in their own time zone, and
    the message if any."""
    if closes_at <= application.cohort.closes_at:
        raise ApplicationError(gettext("An extension must end after the call closes."))
    if closes_at > application.cohort.closes_at + EXTENSION_HORIZON:
        raise ApplicationError(
            gettext("An extension ends at most %(days)d days after the call closes.")
            % {"days": EXTENSION_HORIZON.days}
        )
    if not reason.strip():
        raise ApplicationError(gettext("Say why the extension is granted."))
    extension = Extension.objects.create(
        application=application,
        closes_at=closes_at,
        reason=reason.strip(),
        message=message.strip(),
        granted_by=granted_by,
    )
    members = application.startup.memberships.select_related("user").order_by("pk")
    for member in (membership.user for membership in members):
        with translation.override(member.language):
            context = {
                "application": application,
                "extension": extension,
                "member": member,
                "in_paris": member.time_zone == settings.TIME_ZONE,
            }
            email_queue(
                kind=EmailKind.EXTENSION_GRANTED,
                to_address=member.email,
                recipient=member,
                **email_render("extension_granted", context),
                language=member.language,
                idempotency_key=f"extension-granted:{application.pk}:{extension.pk}:{member.pk}",
                cohort_id=application.cohort_id,
            )
    return extension


@transaction.atomic
def pitch_deck_upload(*, application: Application, upload, user) -> Application:
    """Store a checked PDF under a random name in the private storage, replacing the current
    deck. Refused with ApplicationError (the reason) for anything but an acceptable PDF, or
    once closed. Side effects: the replaced file is deleted after commit unless a submitted
    version refers to it."""
    try:
        pages = validate_pitch_deck(upload)
    except ValidationError as error:
        raise ApplicationError(*error.messages) from error
    application = _locked_while_editable(application)
    replaced = application.pitch_deck.name
    application.pitch_deck_sha256 = file_sha256(upload)
    application.pitch_deck_pages = pages
    application.pitch_deck.save("deck.pdf", upload, save=False)
    application.save(update_fields=["pitch_deck", "pitch_deck_sha256", "pitch_deck_pages",
                                     "updated_at"])  # fmt: skip
    if replaced and replaced not in files_held_by_submissions(application):
        files_delete_after_commit({replaced})
    return application


@transaction.atomic
def answer_file_upload(*, application: Application, question, upload, user) -> Answer:
    """Store a file answer in the private storage under a random name, once its bytes show a
    type the question accepts. The answer's value records the file, its type, size and
    SHA-256; its version moves on like any save. Side effects: a file it replaces is deleted
    after commit unless a submitted version refers to it."""
    try:
        kind = answer_file_type(upload, question.accepted_file_types)
    except ValidationError as error:
        raise ApplicationError(*error.messages) from error
    application = _locked_while_editable(application)
    name = storages_private().save(answer_file_name(kind), upload)
    answer, _created = Answer.objects.select_for_update().get_or_create(
        application=application, question=question
    )
    replaced = answer.value.get("file") if isinstance(answer.value, dict) else None
    value = {"file": name, "type": kind, "size": upload.size, "sha256": file_sha256(upload)}
    Answer.objects.filter(pk=answer.pk).update(
        value=value, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    answer.refresh_from_db()
    if replaced and replaced not in files_held_by_submissions(application):
        files_delete_after_commit({replaced})
    return answer
