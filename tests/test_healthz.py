import time

import pytest

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
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_within_deadline_when_redis_is_stopped(client, private_redis):
    private_redis.stop()
    with services.celery_broker(private_redis.url):
        response, elapsed = get_healthz(client)

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}
    assert elapsed < DEADLINE_SECONDS


def test_healthz_is_503_within_deadline_when_the_broker_never_answers(client):
    with services.silent_listener() as hung_url, services.celery_broker(hung_url):
        response, elapsed = get_healthz(client)

    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "error"}
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

    assert (present.status_code, present.json()) == (200, {"database": "ok", "broker": "ok"})
    assert (missing.status_code, missing.json()) == (503, {"database": "ok", "broker": "error"})
