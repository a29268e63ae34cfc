"""The 2024 call as a visitor in New York sees it on 1 August 2024: closing time in Paris and in
their own zone, a countdown that ticks, the partners; in English and French."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.browser.station_f import station_f_loaded

pytestmark = pytest.mark.django_db(transaction=True)

NOW = datetime(2024, 8, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "America/New_York"}


@pytest.fixture
def on_1_august_2024(page):
    with time_machine.travel(NOW, tick=True):
        station_f_loaded(demo=False)
        # The browser's clock starts a little earlier and runs until NOW, then stops there.
        page.clock.install(time=NOW - timedelta(seconds=5))
        yield page


def test_2024_cohort_page_counts_down_in_paris_and_new_york_time(live_server, on_1_august_2024):
    page = on_1_august_2024
    page.goto(live_server.url + "/programs/ai-startup-program/2024/")
    page.clock.pause_at(NOW)

    deadline = page.locator(".apply-box .deadline")
    expect(deadline.locator(".paris-time")).to_have_text("16 August 2024, 23:59:59 Paris time")
    expect(deadline.locator(".local-time-value")).to_have_text(
        "16 August 2024 at 17:59:59 New York time"
    )
    expect(deadline.locator(".countdown")).to_have_text("15 days 09:59:59")
    page.clock.run_for(60_000)
    expect(deadline.locator(".countdown")).to_have_text("15 days 09:58:59")
    expect(page.get_by_role("link", name="Apply")).to_be_visible()
    for partner in ["Meta", "Hugging Face", "Scaleway", "Station F"]:
        expect(page.get_by_role("heading", name=partner, level=3)).to_be_visible()


def test_2023_cohort_says_applications_closed(live_server, on_1_august_2024):
    page = on_1_august_2024
    page.goto(live_server.url + "/programs/ai-startup-program/2023/")

    expect(page.locator("#apply-reason")).to_have_text(
        "Applications closed on 1 December 2023, 23:59:59 Paris time"
    )
    expect(page.get_by_role("button", name="Apply")).to_be_disabled()


def test_french_cohort_page(live_server, on_1_august_2024):
    page = on_1_august_2024
    page.goto(live_server.url + "/fr/programs/ai-startup-program/2024/")
    page.clock.pause_at(NOW)

    expect(page.get_by_role("heading", level=1)).to_have_text("Promotion 2024")
    deadline = page.locator(".apply-box .deadline")
    expect(deadline.locator(".paris-time")).to_have_text("16 août 2024, 23:59:59 heure de Paris")
    expect(deadline.locator(".local-time-value")).to_have_text(
        "16 août 2024 à 17:59:59 heure de New York"
    )
    expect(deadline.locator(".countdown")).to_have_text("15 jours 09:59:59")
    expect(page.get_by_text("Mentorat technique par FAIR.")).to_be_visible()
    expect(page.get_by_role("link", name="Candidater")).to_be_visible()


def test_home_lists_open_calls_first_with_their_countdown(live_server, on_1_august_2024):
    page = on_1_august_2024
    page.goto(live_server.url + "/")
    page.clock.pause_at(NOW)

    open_section = page.locator("section", has=page.get_by_role("heading", name="Open now"))
    expect(open_section.get_by_role("link", name="2024 cohort")).to_be_visible()
    expect(open_section.get_by_role("link", name="2024 call")).to_be_visible()
    expect(open_section.locator(".countdown").first).to_have_text("15 days 09:59:59")
    past_section = page.locator("section", has=page.get_by_role("heading", name="Past calls"))
    expect(past_section.get_by_role("link", name="2023 cohort")).to_be_visible()
