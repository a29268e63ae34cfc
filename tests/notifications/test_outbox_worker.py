"""The outbox with a real Celery worker on a real Redis, and with that Redis stopped or hung.

One worker serves the whole module; the module's Redis is its own, so stopping it leaves the
rest of the suite alone.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

from accelerator.celery import app as celery_app
from notifications.models import EmailState, OutgoingEmail
from notifications.services import email_deliver, outbox_sweep
from tests import services
from tests.factories import queue_email

pytestmark = pytest.mark.django_db(transaction=True)

REQUEST_LIMIT_SECONDS = 2.0


@pytest.fixture(scope="module")
def module_redis():
    server = services.RedisServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="module")
def worker(module_redis):
    with (
        services.celery_broker(module_redis.url),
        start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=30),
    ):
        yield


def rerun_sweep_and_every_task() -> None:
    outbox_sweep()
    for email_id in OutgoingEmail.objects.values_list("pk", flat=True):
        email_deliver(email_id=email_id)


def release_through_admin(client, email: OutgoingEmail):
    """The request that causes the email: staff release a draft in the outbox admin."""
    started = time.monotonic()
    response = client.post(
        reverse("admin:notifications_outgoingemail_changelist"),
        {"action": "release_drafts", "_selected_action": [email.pk]},
    )
    return response, time.monotonic() - started


def test_committed_email_arrives_exactly_once_through_the_worker(worker, smtp):
    email = queue_email(subject="Application received")

    messages = smtp.wait_for(1)
    assert [message["Subject"] for message in messages] == ["Application received"]

    rerun_sweep_and_every_task()

    assert len(smtp.messages) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (EmailState.SENT, 1)


def test_request_returns_quickly_with_redis_stopped_and_sweep_delivers_once(
    worker, module_redis, smtp, staff_client
):
    proof = queue_email(subject="Before the outage")
    smtp.wait_for(1)
    draft = queue_email(subject="Released during the outage", draft=True)

    module_redis.stop()
    try:
        response, elapsed = release_through_admin(staff_client, draft)
    finally:
        module_redis.start()

    assert response.status_code == 302
    assert elapsed < REQUEST_LIMIT_SECONDS
    draft.refresh_from_db()
    assert draft.state == EmailState.QUEUED
    assert outbox_sweep() == [draft.pk]
    assert [m["Subject"] for m in smtp.wait_for(2)] == [proof.subject, draft.subject]

    rerun_sweep_and_every_task()

    assert len(smtp.messages) == 2


def test_request_returns_quickly_with_a_broker_that_never_answers(worker, smtp, staff_client):
    proof = queue_email(subject="Before the outage")
    smtp.wait_for(1)
    draft = queue_email(subject="Released while the broker hangs", draft=True)

    with services.silent_listener() as hung_broker_url, services.celery_broker(hung_broker_url):
        response, elapsed = release_through_admin(staff_client, draft)

    assert response.status_code == 302
    assert elapsed < REQUEST_LIMIT_SECONDS
    draft.refresh_from_db()
    assert draft.state == EmailState.QUEUED
    # The broker is back: the module's Redis, where the worker listens.
    assert outbox_sweep() == [draft.pk]
    assert [m["Subject"] for m in smtp.wait_for(2)] == [proof.subject, draft.subject]

    rerun_sweep_and_every_task()

    assert len(smtp.messages) == 2
