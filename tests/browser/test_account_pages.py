"""Every account page a signed-in person can open renders on our layout, in both languages,
with no console error and no CSP violation (the autouse check fails the test otherwise)."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = [
    "/accounts/profile/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/logout/",
    "/accounts/my-data/",
    "/startup/",
    "/startup/new/",
]


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_account_pages_render_on_our_layout(live_server, page, context, prefix):
    client = Client()
    client.force_login(UserFactory(full_name="Ada Lovelace"))
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])  # fmt: skip

    for path in PAGES:
        page.goto(live_server.url + prefix + path)
        expect(page.locator("header .brand")).to_have_text("Accelerator")
        expect(page.locator("html")).to_have_attribute("lang", "fr" if prefix else "en")
        expect(page.locator("main h1")).to_be_visible()


ANONYMOUS_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password/reset/",
    "/accounts/login/code/",
]


@pytest.mark.parametrize("prefix", ["", "/fr"])
def test_pages_before_signing_in_render_on_our_layout(live_server, page, prefix):
    for path in ANONYMOUS_PAGES:
        page.goto(live_server.url + prefix + path)
        expect(page.locator("header .brand")).to_have_text("Accelerator")
        expect(page.locator("main h1")).to_be_visible()
