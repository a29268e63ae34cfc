"""Reminders against a real SMTP server: what arrives, with which headers, and what never does."""

from datetime import timedelta
from email import message_from_bytes, policy

import pytest
import time_machine

from applications.reminders import deadline_reminders_sweep
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver, outbox_sweep
from tests.factories.applications import bulk_applications, make_application
from tests.factories.cohorts import CohortFactory

pytestmark = pytest.mark.django_db(transaction=True)

HOUR = timedelta(hours=1)


def reminders():
    return OutgoingEmail.objects.filter(kind=EmailKind.DEADLINE_REMINDER)


def rerun_sweep_and_every_task() -> None:
    outbox_sweep()
    for email_id in OutgoingEmail.objects.values_list("pk", flat=True):
        email_deliver(email_id=email_id)


def test_a_reminder_arrives_with_both_bodies_and_one_click_unsubscribe_headers(smtp):
    cohort = CohortFactory()
    application = make_application(cohort=cohort)
    deadline_reminders_sweep(cohort.closes_at - 3 * HOUR)
    [email] = reminders().filter(state=EmailState.QUEUED)

    with time_machine.travel(cohort.closes_at - 2 * HOUR, tick=False):
        assert email_deliver(email_id=email.pk) == EmailState.SENT
        rerun_sweep_and_every_task()

    [received] = smtp.messages
    message = message_from_bytes(received.as_bytes(), policy=policy.default)
    assert message["Subject"].strip() == f"Your application is not submitted yet: {cohort}"
    assert message["List-Unsubscribe-Post"].strip() == "List-Unsubscribe=One-Click"
    # Long headers are folded onto a second line: compare what they say.
    assert message["List-Unsubscribe"].strip() == email.headers["List-Unsubscribe"]
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<http://localhost:8000/notifications/unsubscribe/")
    )
    types = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    assert types == ["text/plain", "text/html"]
    assert f"/applications/{application.pk}/" in message.get_body(("plain",)).get_content()


def test_rows_queued_while_the_worker_is_down_are_cancelled_past_the_deadline(smtp):
    cohort = CohortFactory()
    bulk_applications(cohort, drafts=5)
    deadline_reminders_sweep(cohort.closes_at - 3 * HOUR)
    queued = list(reminders().filter(state=EmailState.QUEUED).values_list("pk", flat=True))

    # The worker comes back one second after the deadline: the beat's sweep, then the tasks.
    with time_machine.travel(cohort.closes_at + timedelta(seconds=1), tick=False):
        rerun_sweep_and_every_task()

    assert len(queued) == 5
    assert smtp.messages == []
    assert set(reminders().filter(pk__in=queued).values_list("state", flat=True)) == {
        EmailState.CANCELLED
    }


def test_a_reminder_claimed_after_its_deadline_is_cancelled_not_sent(smtp):
    cohort = CohortFactory()
    make_application(cohort=cohort)
    deadline_reminders_sweep(cohort.closes_at - 3 * HOUR)
    [email] = reminders().filter(state=EmailState.QUEUED)

    with time_machine.travel(cohort.closes_at, tick=False):
        state = email_deliver(email_id=email.pk)
        rerun_sweep_and_every_task()

    email.refresh_from_db()
    assert (state, email.state, email.last_error) == (
        EmailState.CANCELLED, EmailState.CANCELLED, "Its deadline had passed.",
    )  # fmt: skip
    assert smtp.messages == []


def test_a_late_sweep_sends_once_late_while_the_deadline_is_still_ahead(smtp):
    cohort = CohortFactory()
    make_application(cohort=cohort)
    late = cohort.closes_at - 30 * timedelta(minutes=1)  # the 3-hour mark was missed

    with time_machine.travel(late, tick=False):
        deadline_reminders_sweep(late)
        rerun_sweep_and_every_task()
        deadline_reminders_sweep(late + timedelta(minutes=5))
        rerun_sweep_and_every_task()

    assert len(smtp.messages) == 1
    assert sorted(reminders().values_list("state", flat=True)) == [
        EmailState.SENT, EmailState.SKIPPED, EmailState.SKIPPED,
    ]  # fmt: skip


def test_beat_runs_the_reminder_sweep_every_five_minutes_by_a_registered_task_name(settings):
    from accelerator.celery import app as celery_app

    celery_app.loader.import_default_modules()  # what a worker does as it starts
    entry = settings.CELERY_BEAT_SCHEDULE["reminders"]

    assert entry["task"] == "notifications.sweep_reminders"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].minute == set(range(0, 60, 5))
