"""The email outbox: rows written in the caller's transaction, sent by a worker, swept by beat."""

import logging
import smtplib
from datetime import datetime, timedelta

from anymail.exceptions import AnymailAPIError
from celery import current_app
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from .models import (
    MAX_ATTACHMENT_BYTES,
    OPTIONAL_EMAIL_KINDS,
    PENDING_EMAIL_STATES,
    SECRET_EMAIL_KINDS,
    EmailKind,
    EmailState,
    OutgoingEmail,
    Unsubscription,
    anonymised_address,
    attachments_size,
    header_safe,
    is_anonymised_address,
)

logger = logging.getLogger(__name__)

# Retrying a failed publish once bounds a request at about two broker timeouts when the broker
# is down or hangs; the outbox sweep publishes whatever did not get through.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
SWEEP_BATCH_SIZE = 500
# Published by name: tasks import services, never the reverse. The names date from when the
# outbox lived in applications; queued messages and the beat schedule carry them.
DELIVER_EMAIL_TASK = "applications.deliver_email"
SWEEP_OUTBOX_TASK = "applications.sweep_outbox"


class OutboxError(Exception):
    """A staff action on the outbox that cannot be done; its message is shown to them."""


def _publish_delivery(email_id: int) -> None:
    current_app.send_task(DELIVER_EMAIL_TASK, args=[email_id], retry_policy=PUBLISH_RETRY_POLICY)


def _publish_delivery_after_commit(email_id: int) -> None:
    def publish_delivery() -> None:
        _publish_delivery(email_id)

    # robust: a broker that is down is logged, never raised into the request that caused the
    # email; the row stays queued and the sweep publishes it later. (A named function, not a
    # functools.partial: Django 5.2 reads __qualname__ to log a robust callback's failure.)
    transaction.on_commit(publish_delivery, robust=True)


