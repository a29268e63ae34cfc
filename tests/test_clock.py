"""The suite's moved clock (tests/clock.py): how TEST_CLOCK_SHIFT reads, and that a child
process started with child_env() really runs on the moved clock."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine

from tests import clock


@pytest.mark.parametrize(
    ("value", "shift"),
    [("400d", timedelta(days=400)), ("12h", timedelta(hours=12)), ("-90m", timedelta(minutes=-90))],
)
def test_a_shift_is_a_whole_number_and_a_unit(monkeypatch, value, shift):
    monkeypatch.setenv("TEST_CLOCK_SHIFT", value)

    assert clock.clock_shift() == shift


def test_a_shift_without_a_unit_is_refused_with_an_example(monkeypatch):
    monkeypatch.setenv("TEST_CLOCK_SHIFT", "a year")

    with pytest.raises(pytest.UsageError, match=r"e\.g\. 400d, 12h, 90m"):
        clock.clock_shift()


def test_on_the_real_clock_a_child_process_needs_nothing(monkeypatch):
    monkeypatch.delenv("TEST_CLOCK_SHIFT", raising=False)

    assert clock.child_env() == {}


def test_a_child_process_started_with_child_env_runs_on_the_moved_clock(monkeypatch):
    monkeypatch.setenv("TEST_CLOCK_SHIFT", "400d")
    env = os.environ | clock.child_env()

    child = subprocess.run(
        [sys.executable, "-c", "import time; print(time.time())"],
        env=env, capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip

    # The real clock, whatever this process's says (a shifted run moves it too).
    hatch = time_machine.escape_hatch
    real_now = hatch.time.time() if hatch.is_travelling() else time.time()
    moved_by = float(child.stdout) - real_now
    assert abs(moved_by - 400 * 86400) < 60
