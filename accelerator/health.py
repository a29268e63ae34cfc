"""Probes behind /healthz. Each answers within its own deadline, whatever the service does."""

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from django.db import connection

from .celery import app as celery_app

logger = logging.getLogger(__name__)

BROKER_DEADLINE_SECONDS = 2.0

# The probe runs in a thread so the request can give up at the deadline; a probe stuck on a hung
# broker ends on its own socket timeout.
_probe_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="healthz")


def database_is_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("Health check: the database did not answer")
        return False


def _probe_broker() -> None:
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0.2, timeout=BROKER_DEADLINE_SECONDS / 2
        )
        if conn.transport_cls == "filesystem" or conn.transport.driver_type == "filesystem":
            options = conn.transport_options
            for key in ("data_folder_in", "data_folder_out"):
                folder = Path(options[key])
                if not folder.is_dir():
                    raise OSError(f"broker folder {folder} is missing")
        else:
            # Opening a channel makes the transport talk to the server (Redis: PING).
            conn.default_channel.client.ping()


def broker_is_up() -> bool:
    future = _probe_pool.submit(_probe_broker)
    try:
        future.result(timeout=BROKER_DEADLINE_SECONDS)
        return True
    except FutureTimeout:
        logger.error("Health check: the broker did not answer within %ss", BROKER_DEADLINE_SECONDS)
        return False
    except Exception:
        logger.exception("Health check: the broker is unreachable")
        return False


def worker_is_alive() -> bool:
    from notifications.services import worker_is_alive as heartbeat_is_recent

    try:
        return heartbeat_is_recent()
    except Exception:
        logger.exception("Health check: the worker's heartbeat could not be read")
        return False
