"""The outbox: every email the app sends, as a row written before it goes out.

The bottom layer: it knows users only as the recipient and cohorts only by id, so that any app
above may queue an email."""

import re

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Line breaks, tabs and the other control characters (C0, DEL, C1, Unicode line and paragraph
# separators): text holding one cannot go into an email header. NUL (\x00) is left out so the
# pattern also works in PostgreSQL, whose text never holds it; forms refuse it anyway.
CONTROL_CHARACTERS = r"[\x01-\x1f\x7f-\x9f\u2028\u2029]"
_CONTROL_RUNS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_safe(text: str) -> str:
    """Text for an email header: each run of control characters becomes one space."""
    return _CONTROL_RUNS.sub(" ", text).strip()


class EmailState(models.TextChoices):
    DRAFT = "draft", _("Draft: waits for a person to release it")
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown: may have been sent")
    # A reminder that was no longer due when its turn came (submitted, unsubscribed, past its
    # deadline): never sent.
    CANCELLED = "cancelled", _("Cancelled: no longer due")
    # A reminder that a later one of the same series made pointless (several came due at once
    # after an outage): recorded, never sent.
    SKIPPED = "skipped", _("Skipped: a later reminder replaced it")


class EmailKind(models.TextChoices):
    """What an email is for. Later features add their kinds here."""

    GENERIC = "generic", _("Other")
    EMAIL_VERIFICATION = "email_verification", _("Email address verification")
    LOGIN_CODE = "login_code", _("Login code")
    PASSWORD_RESET = "password_reset", _("Password reset")
    TEAM_INVITATION = "team_invitation", _("Team invitation")
    ACCOUNT_NOTICE = "account_notice", _("Account security notice")
    APPLICATION_SUBMITTED = "application_submitted", _("Application submitted")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    REVIEWER_INVITATION = "reviewer_invitation", _("Reviewer invitation")
    CONFLICT_DECLARED = "conflict_declared", _("Conflict of interest declared")
    DEADLINE_REMINDER = "deadline_reminder", _("Application deadline reminder")
    REVIEW_REMINDER = "review_reminder", _("Review deadline reminder")
    COHORT_MESSAGE = "cohort_message", _("Message to a cohort")
    DECISION = "decision", _("Decision on an application")
    OFFER_REMINDER = "offer_reminder", _("Offer reply-by reminder")
    INTERVIEW_INVITATION = "interview_invitation", _("Invitation to interview")
    INTERVIEW_BOOKED = "interview_booked", _("Interview booked")
    INTERVIEW_CHANGED = "interview_changed", _("Interview moved or cancelled")
    INTERVIEW_REMINDER = "interview_reminder", _("Interview reminder")
    DECISIONS_PUBLISHED = "decisions_published", _("Decisions published (the record's hash)")


# Not sent yet: a person may still release a draft, a worker still claim a queued one.
PENDING_EMAIL_STATES = (EmailState.DRAFT, EmailState.QUEUED)
# What a deleted account's address becomes on the emails kept as a record (RFC 2606: the
# .invalid domain never resolves). An email to it is never pending (a constraint).
ANONYMISED_DOMAIN = "@invalid.invalid"


def anonymised_address(user_id: int) -> str:
    return f"deleted-user-{user_id}{ANONYMISED_DOMAIN}"


def is_anonymised_address(address: str) -> bool:
    return address.endswith(ANONYMISED_DOMAIN)


# An attachment's content (a calendar file): at most this many bytes per email, all together.
MAX_ATTACHMENT_BYTES = 256 * 1024


def attachments_size(attachments: list[dict]) -> int:
    return sum(len(attachment["content"].encode()) for attachment in attachments)


# What a person may turn off (the notification settings page, the unsubscribe link): reminders.
# Every other kind is transactional (verification, confirmations, decisions) and always sent.
OPTIONAL_EMAIL_KINDS = (
    EmailKind.DEADLINE_REMINDER,
    EmailKind.REVIEW_REMINDER,
    EmailKind.INTERVIEW_REMINDER,
)


# Their bodies hold a code, a reset link or an invitation token: hidden from staff, cleared once
# sent, never resent (a fresh one must be asked for instead).
SECRET_EMAIL_KINDS = frozenset(
    {
        EmailKind.EMAIL_VERIFICATION,
        EmailKind.LOGIN_CODE,
        EmailKind.PASSWORD_RESET,
        EmailKind.TEAM_INVITATION,
        EmailKind.REVIEWER_INVITATION,
    }
)


class OutgoingEmail(models.Model):
    """One email, written in the transaction of the change that caused it and sent by a worker.

    The state moves draft → queued → sending → sent, or back to queued for a retry after a
    transient error, or to failed; a row left in sending past its lease becomes unknown. Only
    services in notifications/services.py change it.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=EmailKind.choices)
    idempotency_key = models.CharField(
        _("idempotency key"),
        max_length=200,
        blank=True,
        help_text=_("Unique per kind: a second email with the same key is never created."),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="emails_received",
    )
    to_address = models.EmailField(_("to"), max_length=254)
    from_address = models.CharField(_("from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"), blank=True)
    body_html = models.TextField(_("HTML body"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    state = models.CharField(
        _("state"), max_length=10, choices=EmailState.choices, default=EmailState.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    body_cleared_at = models.DateTimeField(_("body cleared at"), null=True, blank=True)
    # An id, not a foreign key: the outbox sits below the apps that own cohorts. Staff pages
    # show a manager the emails of the cohorts they manage by it.
    cohort_id = models.PositiveBigIntegerField(_("cohort"), null=True, blank=True, db_index=True)
    # A reminder is worth nothing after its deadline: past this, it is cancelled, never sent.
    send_before = models.DateTimeField(_("send before"), null=True, blank=True)
    # Extra headers the message carries (List-Unsubscribe for reminders), written with the row
    # so that the worker sends exactly what was rendered.
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # Text files sent with the email (calendar invitations): [{"filename", "content_type",
    # "content"}], at most MAX_ATTACHMENT_BYTES in all, never on a secret kind (their bodies
    # are cleared once sent; an attachment would outlive that).
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    class Meta:
        # The table kept its name when the model moved here from applications.
        db_table = "applications_outgoingemail"
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="outbox_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=EmailState.values), name="outbox_state_known"
            ),
            models.UniqueConstraint(
                fields=["kind", "idempotency_key"],
                condition=~models.Q(idempotency_key=""),
                name="outbox_idempotency_key_unique_per_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="queued") | models.Q(next_attempt_at__isnull=False),
                name="outbox_queued_has_next_attempt",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=sorted(SECRET_EMAIL_KINDS)) | models.Q(attachments=[]),
                name="outbox_no_attachment_on_secret_kinds",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=PENDING_EMAIL_STATES)
                | ~models.Q(to_address__endswith=ANONYMISED_DOMAIN),
                name="outbox_nothing_pending_to_an_anonymised_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_address}: {self.subject}"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a receiving server can tell a resend from a new email."""
        return f"<outbox-{self.pk}@{settings.EMAIL_MESSAGE_ID_DOMAIN}>"

    @property
    def carries_secret(self) -> bool:
        return self.kind in SECRET_EMAIL_KINDS

    @property
    def failure_reason(self) -> str:
        """Why a failed email did not go, in words for the person who caused it (last_error,
        for staff, may name servers)."""
        if self.last_error.startswith(("SMTPRecipientsRefused", "SMTPDataError")):
            return _("the recipient's mail server refused it")
        return _("our email service could not send it")


class Unsubscription(models.Model):
    """A person who turned off one kind of optional email (OPTIONAL_EMAIL_KINDS): none of that
    kind is created or sent to them until they turn it on again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unsubscriptions"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=EmailKind.choices)
    created_at = models.DateTimeField(_("unsubscribed at"), default=timezone.now)

    class Meta:
        verbose_name = _("unsubscription")
        verbose_name_plural = _("unsubscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unsubscription_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user} ✕ {self.get_kind_display()}"
