"""The outbox against a real SMTP server on loopback: what counts is what the server received.

Each test first shows delivery working for a row that should go out, then runs the sweep and
the delivery task for every row once more, and only then asserts what the server holds.
"""

import base64
import json
from datetime import timedelta

import pytest
import redis
import time_machine
from django.db import transaction
from django.utils import timezone

from accelerator.celery import app as celery_app
from notifications import services
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver, email_release, outbox_sweep
from notifications.tasks import task_deliver_email, task_sweep_outbox
from tests import services as celery_services
from tests.clock import clock_pinned
from tests.factories import queue_email

pinned_clock = clock_pinned()  # every date here is relative to the clock

pytestmark = pytest.mark.django_db(transaction=True)


def rerun_sweep_and_every_task() -> None:
    outbox_sweep()
    for email_id in OutgoingEmail.objects.values_list("pk", flat=True):
        email_deliver(email_id=email_id)


def subjects(messages) -> list[str]:
    return [message["Subject"] for message in messages]


def change_that_fails_after_queueing_an_email() -> None:
    with transaction.atomic():
        queue_email(subject="Rolled back")
        raise RuntimeError("the change that caused the email failed")


def test_email_of_rolled_back_transaction_never_arrives(smtp):
    committed = queue_email(subject="Committed")
    with pytest.raises(RuntimeError):
        change_that_fails_after_queueing_an_email()

    assert email_deliver(email_id=committed.pk) == EmailState.SENT
    assert subjects(smtp.messages) == ["Committed"]

    rerun_sweep_and_every_task()

    assert subjects(smtp.messages) == ["Committed"]
    assert OutgoingEmail.objects.count() == 1


def test_delivered_message_carries_message_id_and_both_bodies(smtp, settings):
    settings.EMAIL_MESSAGE_ID_DOMAIN = "mail.accelerator.example"
    email = queue_email(body_text="Plain text", body_html="<p>HTML</p>")

    email_deliver(email_id=email.pk)
    rerun_sweep_and_every_task()

    [message] = smtp.messages
    assert message["Message-ID"] == f"<outbox-{email.pk}@mail.accelerator.example>"
    assert message["To"] == "founder@startup.example"
    parts = {
        part.get_content_type(): part.get_payload().strip()
        for part in message.walk()
        if not part.is_multipart()
    }
    assert parts["text/plain"] == "Plain text"
    assert parts["text/html"] == "<p>HTML</p>"
    email.refresh_from_db()
    assert (email.state, email.attempts, email.body_text) == (EmailState.SENT, 1, "Plain text")


def test_transient_refusal_is_retried_after_backoff_and_arrives_once(smtp, settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    smtp.refusals_left = 1
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False) as clock:
        email = queue_email()

        assert email_deliver(email_id=email.pk) == EmailState.QUEUED
        email.refresh_from_db()
        assert email.next_attempt_at == timezone.now() + timedelta(seconds=60)
        assert email.last_error.startswith("SMTPDataError: (451")
        # Not due yet: neither the sweep nor a duplicate task sends it early.
        assert outbox_sweep() == []
        assert email_deliver(email_id=email.pk) is None
        assert smtp.messages == []

        clock.shift(timedelta(seconds=61))
        assert outbox_sweep() == [email.pk]
        assert email_deliver(email_id=email.pk) == EmailState.SENT
        assert len(smtp.messages) == 1

        rerun_sweep_and_every_task()

    assert len(smtp.messages) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 2)


def test_transient_errors_give_up_after_the_last_attempt(smtp, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    smtp.refusals_left = 3
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False) as clock:
        email = queue_email()
        states = []
        for wait in (0, 60, 120):  # backoff doubles: 60 s, then 120 s
            clock.shift(timedelta(seconds=wait))
            states.append(email_deliver(email_id=email.pk))
        proof = queue_email(subject="Proof that delivery works")
        email_deliver(email_id=proof.pk)
        clock.shift(timedelta(days=1))
        rerun_sweep_and_every_task()

    assert states == [EmailState.QUEUED, EmailState.QUEUED, EmailState.FAILED]
    assert subjects(smtp.messages) == ["Proof that delivery works"]


def test_permanent_refusal_fails_at_once_and_is_not_retried(smtp):
    smtp.refusals_left = 1
    smtp.refusal = "550 5.1.1 Mailbox does not exist"
    refused = queue_email(subject="Refused")

    assert email_deliver(email_id=refused.pk) == EmailState.FAILED
    proof = queue_email(subject="Proof that delivery works")
    email_deliver(email_id=proof.pk)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        rerun_sweep_and_every_task()

    assert subjects(smtp.messages) == ["Proof that delivery works"]
    refused.refresh_from_db()
    assert refused.last_error.startswith("SMTPDataError: (550")


def test_unreachable_mail_server_is_a_transient_error(smtp, settings):
    settings.EMAIL_PORT = celery_services.free_port()  # nothing listens there
    email = queue_email()

    assert email_deliver(email_id=email.pk) == EmailState.QUEUED
    email.refresh_from_db()
    assert email.last_error.startswith("ConnectionRefusedError")


