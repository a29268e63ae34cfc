"""Reminders with real workers on a real Redis and a real SMTP server: a worker killed in the
middle of a batch, and Redis stopped when the sweep runs. No test here travels in time: a worker
in another process does not see time-machine, so the cohort closes at now + 2 days − 1 minute
(the 2-day reminder is due now, the 7-day one is recorded as skipped). Under TEST_CLOCK_SHIFT
the worker process shares the test process's moved clock through libfaketime (tests/clock.py)."""

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from email import message_from_bytes

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accelerator.celery import app as celery_app
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.reminders import reminders_sweep
from notifications.services import email_deliver, outbox_sweep
from tests import clock, services
from tests.factories.applications import bulk_applications
from tests.factories.cohorts import CohortFactory

pytestmark = pytest.mark.django_db(transaction=True)

DRAFTS = 80
KILL_AT = 50


def cohort_closing_soon():
    now = timezone.now()
    return CohortFactory(opens_at=now - timedelta(days=20),
                         closes_at=now + timedelta(days=2) - timedelta(minutes=1))  # fmt: skip


def reminders():
    return OutgoingEmail.objects.filter(kind=EmailKind.DEADLINE_REMINDER)


def message_ids(messages) -> Counter:
    return Counter(message["Message-ID"] for message in messages)


class KillingRecorder(services.SMTPRecorder):
    """Holds its `KILL_AT`th message until the test says the worker that sent it is dead."""

    def __init__(self):
        super().__init__()
        self.reached = threading.Event()
        self.killed = threading.Event()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self.arrived.notify_all()
            count = len(self.messages)
        if count == KILL_AT:
            self.reached.set()
            self.killed.wait(timeout=30)  # the worker never reads this answer
        return "250 OK"


@pytest.fixture
def killing_smtp():
    from aiosmtpd.controller import Controller

    recorder = KillingRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=services.free_port())
    controller.start()
    try:
        yield controller.port, recorder
    finally:
        recorder.killed.set()
        controller.stop()


def worker_log(folder: str) -> str:
    with open(f"{folder}/worker.log") as log:
        return log.read()[-3000:]


def start_worker_process(broker_url: str, smtp_port: int, folder: str) -> subprocess.Popen:
    """`celery worker` in a process of its own, on the test database."""
    database = connection.settings_dict
    # Over TCP, or over the server's Unix socket (make test's: HOST empty, its folder in OPTIONS).
    socket = "" if database["HOST"] else database.get("OPTIONS", {}).get("host", "")
    log = open(f"{folder}/worker.log", "ab")  # noqa: SIM115 (the process keeps it)
    env = (
        os.environ
        | {
            "DJANGO_SETTINGS_MODULE": "accelerator.settings.dev",
            "DATABASE_URL": f"postgres://{database['USER']}:{database['PASSWORD']}@"
            f"{database['HOST']}:{database['PORT']}/{database['NAME']}"
            + (f"?host={socket}" if socket else ""),
            "CELERY_BROKER_URL": broker_url,
            "OUTBOX_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SECRET_KEY": settings.SECRET_KEY,
            "VAR_DIR": folder,
        }
        | clock.child_env()  # the test process's clock, moved or not
    )
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "accelerator", "worker", "--pool=solo",
         "--loglevel=WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"],
        env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def test_a_worker_killed_mid_batch_sends_no_reminder_twice(private_redis, killing_smtp):
    assert connection.vendor == "postgresql"
    port, sink = killing_smtp
    cohort = cohort_closing_soon()
    bulk_applications(cohort, drafts=DRAFTS)
    folder = tempfile.mkdtemp(prefix="accelerator-worker-")
    worker = start_worker_process(private_redis.url, port, folder)
    try:
        with services.celery_broker(private_redis.url):
            written = reminders_sweep()
        assert written == {
            EmailKind.DEADLINE_REMINDER: 2 * DRAFTS,
            EmailKind.REVIEW_REMINDER: 0,
            EmailKind.OFFER_REMINDER: 0,
            EmailKind.INTERVIEW_REMINDER: 0,
        }

        assert sink.reached.wait(timeout=60), worker_log(folder)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        sink.killed.set()

        # What beat does once the lease of the email in flight has run out.
        with services.celery_broker(private_redis.url):
            outbox_sweep(now=timezone.now() + timedelta(
                seconds=settings.OUTBOX_SENDING_LEASE_SECONDS + 1))  # fmt: skip
        worker = start_worker_process(private_redis.url, port, folder)
        sink.wait_for(DRAFTS, timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)  # a warm shutdown: the email in hand is recorded
        worker.wait(timeout=30)

    received = message_ids(sink.messages)
    assert [message_id for message_id, count in received.items() if count > 1] == []
    states = Counter(reminders().values_list("state", flat=True))
    assert states[EmailState.QUEUED] == states[EmailState.SENDING] == 0
    assert states[EmailState.UNKNOWN] <= 1
    assert states[EmailState.SKIPPED] == DRAFTS
    assert states[EmailState.SENT] + states[EmailState.UNKNOWN] == DRAFTS
    sent = reminders().filter(state=EmailState.SENT)
    assert all(received[email.message_id] == 1 for email in sent)
    assert len(received) == DRAFTS


def test_with_redis_stopped_the_sweep_returns_quickly_and_each_arrives_once_after(
    private_redis, smtp
):
    cohort = cohort_closing_soon()
    bulk_applications(cohort, drafts=5)
    with (
        services.celery_broker(private_redis.url),
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        private_redis.stop()
        try:
            started = time.monotonic()
            written = reminders_sweep()
            elapsed = time.monotonic() - started
        finally:
            private_redis.start()

        assert elapsed < 3
        assert written[EmailKind.DEADLINE_REMINDER] == 10  # 5 queued, 5 skipped
        assert reminders().filter(state=EmailState.QUEUED).count() == 5
        outbox_sweep()  # beat's next minute, Redis back
        smtp.wait_for(5)
        outbox_sweep()
        for email_id in reminders().values_list("pk", flat=True):
            email_deliver(email_id=email_id)

    received = message_ids(smtp.messages)
    assert len(received) == 5
    assert set(received.values()) == {1}
    assert set(
        reminders().filter(state__in=["queued", "sent"]).values_list("state", flat=True)
    ) == {EmailState.SENT}
