"""A program manager duplicates the 2024 cohort in the admin, under the CSP; the 2025 cohort
appears on the home page once they publish it."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from cohorts.models import Program
from tests.accounts.totp import totp_code
from tests.browser.station_f import station_f_loaded
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("start_of_totp_window")
def test_manager_duplicates_2024_and_2025_appears_on_the_home_page_once_published(
    live_server, page
):
    station_f_loaded(demo=False)
    manager = UserFactory(email="manager@stationf.example", is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(manager, secret)
    Program.objects.get(slug="ai-startup-program").managers.add(manager)

    page.goto(live_server.url + "/admin/cohorts/cohort/")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("link", name="2024 cohort")).to_be_visible()
    expect(page.get_by_role("link", name="2024 call")).to_have_count(0)
    page.get_by_role("link", name="2024 cohort").click()
    expect(page.get_by_role("heading", name="Change cohort")).to_be_visible()
    page.go_back()
    page.get_by_role("row", name="2024 cohort").get_by_role("checkbox").check()
    page.get_by_role("combobox", name="Action").select_option(label="Duplicate for next year")
    page.get_by_role("button", name="Go").click()

    expect(
        page.get_by_text(
            "Created 2025 cohort, one year after 2024 cohort. It is unpublished: only its "
            "program's staff see it until you publish it."
        )
    ).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="2024 cohort")).to_be_visible()
    expect(page.get_by_role("link", name="2025 cohort")).to_have_count(0)

    page.goto(live_server.url + "/admin/cohorts/cohort/")
    page.get_by_role("link", name="2025 cohort").click()
    page.get_by_label("Published").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was changed successfully")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.get_by_role("link", name="2025 cohort")).to_be_visible()