def test_row_stuck_in_sending_past_its_lease_becomes_unknown_and_is_not_resent(smtp, settings):
    settings.OUTBOX_SENDING_LEASE_SECONDS = 600
    with time_machine.travel("2026-11-22 10:00:00+00:00", tick=False) as clock:
        stuck = queue_email(subject="Stuck")
        # A worker claimed it and died before recording the outcome.
        OutgoingEmail.objects.filter(pk=stuck.pk).update(
            state=EmailState.SENDING, sending_since=timezone.now(), attempts=1
        )
        healthy = queue_email(subject="Healthy")
        email_deliver(email_id=healthy.pk)

        clock.shift(timedelta(minutes=9))
        outbox_sweep()
        assert OutgoingEmail.objects.get(pk=stuck.pk).state == EmailState.SENDING

        clock.shift(timedelta(minutes=2))
        rerun_sweep_and_every_task()

    stuck.refresh_from_db()
    assert stuck.state == EmailState.UNKNOWN
    assert subjects(smtp.messages) == ["Healthy"]


def test_draft_is_not_sent_until_released_then_once(smtp):
    draft = queue_email(subject="Decision", draft=True)
    rerun_sweep_and_every_task()
    assert smtp.messages == []

    email_release(email=draft)
    assert email_deliver(email_id=draft.pk) == EmailState.SENT
    rerun_sweep_and_every_task()

    assert subjects(smtp.messages) == ["Decision"]


def test_secret_body_is_empty_after_sending(smtp):
    email = queue_email(
        kind=EmailKind.EMAIL_VERIFICATION,
        subject="Your code",
        body_text="Your code is K7QM-3XPA",
        body_html="<p>Your code is <b>K7QM-3XPA</b></p>",
    )

    email_deliver(email_id=email.pk)
    rerun_sweep_and_every_task()

    assert len(smtp.messages) == 1
    assert "K7QM-3XPA" in smtp.messages[0].as_string()
    email.refresh_from_db()
    assert (email.body_text, email.body_html) == ("", "")
    assert email.body_cleared_at == email.sent_at


def test_idempotency_key_makes_one_row_and_one_message_per_kind(smtp):
    first = queue_email(idempotency_key="reminder:42:7d")
    again = queue_email(idempotency_key="reminder:42:7d", subject="Another subject")
    other_kind = queue_email(kind=EmailKind.TEAM_INVITATION, idempotency_key="reminder:42:7d")

    rerun_sweep_and_every_task()

    assert again.pk == first.pk
    assert other_kind.pk != first.pk
    assert len(smtp.messages) == 2


def test_a_secret_email_that_fails_for_good_loses_its_body(smtp):
    smtp.refusals_left = 1
    smtp.refusal = "550 5.1.1 Mailbox does not exist"
    email = queue_email(kind=EmailKind.LOGIN_CODE, body_text="Your code is K7QM-3XPA")

    assert email_deliver(email_id=email.pk) == EmailState.FAILED

    email.refresh_from_db()
    assert (email.body_text, email.body_cleared_at is not None) == ("", True)


def test_a_committed_email_publishes_its_delivery_task_by_name(private_redis):
    with celery_services.celery_broker(private_redis.url):
        email = queue_email()
        with transaction.atomic():
            rolled_back = queue_email(subject="Rolled back")
            transaction.set_rollback(True)

    client = redis.Redis(port=private_redis.port)
    published = [json.loads(message) for message in client.lrange("celery", 0, -1)]
    assert [(m["headers"]["task"], m["headers"]["id"] != "") for m in published] == [
        ("applications.deliver_email", True)
    ]
    assert json.loads(base64.b64decode(published[0]["body"]))[0] == [email.pk]
    assert rolled_back.pk not in OutgoingEmail.objects.values_list("pk", flat=True)


def test_the_names_services_publish_and_beat_schedules_are_the_tasks_names(settings):
    celery_app.loader.import_default_modules()

    assert celery_app.tasks[services.DELIVER_EMAIL_TASK].run is task_deliver_email.run
    assert celery_app.tasks[services.SWEEP_OUTBOX_TASK].run is task_sweep_outbox.run
    # Kept from when the outbox lived in applications: queued messages carry these names.
    assert (task_deliver_email.name, task_sweep_outbox.name) == (
        "applications.deliver_email",
        "applications.sweep_outbox",
    )
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks


def test_an_email_keeps_the_cohort_it_concerns():
    email = queue_email(cohort_id=7)

    assert OutgoingEmail.objects.get(pk=email.pk).cohort_id == 7


def test_a_subject_with_control_characters_is_queued_and_sent_on_one_line():
    from django.core import mail

    email = queue_email(subject="Join Lumen\r\nBcc: x@evil.example\u2028on\tAI Startup Program")

    state = email_deliver(email_id=email.pk)

    assert email.subject == "Join Lumen Bcc: x@evil.example on AI Startup Program"
    assert state == EmailState.SENT
    assert mail.outbox[0].subject == "Join Lumen Bcc: x@evil.example on AI Startup Program"


def test_an_attachment_goes_out_with_the_email_and_is_refused_on_a_secret_kind():
    from django.core import mail
    from django.db import IntegrityError

    calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
    attachment = {"filename": "interview.ics", "content_type": "text/calendar",
                  "content": calendar}  # fmt: skip
    email = queue_email(attachments=[attachment])

    email_deliver(email_id=email.pk)

    assert mail.outbox[0].attachments == [("interview.ics", calendar, "text/calendar")]
    # The database refuses it too, whoever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(kind=EmailKind.LOGIN_CODE)
