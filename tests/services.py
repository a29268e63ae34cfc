"""Real servers that tests start, stop and point the app at: a private Redis, a listener that
never answers, an SMTP server that counts what it receives."""

import shutil
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

import kombu.pools
import redis
from aiosmtpd.controller import Controller

from accelerator.celery import app as celery_app


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, so stopping it leaves the suite's Redis alone."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = tempfile.mkdtemp(prefix="accelerator-redis-")
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--daemonize", "yes", "--dir", self.folder, "--save", "", "--appendonly", "no",
                "--pidfile", f"{self.folder}/redis.pid", "--logfile", f"{self.folder}/redis.log",
            ],
            check=True,
        )  # fmt: skip
        client = redis.Redis(port=self.port, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:  # a daemonised redis-server returns before it listens
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True, timeout=10,
        )  # fmt: skip

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def silent_listener():
    """A TCP port whose kernel completes every handshake but where nobody ever answers: the
    shape of a hung broker."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


def _reset_broker_pools() -> None:
    # kombu keeps its connection and producer pools per broker in a global registry; a pool
    # closed by hand stays registered, so clear the registry and the app's references to it.
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def celery_broker(url: str):
    """Point the Celery app (publishing and /healthz) at another broker for a while."""
    # Celery prefers the CELERY_BROKER_URL environment variable to broker_url, but not to the
    # read and write URLs, which every connection (publisher, worker, probe) is made from.
    previous = (celery_app.conf.broker_read_url, celery_app.conf.broker_write_url)
    _reset_broker_pools()
    celery_app.conf.broker_read_url = celery_app.conf.broker_write_url = url
    try:
        yield
    finally:
        _reset_broker_pools()
        celery_app.conf.broker_read_url, celery_app.conf.broker_write_url = previous


@dataclass
class SMTPRecorder:
    """aiosmtpd handler: keeps every message it accepted; can refuse the next ones."""

    messages: list[Message] = field(default_factory=list)
    refusals_left: int = 0
    refusal: str = "451 4.3.0 Try again later"
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.arrived:
            if self.refusals_left:
                self.refusals_left -= 1
                return self.refusal
            self.messages.append(message_from_bytes(envelope.content))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, count: int, timeout: float = 20) -> list[Message]:
        """Block until `count` messages arrived (a worker in another thread delivers them)."""
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
        return self.messages


@contextmanager
def smtp_server():
    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, recorder
    finally:
        controller.stop()
