"""Erasing personal data: an account deleted by its owner, applications past retention."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from cohorts.models import Cohort

from ..enums import TRANSITIONS, ApplicationStatus
from ..models import Answer, Application, ApplicationEvent, Membership, OutgoingEmail, Startup
from ..personal_data import submissions_redact
from .applications import application_transition

DELETED_USER = "deleted user"
STARTUP_PERSONAL_FIELDS = {
    "website": "", "city": "", "legal_entity": "", "siren": "", "pitch": "",
    "other_model_name": "", "github_url": "", "hugging_face_url": "", "demo_url": "",
}  # fmt: skip


def application_anonymise(application: Application, *, now: datetime) -> None:
    """Drop what identifies people in one application, keeping its status, dates, cohort and
    what statistics count. Side effects: its deck file is deleted from storage."""
    Answer.objects.filter(application=application).update(value="")
    submissions_redact([application])
    if application.pitch_deck:
        application.pitch_deck.delete(save=False)
    Application.objects.filter(pk=application.pk).update(
        pitch_deck="", pitch_deck_sha256="", anonymised_at=now
    )


def _startup_anonymise(startup: Startup) -> None:
    Startup.objects.filter(pk=startup.pk).update(
        name=gettext("Deleted startup #%(id)d") % {"id": startup.pk}, **STARTUP_PERSONAL_FIELDS
    )


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete a user's account. For each startup: with co-founders left, only the membership
    goes and the startup continues; as its last member, its drafts are deleted and its other
    applications withdrawn (where the table allows) with their personal data removed. Events
    keep "deleted user" in place of the name; emails sent to the user lose their address and
    bodies. Nothing of another user's is touched."""
    now = timezone.now()
    for membership in Membership.objects.select_for_update().filter(user=user):
        startup = membership.startup
        membership.delete()
        if startup.memberships.exists():
            continue
        for application in Application.objects.filter(startup=startup):
            if application.status == ApplicationStatus.DRAFT:
                if application.pitch_deck:
                    application.pitch_deck.delete(save=False)
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
    OutgoingEmail.objects.filter(Q(recipient=user) | Q(to_address__iexact=user.email)).update(
        to_address=f"deleted-user-{user.pk}@invalid.invalid",
        body_text="",
        body_html="",
        body_cleared_at=now,
    )
    user.delete()


def retention_apply(*, now: datetime | None = None) -> int:
    """Anonymise the applications of cohorts whose last date (programme end, else decisions,
    else closing) is more than RETENTION_MONTHS ago; winners are kept. Returns how many."""
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
    return count
