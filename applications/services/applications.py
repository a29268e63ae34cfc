"""Applications: their status, their answers, their submission."""

from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from ..answers import answer_problem
from ..eligibility import eligibility_problems, profile_problems
from ..enums import TRANSITIONS, ApplicationStatus
from ..models import Answer, Application, ApplicationEvent, EmailKind
from ..models.applications import status_writes_allowed
from ..privacy import PRIVACY_NOTICE_VERSION
from .outbox import email_queue


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
    row, writes an ApplicationEvent. Side effects: none beyond the event; callers draft their
    own emails."""
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
    with status_writes_allowed():
        locked.save()
    ApplicationEvent.objects.create(
        application=locked, actor=actor, at=now, from_status=from_status, to_status=to_status,
        note=note,
    )  # fmt: skip
    return locked


@transaction.atomic
def application_start(*, startup, cohort, user) -> Application:
    """The startup's draft for the cohort (the existing one if any), once its profile fits the
    cohort and the call is open. Side effects: an event recording the start."""
    existing = Application.objects.filter(startup=startup, cohort=cohort).first()
    if existing is not None:
        return existing
    problems = eligibility_problems(startup, cohort)
    if not cohort.accepts_submissions():
        problems.insert(0, gettext("This call is not open for applications."))
    if problems:
        raise ApplicationError(*problems)
    application = Application.objects.create(startup=startup, cohort=cohort, created_by=user)
    ApplicationEvent.objects.create(
        application=application, actor=user, to_status=ApplicationStatus.DRAFT
    )
    return application


@transaction.atomic
def answer_save(*, application: Application, question, value, base_version: int, user) -> Answer:
    """Store whatever was typed, valid or not (validation blocks submitting, never saving).
    Refused with AnswerConflict when the answer changed since `base_version`, so a stale tab
    never overwrites a newer text; refused with ApplicationError once the draft is closed."""
    if application.status != ApplicationStatus.DRAFT:
        raise ApplicationError(gettext("This application is submitted: it can no longer change."))
    if not application.cohort.accepts_submissions():
        raise ApplicationError(gettext("This call is closed: your draft can no longer change."))
    answer, _created = Answer.objects.select_for_update().get_or_create(
        application=application, question=question
    )
    if answer.version != base_version:
        raise AnswerConflict(answer)
    Answer.objects.filter(pk=answer.pk).update(
        value=value, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    answer.refresh_from_db()
    return answer


def submission_problems(application: Application) -> list[tuple]:
    """(question, message) for every answer that blocks submitting, in the form's order."""
    answers = {answer.question_id: answer.value for answer in application.answers.all()}
    problems = []
    for question in application.cohort.questions.all():
        message = answer_problem(question, answers.get(question.pk, ""))
        if message:
            problems.append((question, message))
    return problems


@transaction.atomic
def application_submit(*, application: Application, user, privacy_notice_version: str):
    """Submit, checked on the server at this moment: before the cohort's closing time plus its
    grace minutes, every answer acceptable, the current privacy notice accepted. Side effects:
    the status becomes submitted (with its event) and the submitter gets a confirmation email
    with a copy of the answers, in their language. Refused with ApplicationError, the draft
    kept as it is."""
    cohort = application.cohort
    if not cohort.accepts_submissions():
        raise ApplicationError(
            gettext("Applications to this call closed on %(date)s Paris time. Your draft is kept.")
            % {"date": date_format(timezone.localtime(cohort.closes_at), "j F Y, H:i:s")}
        )
    problems = profile_problems(application.startup, cohort)
    problems += [message for _question, message in submission_problems(application)]
    if privacy_notice_version != PRIVACY_NOTICE_VERSION:
        problems.append(gettext("Please read and accept the privacy notice."))
    if problems:
        raise ApplicationError(*problems)
    submitted = application_transition(
        application=application, to_status=ApplicationStatus.SUBMITTED, actor=user
    )
    Application.objects.filter(pk=submitted.pk).update(
        privacy_notice_version=PRIVACY_NOTICE_VERSION, privacy_accepted_at=submitted.submitted_at
    )
    with translation.override(user.language):
        answers = {answer.question_id: answer.value for answer in submitted.answers.all()}
        context = {
            "application": submitted,
            "user": user,
            "answers": [
                (question, answers.get(question.pk, "")) for question in cohort.questions.all()
            ],
        }
        email_queue(
            kind=EmailKind.APPLICATION_SUBMITTED,
            to_address=user.email,
            recipient=user,
            subject=render_to_string("emails/application_submitted_subject.txt", context).strip(),
            body_text=render_to_string("emails/application_submitted.txt", context),
            language=user.language,
            idempotency_key=f"application-submitted:{submitted.pk}:{submitted.submitted_at:%s}",
        )
    return submitted
