"""A program manager edits a cohort on a 1280 px wide screen: the whole form, questions and
rubric included, fits without scrolling sideways."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from cohorts.models import Cohort, Program
from tests.accounts.totp import totp_code
from tests.browser.station_f import station_f_loaded
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("start_of_totp_window")
def test_the_cohort_change_page_fits_1280_pixels(live_server, page):
    station_f_loaded()
    manager = UserFactory(email="manager@stationf.example", is_staff=True)
    secret = generate_totp_secret()
    TOTP.activate(manager, secret)
    Program.objects.get(slug="ai-startup-program").managers.add(manager)
    # The demo cohort has a question of every kind, a rubric and partners.
    cohort = Cohort.objects.get(slug="demo")
    page.set_viewport_size({"width": 1280, "height": 800})

    page.goto(f"{live_server.url}/admin/cohorts/cohort/{cohort.pk}/change/")
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()

    expect(page.get_by_role("heading", name="Change cohort")).to_be_visible()
    expect(page.get_by_role("heading", name="Questions")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
