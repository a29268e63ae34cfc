import copy
import logging
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db.backends.postgresql.operations import DatabaseOperations
from django.test import override_settings
from django.utils import translation

from tests import record_guard, services

# TEST_CLOCK_SHIFT, --clock-readers and the run summary of scripts/test.sh.
pytest_plugins = ["tests.clock"]

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)

_sql_flush = DatabaseOperations.sql_flush


def _sql_flush_past_the_record_trigger(self, style, tables, **kwargs):
    """A transactional test ends by TRUNCATE-ing every table, which the decision record's
    trigger refuses (tests/record_guard.py)."""
    sql = _sql_flush(self, style, tables, **kwargs)
    if record_guard.TABLE not in tables or not sql:
        return sql
    return record_guard.past_the_truncate_guard(sql)


DatabaseOperations.sql_flush = _sql_flush_past_the_record_trigger


@pytest.fixture(scope="session", autouse=True)
def _private_files_of_this_worker():
    """Each pytest-xdist worker keeps its uploads in a folder of its own. An account deletion
    sweeps the private files no row of *its* database refers to, older than two hours: in a
    folder shared by workers, with the clock moved a year ahead, the other workers' fresh
    uploads looked that old and were deleted under them."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:  # one process: the folder is its own already
        yield
        return
    storages = copy.deepcopy(django_settings.STORAGES)
    private = storages["private"]["OPTIONS"]
    private["location"] = str(Path(private["location"]) / worker)
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the outbox delivers to."""
    with services.smtp_server() as (port, recorder):
        settings.OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_TIMEOUT = 5
        yield recorder


@pytest.fixture
def private_redis():
    """A running redis-server of this test's own; the test may stop and start it."""
    server = services.RedisServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def staff_with_totp(db):
    """A superuser with a verified address and an authenticator app set up; `.totp_secret`."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from tests.factories import UserFactory

    user = UserFactory(email="manager@stationf.example", is_staff=True, is_superuser=True)
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    return user


@pytest.fixture
def staff_client(client, staff_with_totp):
    client.force_login(staff_with_totp)
    return client


@pytest.fixture(autouse=True)
def _english_in_the_test_thread():
    """A request activates its language in the thread that serves it, which under the test
    client is the test's own: start each test in English so reverse() gives unprefixed URLs."""
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def start_of_totp_window():
    """Authenticator codes change every 30 seconds: start the test at the beginning of a
    window, so a code computed here is still the current one when the server checks it."""
    import time_machine

    with time_machine.travel(datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC), tick=True):
        yield
