"""Races between threads on PostgreSQL, made to happen every time without sleeping.

A service under test calls a no-op hook between its check and its write; the test replaces
the hook with a `LockGate`, where every thread waits until the race is certain either way:
all have checked (without the lock, each then writes on a state none has changed yet), or
every other one is seen waiting on a database lock (with the lock, only one at a time ever
gets there, and it goes on at once rather than waiting out a timeout).
"""

import threading
import time

from django.db import connection

# A last resort, never reached when the race goes either way.
GATE_DEADLINE_SECONDS = 5


def backends_waiting_on_a_lock() -> int:
    """How many connections to this database wait on a lock now (PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the view is a stale snapshot
        cursor.execute(
            "SELECT count(DISTINCT l.pid) FROM pg_locks l JOIN pg_stat_activity a"
            " ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()"
        )
        return cursor.fetchone()[0]


class LockGate:
    """The hook for `count` racing threads: call it in each, between check and write."""

    def __init__(self, count: int):
        self.count = count
        self.arrived = 0
        self.opened = False
        self.condition = threading.Condition()

    def __call__(self) -> None:
        deadline = time.monotonic() + GATE_DEADLINE_SECONDS
        with self.condition:
            self.arrived += 1
            self.condition.notify_all()
            while not self.opened:
                if (
                    self.arrived == self.count
                    or backends_waiting_on_a_lock() == self.count - self.arrived
                    or time.monotonic() > deadline
                ):
                    self.opened = True
                    self.condition.notify_all()
                else:
                    self.condition.wait(0.005)
