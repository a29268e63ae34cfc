import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from celery.signals import worker_ready
from django.conf import settings

from tests import services

pytestmark = pytest.mark.django_db

DEADLINE_SECONDS = 3.0


def get_healthz(client):
    started = time.monotonic()
    response = client.get("/healthz")
    return response, time.monotonic() - started


def test_healthz_is_ok_with_database_and_redis_up(client):
    response, _elapsed = get_healthz(client)

    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "worker": "stale"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_within_deadline_when_redis_is_stopped(client, private_redis):
    private_redis.stop()
    with services.celery_broker(private_redis.url):
        response, elapsed = get_healthz(client)

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error", "worker": "stale"}
    assert elapsed < DEADLINE_SECONDS


def test_healthz_is_503_within_deadline_when_the_broker_never_answers(client):
    with services.silent_listener() as hung_url, services.celery_broker(hung_url):
        response, elapsed = get_healthz(client)

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error", "worker": "stale"}
    assert elapsed < DEADLINE_SECONDS


def test_healthz_checks_the_folders_of_the_embedded_filesystem_broker(client, tmp_path):
    from accelerator.celery import app

    def probe_with_folder(folder):
        app.conf.broker_transport_options = {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
        }
        return get_healthz(client)[0]

    options = app.conf.broker_transport_options
    try:
        with services.celery_broker("filesystem://"):
            present = probe_with_folder(tmp_path)
            missing = probe_with_folder(tmp_path / "missing")
    finally:
        app.conf.broker_transport_options = options

    assert (present.status_code, present.json()) == (
        200,
        {"database": "ok", "broker": "ok", "worker": "stale"},
    )
    assert (missing.status_code, missing.json()) == (
        503,
        {"database": "ok", "broker": "error", "worker": "stale"},
    )


NOON = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def test_with_no_heartbeat_the_worker_is_stale_but_only_require_worker_fails(client):
    plain = client.get("/healthz")
    required = client.get("/healthz?require=worker")

    assert (plain.status_code, plain.json()["worker"]) == (200, "stale")
    assert (required.status_code, required.json()) == (
        503,
        {"database": "ok", "broker": "ok", "worker": "stale"},
    )


def test_the_worker_is_ok_while_its_heartbeat_is_recent_and_stale_after_three_minutes(client):
    from notifications.tasks import task_record_worker_heartbeat

    with time_machine.travel(NOON, tick=False) as clock:
        task_record_worker_heartbeat()
        clock.move_to(NOON + timedelta(minutes=3))
        recent = client.get("/healthz?require=worker")
        clock.move_to(NOON + timedelta(minutes=3, seconds=1))
        stale = client.get("/healthz?require=worker")
        plain = client.get("/healthz")

    assert (recent.status_code, recent.json()) == (
        200,
        {"database": "ok", "broker": "ok", "worker": "ok"},
    )
    assert (stale.status_code, stale.json()["worker"]) == (503, "stale")
    assert (plain.status_code, plain.json()["worker"]) == (200, "stale")


def test_a_worker_records_a_heartbeat_as_it_starts(client):
    import notifications.tasks  # noqa: F401  (connects the signal, as the worker's import does)

    worker_ready.send(sender=None)

    assert client.get("/healthz?require=worker").json()["worker"] == "ok"


def test_beat_asks_for_a_heartbeat_every_minute():
    from notifications.services import WORKER_HEARTBEAT_TASK

    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]

    assert entry["task"] == WORKER_HEARTBEAT_TASK
    assert str(entry["schedule"]) == "<crontab: * * * * * (m/h/dM/MY/d)>"
