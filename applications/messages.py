"""Messages to a cohort: staff write one email to every draft, or every submitted application,
of a cohort; each member of those startups gets it through the outbox, in their language when
both versions are written."""

import hashlib
import json
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from notifications.models import EmailKind
from notifications.reminders import existing_keys
from notifications.services import email_html_from_text, email_queue

from .enums import ApplicationStatus
from .models import Application, Membership


class Audience(models.TextChoices):
    DRAFTS = "drafts", gettext_lazy("Every draft")
    SUBMITTED = "submitted", gettext_lazy("Every submitted application")


AUDIENCE_STATUSES = {
    Audience.DRAFTS: [ApplicationStatus.DRAFT],
    # Submitted, whatever became of it since (withdrawn aside).
    Audience.SUBMITTED: [
        ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED,
        ApplicationStatus.WAITLISTED, ApplicationStatus.WINNER, ApplicationStatus.REJECTED,
    ],
}  # fmt: skip


@dataclass(frozen=True)
class CohortMessage:
    audience: str
    subject_en: str
    body_en: str
    subject_fr: str = ""
    body_fr: str = ""

    def version_for(self, language: str) -> tuple[str, str, str]:
        """(language, subject, body): the French one for a French reader when written."""
        if language == "fr" and self.subject_fr.strip() and self.body_fr.strip():
            return "fr", self.subject_fr, self.body_fr
        return "en", self.subject_en, self.body_en

    def fingerprint(self) -> str:
        content = json.dumps([self.audience, self.subject_en, self.body_en, self.subject_fr,
                              self.body_fr])  # fmt: skip
        return hashlib.sha256(content.encode()).hexdigest()[:16]


def cohort_message_recipients(*, cohort, audience: str) -> list:
    """The members of the startups whose application to the cohort is in the audience, each
    once, in one query."""
    applications = Application.objects.filter(
        cohort=cohort, status__in=AUDIENCE_STATUSES[Audience(audience)]
    )
    memberships = (
        Membership.objects.filter(startup__applications__in=applications)
        .select_related("user")
        .order_by("user_id")
        .distinct()
    )
    users = {membership.user_id: membership.user for membership in memberships}
    return list(users.values())


def cohort_message_render(message: CohortMessage, *, language: str) -> dict[str, str]:
    language, subject, body = message.version_for(language)
    with translation.override(language):
        return {
            "subject": subject,
            "body_text": body,
            "body_html": email_html_from_text(subject, body),
            "language": language,
        }


@transaction.atomic
def cohort_message_send(*, cohort, message: CohortMessage) -> int:
    """Queue the message to every recipient. Side effects: one outbox row each (kind
    cohort_message, filed under the cohort), sent after commit. The same message sent twice
    (a double click, a reload) queues nothing new: its key is its content. Returns how many
    were queued."""
    if not message.subject_en.strip() or not message.body_en.strip():
        raise ValueError(gettext("Write at least the English subject and text."))
    fingerprint = message.fingerprint()
    recipients = {
        f"cohort-message:{cohort.pk}:{fingerprint}:{user.pk}": user
        for user in cohort_message_recipients(cohort=cohort, audience=message.audience)
    }
    already = existing_keys(EmailKind.COHORT_MESSAGE, recipients)
    for key, user in recipients.items():
        if key in already:
            continue
        email_queue(
            kind=EmailKind.COHORT_MESSAGE,
            to_address=user.email,
            recipient=user,
            idempotency_key=key,
            cohort_id=cohort.pk,
            **cohort_message_render(message, language=user.language),
        )
    return len(recipients) - len(already)
