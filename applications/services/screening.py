"""Screening: staff set aside submitted applications that are not to be reviewed (out of
scope, ineligible), with a reason, and may take them back until decisions."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ..enums import ApplicationStatus
from ..models import Application, ApplicationEvent
from ..signals import screened_in, screened_out
from .applications import ApplicationError

REASON_MAX_CHARACTERS = 2_000


def _screening_problem(application: Application, now) -> str:
    decisions_at = application.cohort.decisions_at
    if decisions_at is not None and now >= decisions_at:
        return gettext("Decisions have been made: screening can no longer change.")
    if application.status != ApplicationStatus.SUBMITTED:
        return gettext("Only submitted applications are screened.")
    return ""


@transaction.atomic
def application_screen_out(*, application: Application, by, reason: str) -> Application:
    """Set a submitted application aside before decisions, saying why: it leaves assignment
    and the ranking. Side effects: an event in its history; the `screened_out` signal (reviews
    end its active assignments; a review already submitted is kept). Refused with
    ApplicationError without a reason, for any other status, once decisions are due, or when
    already screened out."""
    reason = reason.strip()
    if not reason:
        raise ApplicationError(gettext("Say why this application is screened out."))
    if len(reason) > REASON_MAX_CHARACTERS:
        raise ApplicationError(
            gettext("Keep the reason under %(limit)d characters.")
            % {"limit": REASON_MAX_CHARACTERS}
        )
    locked = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    now = timezone.now()
    problem = _screening_problem(locked, now)
    if problem:
        raise ApplicationError(problem)
    if locked.screened_out_at is not None:
        raise ApplicationError(gettext("This application is already screened out."))
    Application.objects.filter(pk=locked.pk).update(
        screened_out_at=now, screened_out_by=by, screened_out_reason=reason
    )
    locked.screened_out_at, locked.screened_out_by, locked.screened_out_reason = now, by, reason
    ApplicationEvent.objects.create(
        application=locked, actor=by, at=now, from_status=locked.status,
        to_status=locked.status, note=gettext("Screened out: %(reason)s") % {"reason": reason},
    )  # fmt: skip
    screened_out.send(sender=Application, application=locked, actor=by)
    return locked


@transaction.atomic
def application_screen_in(*, application: Application, by) -> Application:
    """Take a screened-out application back into review, before decisions. Side effects: an
    event in its history; it needs reviewers again (the automatic assignment fills them)."""
    locked = Application.objects.select_for_update().select_related("cohort").get(pk=application.pk)
    now = timezone.now()
    problem = _screening_problem(locked, now)
    if problem:
        raise ApplicationError(problem)
    if locked.screened_out_at is None:
        raise ApplicationError(gettext("This application is not screened out."))
    Application.objects.filter(pk=locked.pk).update(
        screened_out_at=None, screened_out_by=None, screened_out_reason=""
    )
    locked.screened_out_at, locked.screened_out_by, locked.screened_out_reason = None, None, ""
    ApplicationEvent.objects.create(
        application=locked, actor=by, at=now, from_status=locked.status,
        to_status=locked.status, note=gettext("Screened back in for review."),
    )  # fmt: skip
    screened_in.send(sender=Application, application=locked, actor=by)
    return locked


def applications_screen_out(*, applications, by, reason: str) -> tuple[list, list]:
    """Screen out several applications with one reason, each as application_screen_out does
    (each in its own transaction). Returns those screened out and (application, problem) for
    those refused."""
    done, refused = [], []
    for application in applications:
        try:
            done.append(application_screen_out(application=application, by=by, reason=reason))
        except ApplicationError as error:
            refused.append((application, " ".join(error.problems)))
    return done, refused
