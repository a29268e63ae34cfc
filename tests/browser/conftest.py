import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Playwright's sync API keeps an event loop in the main thread, where live_server's set-up and
# the tests' database calls run too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

BROWSER_TIMEOUT_MS = 10_000
BROWSER_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BROWSER_TESTS in item.path.parents:
            item.add_marker(
                pytest.mark.real_clock(
                    "Chromium runs on the real clock: LD_PRELOAD's libfaketime makes it spin, so"
                    " only a page's own scripts can be moved, with Playwright's page.clock"
                )
            )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright cannot download its own browser here.
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def console_errors(page):
    """Every console error and uncaught exception of the page, CSP violations included."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.context.set_default_timeout(BROWSER_TIMEOUT_MS)
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    expect.set_options(timeout=BROWSER_TIMEOUT_MS)
    return errors


@pytest.fixture(autouse=True)
def _fail_on_console_errors(request, console_errors):
    yield
    if request.node.get_closest_marker("console_errors_expected") is None:
        assert console_errors == []