def email_queue(
    *,
    kind: EmailKind,
    to_address: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str | None = None,
    recipient=None,
    idempotency_key: str = "",
    draft: bool = False,
    from_address: str | None = None,
    cohort_id: int | None = None,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> OutgoingEmail:
    """Write an email to the outbox, in the caller's transaction.

    Side effects: unless `draft`, publishes a delivery task once the transaction commits (a
    rollback sends nothing). With an `idempotency_key` already used for this kind, returns the
    existing row and writes nothing. `cohort_id` is the cohort the email concerns, if any.
    The subject, often built from what users typed, has its control characters collapsed to
    spaces (a line break in a header fails the sending) and is cut to the column's length.
    `attachments` ([{"filename", "content_type", "content"}], text) are refused on a secret
    kind and past MAX_ATTACHMENT_BYTES (OutboxError). `headers` go out with the message
    (List-Unsubscribe for an optional kind).
    """
    attachments = list(attachments or [])
    if attachments and kind in SECRET_EMAIL_KINDS:
        raise OutboxError("an email that carries a secret carries no attachment")
    if attachments_size(attachments) > MAX_ATTACHMENT_BYTES:
        raise OutboxError("attachments over the size limit")
    if idempotency_key:
        existing = OutgoingEmail.objects.filter(kind=kind, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if language is None:
        language = recipient.language if recipient else translation.get_language()
    now = timezone.now()
    email = OutgoingEmail(
        kind=kind,
        idempotency_key=idempotency_key,
        recipient=recipient,
        to_address=to_address,
        from_address=from_address or settings.DEFAULT_FROM_EMAIL,
        subject=header_safe(subject)[: OutgoingEmail._meta.get_field("subject").max_length],
        body_text=body_text,
        body_html=body_html,
        language=language or settings.LANGUAGE_CODE,
        cohort_id=cohort_id,
        attachments=attachments,
        headers=dict(headers or {}),
        state=EmailState.DRAFT if draft else EmailState.QUEUED,
        next_attempt_at=None if draft else now,
        created_at=now,
    )
    try:
        with transaction.atomic():
            email.save()
    except IntegrityError:
        if not idempotency_key:
            raise
        # Another transaction wrote the same key between our read and our insert.
        return OutgoingEmail.objects.get(kind=kind, idempotency_key=idempotency_key)
    if not draft:
        _publish_delivery_after_commit(email.pk)
    return email


def email_render(name: str, context: dict) -> dict[str, str]:
    """`subject`, `body_text` and `body_html` of the email `emails/<name>`, in the active
    language: its _subject.txt, its .txt and its .html (the site's look, extending
    emails/base.html); an email without an .html of its own gets its text in that layout."""
    subject = render_to_string(f"emails/{name}_subject.txt", context).strip()
    body_text = as_text(render_to_string(f"emails/{name}.txt", context))
    try:
        body_html = render_to_string(
            f"emails/{name}.html",
            {**context, "subject": subject, "site_name": settings.SITE_NAME},
        )
    except TemplateDoesNotExist:
        body_html = email_html_from_text(subject, body_text)
    return {"subject": subject, "body_text": body_text, "body_html": body_html}


def as_text(rendered: str) -> str:
    """What a text template rendered, as text: render_to_string marks its result safe, so an
    HTML page or email printing it (a preview, the HTML version of a text email) would take
    what a founder typed there for markup."""
    return str.__str__(rendered)


def email_html_from_text(subject: str, body_text: str) -> str:
    """A text body in the site's look, in the active language: paragraphs and links kept,
    everything else escaped (even text marked safe)."""
    context = {"subject": as_text(subject), "text": as_text(body_text),
               "site_name": settings.SITE_NAME}  # fmt: skip
    return render_to_string("emails/base.html", context)


def email_queue_message(
    message: EmailMessage,
    *,
    kind: EmailKind = EmailKind.GENERIC,
    language: str | None = None,
    recipient=None,
) -> list[OutgoingEmail]:
    """Write a rendered Django EmailMessage to the outbox: one row per recipient, its text body
    and its HTML alternative, if any. Side effects: those of `email_queue` for each row.

    Attachments are refused rather than dropped: the outbox carries text and links only.
    """
    if message.attachments:
        raise ValueError("The outbox does not carry attachments; link to the file instead.")
    body_html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    return [
        email_queue(
            kind=kind,
            to_address=address,
            from_address=message.from_email,
            subject=str(message.subject),
            body_text=message.body,
            body_html=body_html,
            language=language,
            recipient=recipient,
        )
        for address in message.recipients()
    ]


def _is_transient(error: Exception) -> bool:
    """Whether trying again later may succeed: 4xx answers and broken connections."""
    if isinstance(error, smtplib.SMTPResponseException):
        return 400 <= error.smtp_code < 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    if isinstance(error, smtplib.SMTPException):
        return False
    if isinstance(error, AnymailAPIError):
        return error.status_code is None or error.status_code == 429 or error.status_code >= 500
    return isinstance(error, OSError)  # refused, reset, timed out, name not resolved


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def _transport_send(email: OutgoingEmail) -> None:
    connection = get_connection(settings.OUTBOX_EMAIL_BACKEND, fail_silently=False)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_address,
        to=[email.to_address],
        headers={**email.headers, "Message-ID": email.message_id},
        connection=connection,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["content_type"])
    message.send()


def email_deliver(*, email_id: int) -> EmailState | None:
    """Send one queued, due email, if this call is the one that claims it.

    The claim is a conditional UPDATE (queued → sending), so of two workers given the same row
    only one sends it. Then: sent (a secret-bearing body is cleared); after a transient error,
    queued again with exponential backoff until OUTBOX_MAX_ATTEMPTS, then failed; after a
    permanent error, failed. A reminder that is no longer due (past its `send_before`, its
    recipient unsubscribed, or its owning app says so) is cancelled instead of sent. Returns
    the new state, or None when there was nothing to send.
    """
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, state=EmailState.QUEUED, next_attempt_at__lte=now
    ).update(
        state=EmailState.SENDING,
        sending_since=now,
        next_attempt_at=None,
        attempts=F("attempts") + 1,
        updated_at=now,
    )
    if not claimed:
        return None
    email = OutgoingEmail.objects.get(pk=email_id)
    reason = _reason_not_to_send(email, now)
    if reason:
        OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.SENDING).update(
            state=EmailState.CANCELLED, sending_since=None, last_error=reason, updated_at=now
        )
        return EmailState.CANCELLED
    try:
        _transport_send(email)
    except Exception as error:
        return _record_failure(email, error)
    return _record_success(email)


