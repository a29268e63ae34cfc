"""Erasing personal data: the applications part of a deleted account, applications past
retention."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from cohorts.models import Cohort
from notifications.models import OutgoingEmail

from ..enums import TRANSITIONS, ApplicationStatus
from ..models import (
    Answer,
    Application,
    ApplicationEvent,
    Extension,
    Membership,
    NamedConflict,
    Startup,
    Submission,
)
from ..models.applications import redaction_allowed
from ..personal_data import submissions_redact
from ..signals import application_anonymised
from .applications import application_transition
from .files import (
    files_delete_after_commit,
    files_held_by_submissions,
    private_files_sweep_after_commit,
)
from .search import startup_search_refresh

# Stored on events in place of a deleted person's name (translated where it is shown).
DELETED_USER = gettext_noop("deleted user")
STARTUP_PERSONAL_FIELDS = {
    "website": "", "city": "", "legal_entity": "", "siren": "", "pitch": "",
    "other_model_name": "", "github_url": "", "hugging_face_url": "", "demo_url": "",
}  # fmt: skip


def _stored_files(application: Application) -> set[str]:
    """Every file the application refers to: its deck, its answers' files and those of its
    submitted versions."""
    names = {application.pitch_deck.name} if application.pitch_deck else set()
    names |= files_held_by_submissions(application)
    for value in application.answers.values_list("value", flat=True):
        if isinstance(value, dict):
            names.add(value.get("file") or "")
    return {name for name in names if name}


def application_anonymise(application: Application, *, now: datetime) -> None:
    """Drop what identifies people in one application, keeping its status, dates, cohort and
    what statistics count. Side effects: its files are deleted from storage after commit; the
    conflicts the startup named are deleted; the confirmation emails (which copy the answers)
    and extension emails lose their bodies; extensions lose their reasons and messages, and
    events the names of who acted; the `application_anonymised` signal."""
    files_delete_after_commit(_stored_files(application))
    Answer.objects.filter(application=application).update(value="")
    submissions_redact([application])
    Extension.objects.filter(application=application).update(reason="", message="")
    NamedConflict.objects.filter(application=application).delete()
    ApplicationEvent.objects.filter(application=application).update(actor_name="", note="")
    OutgoingEmail.objects.filter(
        Q(idempotency_key__startswith=f"application-submitted:{application.pk}:")
        | Q(idempotency_key__startswith=f"extension-granted:{application.pk}:")
    ).update(body_text="", body_html="", body_cleared_at=now)
    Application.objects.filter(pk=application.pk).update(
        pitch_deck="", pitch_deck_sha256="", anonymised_at=now
    )
    application_anonymised.send(sender=Application, application=application)


def _startup_anonymise(startup: Startup) -> None:
    startup.invitations.all().delete()  # invitees' addresses, and tokens that still work
    Startup.objects.filter(pk=startup.pk).update(
        name=gettext("Deleted startup #%(id)d") % {"id": startup.pk}, **STARTUP_PERSONAL_FIELDS
    )


def _team_member_redact(startup: Startup, user) -> None:
    """A co-founder who leaves for good disappears from the team in submitted versions."""
    with redaction_allowed():
        for submission in Submission.objects.filter(application__startup=startup):
            team = submission.content.get("team")
            if not isinstance(team, list):
                continue
            kept = [member for member in team if member.get("user") != user.pk]
            if len(kept) != len(team):
                submission.content = {**submission.content, "team": kept}
                submission.save(update_fields=["content"])


def applicant_data_delete(user) -> None:
    """The applications part of an account's deletion (registered with accounts, run inside
    its transaction before the user row goes). For each startup: with co-founders left, only
    the membership goes and the startup continues (the user leaves its submitted versions'
    teams); as its last member, its drafts are deleted and its other applications withdrawn
    (where the table allows) with their personal data and files removed. Events keep "deleted
    user" in place of the name. Nothing of another user's is touched. After commit, every file
    of the private storage that nothing refers to any more is deleted."""
    now = timezone.now()
    startup_ids = list(user.memberships.values_list("startup_id", flat=True))
    # Lock the startups first: two last members deleting at once must not both see the other.
    for startup in Startup.objects.select_for_update().filter(pk__in=startup_ids).order_by("pk"):
        Membership.objects.filter(startup=startup, user=user).delete()
        if startup.memberships.exists():
            _team_member_redact(startup, user)
            startup_search_refresh(startup=startup)
            continue
        for application in Application.objects.filter(startup=startup):
            if application.status == ApplicationStatus.DRAFT:
                files_delete_after_commit(_stored_files(application))
                application.delete()
                continue
            if ApplicationStatus.WITHDRAWN in TRANSITIONS[ApplicationStatus(application.status)]:
                application_transition(
                    application=application,
                    to_status=ApplicationStatus.WITHDRAWN,
                    actor=None,
                    note=gettext("Withdrawn: the account was deleted."),
                )
            application_anonymise(application, now=now)
        if startup.applications.exists():
            _startup_anonymise(startup)
        else:
            startup.delete()
    ApplicationEvent.objects.filter(actor=user).update(actor=None, actor_name=DELETED_USER)
    private_files_sweep_after_commit()


def retention_apply(*, now: datetime | None = None) -> int:
    """Anonymise the applications of cohorts whose last date (programme end, else decisions,
    else closing) is more than RETENTION_MONTHS ago; winners are kept. Returns how many.
    Side effects: their files are deleted, and with them every file of the private storage
    that nothing refers to, after commit."""
    now = now or timezone.now()
    limit = now - relativedelta(months=settings.RETENTION_MONTHS)
    expired = Cohort.objects.annotate(
        last_moment=Coalesce("program_ends_on", "decisions_at__date", "closes_at__date")
    ).filter(last_moment__lt=limit.date())
    applications = Application.objects.filter(
        cohort__in=expired, anonymised_at__isnull=True
    ).exclude(status=ApplicationStatus.WINNER)
    count = 0
    for application in applications:
        with transaction.atomic():
            application_anonymise(application, now=now)
        count += 1
    private_files_sweep_after_commit()
    return count
