import logging

import pytest

from tests import services

# aiosmtpd logs every SMTP command at INFO.
logging.getLogger("mail.log").setLevel(logging.WARNING)


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