def _reason_not_to_send(email: OutgoingEmail, now: datetime) -> str:
    """Why a claimed email must not go out after all ("" when it must)."""
    from .reminders import reminder_still_due

    if email.send_before is not None and now >= email.send_before:
        return gettext("Its deadline had passed.")
    if is_anonymised_address(email.to_address):
        return gettext("Its recipient deleted their account.")
    if (
        email.kind in OPTIONAL_EMAIL_KINDS
        and email.recipient_id is not None
        and Unsubscription.objects.filter(user_id=email.recipient_id, kind=email.kind).exists()
    ):
        return gettext("The recipient unsubscribed.")
    if not reminder_still_due(email, now):
        return gettext("It was no longer due.")
    return ""


def _record_success(email: OutgoingEmail) -> EmailState:
    now = timezone.now()
    changes = {"state": EmailState.SENT, "sent_at": now, "last_error": "", "updated_at": now}
    if email.carries_secret:
        changes.update(body_text="", body_html="", body_cleared_at=now)
    OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.SENDING).update(**changes)
    return EmailState.SENT


def _record_failure(email: OutgoingEmail, error: Exception) -> EmailState:
    now = timezone.now()
    retry = _is_transient(error) and email.attempts < settings.OUTBOX_MAX_ATTEMPTS
    state = EmailState.QUEUED if retry else EmailState.FAILED
    logger.warning("Email %s attempt %s failed (%s): %r", email.pk, email.attempts, state, error)
    changes = {
        "state": state,
        "next_attempt_at": now + _retry_delay(email.attempts) if retry else None,
        "sending_since": None,
        "last_error": f"{type(error).__name__}: {error}"[:2000],
        "updated_at": now,
    }
    if state == EmailState.FAILED and email.carries_secret:
        # Never resent: its code or link has no further use and must not linger.
        changes.update(body_text="", body_html="", body_cleared_at=now)
    OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.SENDING).update(**changes)
    return state


def outbox_sweep(*, now: datetime | None = None) -> list[int]:
    """Catch up on what no task is carrying.

    Side effects: rows in sending past the lease become unknown (they may have gone out, so they
    are never retried automatically); queued rows past their `send_before` become cancelled
    (a reminder is never sent after its deadline); queued rows that are due get a delivery
    task published,
    oldest first, stopping at the first publish that fails. Returns the ids published.
    """
    now = now or timezone.now()
    lease_start = now - timedelta(seconds=settings.OUTBOX_SENDING_LEASE_SECONDS)
    stuck = OutgoingEmail.objects.filter(state=EmailState.SENDING, sending_since__lt=lease_start)
    stuck.filter(kind__in=SECRET_EMAIL_KINDS).update(
        body_text="", body_html="", body_cleared_at=now
    )
    stuck.update(
        state=EmailState.UNKNOWN,
        last_error=gettext("The sender stopped while sending; it may have gone out."),
        updated_at=now,
    )
    OutgoingEmail.objects.filter(state=EmailState.QUEUED, send_before__lte=now).update(
        state=EmailState.CANCELLED,
        next_attempt_at=None,
        last_error=gettext("Its deadline had passed."),
        updated_at=now,
    )
    due_ids = list(
        OutgoingEmail.objects.filter(state=EmailState.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH_SIZE]
    )
    published = []
    for email_id in due_ids:
        try:
            _publish_delivery(email_id)
        except Exception:
            logger.exception("Outbox sweep: the broker refused email %s; next sweep", email_id)
            break
        published.append(email_id)
    return published


def email_release(*, email: OutgoingEmail) -> None:
    """Release a draft a person has read: it becomes queued and is sent after commit."""
    now = timezone.now()
    released = OutgoingEmail.objects.filter(pk=email.pk, state=EmailState.DRAFT).update(
        state=EmailState.QUEUED, next_attempt_at=now, updated_at=now
    )
    if not released:
        raise OutboxError(gettext("Only a draft can be released."))
    _publish_delivery_after_commit(email.pk)


def email_resend(*, email: OutgoingEmail) -> None:
    """Queue a failed or unknown email again, with a fresh count of attempts; sent after commit.

    Secret-bearing emails are never resent: their body is gone and their code may be stale.
    """
    if email.carries_secret:
        raise OutboxError(
            gettext("An email carrying a code or a link is never resent; ask for a new one.")
        )
    now = timezone.now()
    requeued = OutgoingEmail.objects.filter(
        pk=email.pk, state__in=[EmailState.FAILED, EmailState.UNKNOWN]
    ).update(state=EmailState.QUEUED, attempts=0, next_attempt_at=now, updated_at=now)
    if not requeued:
        raise OutboxError(gettext("Only a failed or unknown email can be sent again."))
    _publish_delivery_after_commit(email.pk)


