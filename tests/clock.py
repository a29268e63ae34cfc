"""The suite's clock: run every test with the clock moved ahead, find the tests that read it,
and say what ran where.

- `TEST_CLOCK_SHIFT=400d` (also `12h`, `90m`, `-3d`) moves the test process's clock at start
  with time-machine: a travel at the bottom of its stack, ticking, that each test's own
  `time_machine.travel` stacks on. Child processes that run our code (the Celery worker a test
  starts) are moved by libfaketime through `LD_PRELOAD`: they get it from `child_env()`. The
  kernel does not move: a file's time is the real one, so a test that compares file times with
  the clock stamps its files itself. Chromium keeps its own clock too; the pages whose scripts
  read it are tested under Playwright's clock.
- `--clock-readers=FILE` writes the node ids of the tests during which the clock was read
  outside any `time_machine` travel (in a fixture, the test, the app, or a thread it started):
  the tests whose outcome could change with the day they run. `make clock-tests` regenerates
  `tests/clock_readers.txt` with it; `make test` runs those again with the clock moved.
- `clock_pinned()` pins a module's clock: its tests, and the worlds it builds once, run on a
  clock that starts at one fixed instant and ticks. They read no real clock, so they cannot
  depend on the day they run, and the run with the clock moved need not repeat them.
- `TEST_RUN_SUMMARY=FILE` appends one line per run, "<passed> <database> <clock>", which
  `scripts/test.sh` reads to print what ran where and to fail if a run ran nothing.
"""

import os
import re
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _time_machine
import pytest
import time_machine

SHIFT_VARIABLE = "TEST_CLOCK_SHIFT"
FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"
UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
READS_THE_CLOCK = "reads_the_clock_outside_time_machine"


def clock_shift() -> timedelta | None:
    """The shift TEST_CLOCK_SHIFT asks for, or None."""
    value = os.environ.get(SHIFT_VARIABLE, "").strip()
    if not value:
        return None
    match = re.fullmatch(r"([+-]?\d+)([dhms])", value)
    if match is None:
        raise pytest.UsageError(
            f"{SHIFT_VARIABLE}={value!r}: write a whole number and a unit, e.g. 400d, 12h, 90m."
        )
    return timedelta(**{UNITS[match[2]]: int(match[1])})


def faketime_library() -> str:
    """libfaketime's path (Debian's `faketime` package, which `make test` installs)."""
    if not Path(FAKETIME_LIBRARY).exists():
        found = shutil.which("faketime")
        raise pytest.UsageError(
            f"{SHIFT_VARIABLE} moves child processes with libfaketime, not found at "
            f"{FAKETIME_LIBRARY} (faketime command: {found}): apt-get install faketime."
        )
    return FAKETIME_LIBRARY


def child_env() -> dict[str, str]:
    """What a child process that runs our code needs in its environment to share the test
    process's clock: nothing on the real clock, libfaketime's offset under a shift."""
    shift = clock_shift()
    if shift is None:
        return {}
    seconds = int(shift.total_seconds())
    return {
        "LD_PRELOAD": faketime_library(),
        "FAKETIME": f"{seconds:+d}",
        # Timeouts and polling keep the real pace; only the wall clock moves.
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }


# A Tuesday in the autumn, 10:30 in Paris: no change of hour, month or year near it.
PINNED_AT = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)


def clock_pinned(at: datetime = PINNED_AT):
    """A module-scoped autouse fixture, to assign to a name in a test module: every test of
    the module runs on a clock that starts at `at` and ticks, from before its first module
    fixture (a world built once) to after its last test. For modules whose every date is
    relative to the clock: pinned, they give the same result whatever the day, and the run
    with the clock moved skips them (it repeats only tests that read the real clock)."""

    @pytest.fixture(scope="module", autouse=True)
    def pinned_clock():
        with time_machine.travel(at, tick=True):
            yield

    return pinned_clock


class _WatchedClock(time_machine.Traveller):
    """The real clock, noting which test read it: the bottom of time-machine's stack, so only
    reads that no test's own travel answers reach it."""

    test: pytest.Item | None = None

    def time_ns(self) -> int:
        test = _WatchedClock.test
        if test is not None and not test.stash.get(_read_key, False) and _read_by_our_code():
            test.stash[_read_key] = True
        return _time_machine.original_time_ns()


