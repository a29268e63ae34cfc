"""A person signs up, verifies, logs out and in, resets a forgotten password: in Chromium, reading
codes and links from the emails the outbox delivered."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from notifications.models import EmailState, OutgoingEmail
from notifications.services import email_deliver

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "orbit lantern 42 meadow"
NEW_PASSWORD = "copper kettle 77 harbour"


def deliver_queued_emails() -> None:
    """What the worker does; the test's mail outbox then holds what a mailbox would."""
    queued = OutgoingEmail.objects.filter(state=EmailState.QUEUED)
    for email_id in queued.values_list("pk", flat=True):
        email_deliver(email_id=email_id)


def last_email_to(address: str):
    deliver_queued_emails()
    return [message for message in mail.outbox if message.to == [address]][-1]


def fill_sign_up(page, email: str, password: str, again: str) -> None:
    page.get_by_label(re.compile("^(Email|Courriel)")).fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(again)


def test_sign_up_verify_log_out_log_in_reset_password(live_server, page):
    email = "ada@startup.example"
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()

    fill_sign_up(page, email, PASSWORD, PASSWORD)
    page.get_by_role("button", name="Sign Up").click()

    expect(page.get_by_role("heading", name="Enter Email Verification Code")).to_be_visible()
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", last_email_to(email).body)[0]
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".signed-in-as")).to_have_text("Signed in as ada@startup.example")

    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()
    expect(page.get_by_text("Not signed in")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".signed-in-as")).to_have_text("Signed in as ada@startup.example")
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign Out").click()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_role("heading", name="Password Reset")).to_be_visible()
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+", last_email_to(email).body)[0]
    page.goto(link)
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed.")).to_be_visible()

    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.locator(".signed-in-as")).to_have_text("Signed in as ada@startup.example")


def test_french_sign_up_keeps_what_was_typed_and_speaks_french(live_server, page):
    email = "ines@startup.example"
    page.goto(live_server.url + "/fr/accounts/signup/")

    fill_sign_up(page, email, PASSWORD, "something else 99")
    page.get_by_role("button", name="Création de compte").click()

    expect(page.get_by_text("Vous devez saisir deux fois le même mot de passe.")).to_be_visible()
    expect(page.get_by_label("Courriel")).to_have_value(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    message = last_email_to(email)
    assert message.subject == "[AI Startup Program] Confirmez votre adresse e-mail"
    page.get_by_label("Code").fill("WRONG-CODE")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_text("Code incorrect.")).to_be_visible()
    code = re.search(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b", message.body)[0]
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".signed-in-as")).to_have_text("Connecté en tant que ines@startup.example")
    expect(page).to_have_url(live_server.url + "/fr/")


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "timezone_id": "Asia/Tokyo"}


def test_profile_offers_the_browsers_time_zone_and_switches_language(live_server, page):
    from tests.factories import PASSWORD as FACTORY_PASSWORD
    from tests.factories import UserFactory

    founder = UserFactory(email="lea@startup.example", full_name="")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(founder.email)
    page.get_by_label("Password").fill(FACTORY_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("link", name="Settings").click()

    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    expect(
        page.get_by_text("We selected your browser's time zone; save to keep it.")
    ).to_be_visible()
    page.get_by_label("Full name").fill("Léa Tremblay")
    page.get_by_role("combobox", name="Language").select_option("fr")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Vos réglages sont enregistrés.")).to_be_visible()
    expect(page.get_by_label("Fuseau horaire")).to_have_value("Asia/Tokyo")
    founder.refresh_from_db()
    assert (founder.full_name, founder.language, founder.time_zone) == (
        "Léa Tremblay",
        "fr",
        "Asia/Tokyo",
    )