def emails_void(*, emails, reason: str) -> int:
    """Cancel, with `reason` for staff, every email of `emails` not yet sent (drafts and queued
    ones a worker has not claimed): what they say stopped being true. A conditional UPDATE, so
    against a release (draft → queued) or a worker's claim (queued → sending) of the same row,
    exactly one wins: an email is either voided or on its way, never both. Returns how many."""
    return emails.filter(state__in=PENDING_EMAIL_STATES).update(
        state=EmailState.CANCELLED, next_attempt_at=None, last_error=reason,
        updated_at=timezone.now(),
    )  # fmt: skip


def recipient_emails_erase(*, user) -> int:
    """For a deleted account: the emails not yet sent to the user are cancelled (nothing ever
    goes to an anonymised address); then every email to them loses its body and its address
    is replaced, keeping the rows (kind, subject, dates, state) as the record that they were
    sent. Selected by recipient only, never by address: a recycled address must not erase a
    previous owner's emails. Returns how many."""
    return _emails_erase(OutgoingEmail.objects.filter(recipient=user), user=user)


def addressed_emails_erase(*, email_ids, user) -> int:
    """For a deleted account: erase as recipient_emails_erase does the emails sent to its
    address before it had an account there (a reviewer's invitation), named by id by the app
    that sent them. Returns how many."""
    return _emails_erase(OutgoingEmail.objects.filter(pk__in=list(email_ids)), user=user)


def _emails_erase(emails, *, user) -> int:
    with translation.override(None):  # the English text, translated where it is shown
        reason = gettext("Its recipient deleted their account.")
    emails_void(emails=emails, reason=reason)
    return emails.update(
        to_address=anonymised_address(user.pk),
        body_text="",
        body_html="",
        attachments=[],
        body_cleared_at=timezone.now(),
    )


# The worker's heartbeat: beat schedules task_record_worker_heartbeat every minute, and a worker
# records one as it starts, in the database cache (shared by web, worker and beat). /healthz
# calls the worker stale when the last one is older than this: three missed beats.
WORKER_HEARTBEAT_KEY = "notifications:worker-heartbeat"
WORKER_HEARTBEAT_TASK = "notifications.worker_heartbeat"
WORKER_STALE_AFTER = timedelta(minutes=3)


def worker_heartbeat_record(*, now: datetime | None = None) -> None:
    from django.core.cache import cache

    cache.set(WORKER_HEARTBEAT_KEY, (now or timezone.now()).isoformat(), timeout=None)


def worker_is_alive(*, now: datetime | None = None) -> bool:
    """Whether a worker recorded a heartbeat lately; False when none ever did."""
    from django.core.cache import cache

    recorded = cache.get(WORKER_HEARTBEAT_KEY)
    if recorded is None:
        return False
    return (now or timezone.now()) - datetime.fromisoformat(recorded) <= WORKER_STALE_AFTER


def outbox_backlog(emails) -> tuple[int, datetime | None]:
    """Among `emails`, how many are due and not sent (queued, their attempt time passed), and
    since when the oldest of them has been due."""
    from django.db.models import Count, Min

    due = emails.filter(state=EmailState.QUEUED, next_attempt_at__lte=timezone.now())
    backlog = due.aggregate(count=Count("pk"), oldest=Min("next_attempt_at"))
    return backlog["count"], backlog["oldest"]


def notification_unsubscribe(*, user_id: int, kind: str) -> bool:
    """Turn off one optional kind of email for a person (idempotent). Returns False when the
    kind cannot be turned off (transactional emails) or the user no longer exists."""
    from django.contrib.auth import get_user_model

    if kind not in OPTIONAL_EMAIL_KINDS:
        return False
    if not get_user_model().objects.filter(pk=user_id).exists():
        return False
    Unsubscription.objects.get_or_create(user_id=user_id, kind=kind)
    return True


def notification_preferences_save(*, user, subscribed_kinds) -> None:
    """The settings page: every optional kind in `subscribed_kinds` on, every other one off."""
    subscribed = set(subscribed_kinds)
    Unsubscription.objects.filter(user=user, kind__in=subscribed).delete()
    for kind in OPTIONAL_EMAIL_KINDS:
        if kind not in subscribed:
            Unsubscription.objects.get_or_create(user=user, kind=kind)