PROJECT = str(Path(__file__).resolve().parent.parent) + os.sep
VENV = f"{os.sep}.venv{os.sep}"
TIME_MACHINE = os.path.dirname(time_machine.__file__) + os.sep
DJANGO_NOW = os.path.join("django", "utils", "timezone.py")


def _read_by_our_code() -> bool:
    """Whether the code that asked for the time is ours (the apps, the tests and their
    factories), directly or through Django's timezone.now(); not pytest's, logging's or a
    library's own bookkeeping (a log record's time), which reads the clock in every test."""
    frame = sys._getframe(2)
    while frame is not None and (
        frame.f_code.co_filename.startswith(TIME_MACHINE)
        or frame.f_code.co_filename.endswith(DJANGO_NOW)
    ):
        frame = frame.f_back
    if frame is None:
        return False
    filename = frame.f_code.co_filename
    return filename.startswith(PROJECT) and VENV not in filename


_read_key = pytest.StashKey[bool]()
# The node ids of the tests that read the clock, gathered from their reports.
_readers: set[str] = set()


def pytest_addoption(parser):
    parser.addoption(
        "--clock-readers",
        metavar="FILE",
        help="write the tests that read the clock outside time_machine to FILE, one a line",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "real_clock(why): kept out of the run with the clock moved, for the reason given "
        "(a helper whose clock cannot be moved with the test's)",
    )
    shift = clock_shift()
    readers = config.getoption("--clock-readers")
    if shift is not None and readers:
        raise pytest.UsageError(
            f"--clock-readers finds tests on the real clock: unset {SHIFT_VARIABLE}."
        )
    if shift is not None:
        faketime_library()  # fail at start, not in the one test that starts a worker
        config._clock_travel = time_machine.travel(datetime.now(tz=UTC) + shift, tick=True)
        config._clock_travel.start()
    elif readers:
        config._clock_travel = time_machine.travel(0, tick=True)
        config._clock_travel.start()
        time_machine.traveller_stack[-1] = _WatchedClock(0, None, True)


def pytest_unconfigure(config):
    travel = getattr(config, "_clock_travel", None)
    if travel is not None:
        travel.stop()


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py marks its tests
def pytest_collection_modifyitems(config, items):
    """Under a moved clock the tests marked real_clock are left out, and said so."""
    if clock_shift() is None:
        return
    kept = [item for item in items if item.get_closest_marker("real_clock") is None]
    left_out = [item for item in items if item.get_closest_marker("real_clock") is not None]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _WatchedClock.test = item
    try:
        return (yield)
    finally:
        _WatchedClock.test = None


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if (
        call.when == "teardown"
        and item.stash.get(_read_key, False)
        and item.get_closest_marker("real_clock") is None  # never run with the clock moved
    ):
        report.user_properties.append((READS_THE_CLOCK, True))
    return report


def pytest_runtest_logreport(report):
    # On the controller too under pytest-xdist: the property travels with the report.
    if (READS_THE_CLOCK, True) in report.user_properties:
        _readers.add(report.nodeid)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if hasattr(config, "workerinput"):
        return
    passed = len(terminalreporter.stats.get("passed", []))
    shift = os.environ.get(SHIFT_VARIABLE, "").strip()
    database = _database_vendor()
    clock = f"moved by {shift}" if shift else "real"
    terminalreporter.write_line(f"{passed} tests passed on {database} with the clock {clock}.")
    summary = os.environ.get("TEST_RUN_SUMMARY")
    if summary:
        with open(summary, "a") as out:
            out.write(f"{passed} {database} {shift or 'real'}\n")
    readers = config.getoption("--clock-readers")
    if readers:
        names = sorted(_readers)
        Path(readers).write_text("".join(f"{name}\n" for name in names))
        terminalreporter.write_line(
            f"{len(names)} of {passed} passed tests read the clock outside time_machine: "
            f"written to {readers}."
        )


def _database_vendor() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    return {
        "django.db.backends.postgresql": "PostgreSQL",
        "django.db.backends.sqlite3": "SQLite",
    }.get(engine, engine)
