"""A new program manager meets the two-factor requirement in the browser: authenticator app
set up (QR code shown under the CSP), recovery codes shown, then on to the admin page wanted."""

import re

import pytest
from playwright.sync_api import expect

from tests.accounts.totp import totp_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.usefixtures("start_of_totp_window")
def test_staff_sets_up_totp_and_continues_to_the_admin_page(live_server, page):
    manager = UserFactory(email="manager@stationf.example", is_staff=True, is_superuser=True)
    wanted = live_server.url + "/admin/notifications/outgoingemail/"

    page.goto(wanted)
    page.get_by_label("Email").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Staff accounts need two-factor authentication.")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("img")).to_have_attribute("src", re.compile("^data:image/svg"))
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()

    expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()
    expect(page.get_by_label("Unused codes")).not_to_be_empty()
    page.get_by_role("link", name="Continue to the page you asked for").click()

    expect(page).to_have_url(wanted)
    expect(page.get_by_role("heading", name="Select outgoing email to change")).to_be_visible()
