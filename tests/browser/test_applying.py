"""Applying in Chromium: the whole journey, then drafts that survive going offline, an expired
session and a second tab. Only the journey signs up through the pages; the others start
logged in."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import expect

from applications.enums import ApplicationStatus
from applications.models import Answer, Application
from cohorts.enums import QuestionKind
from cohorts.models import Cohort
from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver
from tests.browser.station_f import station_f_loaded
from tests.factories import PASSWORD as FACTORY_PASSWORD
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "orbit lantern 42 meadow"
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def deliver_emails() -> None:
    for email_id in OutgoingEmail.objects.filter(state=EmailState.QUEUED).values_list(
        "pk", flat=True
    ):
        email_deliver(email_id=email_id)


def last_email_to(address: str):
    deliver_emails()
    return [message for message in mail.outbox if message.to == [address]][-1]


def logged_in(context, live_server, user) -> None:
    """Start a browser session as `user`, as if they had just logged in."""
    client = Client()
    client.force_login(user)
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value}
    context.add_cookies([cookie | {"url": live_server.url}])


def long_text_field(page):
    return page.get_by_label("What are you building?")


@pytest.fixture
def demo_application(live_server):
    """The demo cohort, and a draft of a founder's startup to it."""
    station_f_loaded()
    founder = UserFactory(email="ada@lumen.example")
    startup = StartupFactory(name="Lumen Legal AI", members=[founder])
    application = make_application(startup=startup, cohort=Cohort.objects.get(slug="demo"))
    return application


def answer_text(application) -> str | None:
    answer = Answer.objects.filter(application=application, question__kind="long_text").first()
    return answer.value if answer else None


def test_the_journey_from_sign_up_to_submission_with_a_co_founder(live_server, page, browser):
    station_f_loaded()
    email = "ada@lumen.example"
    page.goto(live_server.url + "/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.get_by_label("Code").fill(CODE.search(last_email_to(email).body)[0])
    page.get_by_role("button", name="Confirm").click()

    page.goto(live_server.url + "/programs/ai-startup-program/demo/")
    page.get_by_role("link", name="Apply").click()
    expect(page.get_by_text("First, tell us about your startup.")).to_be_visible()
    page.get_by_label("Name:").first.fill("Lumen Legal AI")
    page.get_by_label("Country:").select_option("FR")
    page.get_by_label("City:").fill("Paris")
    page.get_by_label("Year founded:").fill("2023")
    page.get_by_label("Stage:").select_option("mvp")
    page.get_by_label("Team size:").fill("3")
    page.get_by_label("Funding raised so far:").select_option("under_100k")
    page.get_by_label("Pitch:").fill("A legal assistant for French SMEs built on Llama 3.")
    page.get_by_label("Llama 3").check()
    page.get_by_label("Role:").fill("CEO")
    page.get_by_role("button", name="Create").click()

    expect(
        page.get_by_role("heading", name="Apply to AI Startup Program — Demo cohort")
    ).to_be_visible()
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label("Who is your first customer?").fill("A Paris law firm")
    long_text_field(page).fill("We draft contracts with a fine-tuned Llama 3.")
    expect(page.locator(".word-count").first).to_have_text("8")
    page.get_by_label("Compute", exact=True).check()
    page.get_by_label("Europe").check()
    page.get_by_label("Link to a technical write-up").fill("https://lumen.example/report")
    page.get_by_label("How much compute do you need").fill("800")
    page.get_by_label("Yes").check()
    expect(page.locator(".save-state.saved")).to_have_count(7)

    page.reload()
    expect(long_text_field(page)).to_have_value("We draft contracts with a fine-tuned Llama 3.")
    expect(page.get_by_label("Europe")).to_be_checked()

    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("Every answer is ready.")).to_be_visible()
    page.get_by_label("I have read the privacy notice above and accept it.").check()
    page.get_by_role("button", name="Submit the application").click()
    expect(
        page.get_by_text("Your application to AI Startup Program — Demo cohort is submitted.")
    ).to_be_visible()
    expect(page.locator(".status-badge")).to_have_text("Submitted")
    confirmation = OutgoingEmail.objects.get(kind=EmailKind.APPLICATION_SUBMITTED, to_address=email)
    assert confirmation.to_address == email
    assert "We draft contracts with a fine-tuned Llama 3." in confirmation.body_text

    page.get_by_role("link", name="Profile and team").click()
    page.get_by_label("Co-founder's email address").fill("grace@lumen.example")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Invitation sent to grace@lumen.example.")).to_be_visible()
    link = re.search(r"https?://\S+/invitations/\S+/", last_email_to("grace@lumen.example").body)[0]

    cofounder = UserFactory(email="grace@lumen.example", full_name="Grace Hopper")
    second = browser.new_context()
    second.set_default_timeout(10_000)
    other_page = second.new_page()
    other_page.goto(link)
    expect(other_page.get_by_text("invites you to join Lumen Legal AI")).to_be_visible()
    other_page.get_by_role("main").get_by_role("link", name="Sign in").click()
    other_page.get_by_label("Email").fill(cofounder.email)
    other_page.get_by_label("Password").fill(FACTORY_PASSWORD)
    other_page.get_by_role("button", name="Sign In").click()
    other_page.get_by_role("button", name="Accept the invitation").click()
    expect(other_page.get_by_text("Welcome to Lumen Legal AI.")).to_be_visible()
    expect(
        other_page.locator(".application-card").get_by_role(
            "heading", name="AI Startup Program — Demo cohort"
        )
    ).to_be_visible()
    expect(other_page.locator(".status-badge")).to_have_text("Submitted")
    other_page.get_by_role("link", name="Edit your answers").click()
    expect(long_text_field(other_page)).to_have_value(
        "We draft contracts with a fine-tuned Llama 3."
    )
    second.close()
    mine = Application.objects.get(startup__memberships__user__email=email)
    assert mine.status == ApplicationStatus.SUBMITTED


def no_csp_violation(console_errors) -> bool:
    return not [error for error in console_errors if "Content Security Policy" in error]


@pytest.mark.console_errors_expected  # the failed requests are logged; CSP violations are not
def test_offline_typing_is_kept_and_saved_when_back_online(
    live_server, page, context, demo_application, console_errors
):
    logged_in(context, live_server, demo_application.startup.memberships.get().user)
    page.goto(live_server.url + f"/applications/{demo_application.pk}/")

    context.set_offline(True)
    long_text_field(page).fill("Typed on a train without network.")
    status = page.locator(".answer", has=long_text_field(page)).locator(".save-state")
    expect(status).to_have_text(re.compile("^Not saved: you are offline."))
    assert answer_text(demo_application) is None
    stored = page.evaluate("() => Object.values(localStorage)")
    assert json.loads(stored[0])["value"] == "Typed on a train without network."

    context.set_offline(False)
    expect(status).to_have_text(re.compile("^Saved at "))
    assert answer_text(demo_application) == "Typed on a train without network."
    assert page.evaluate("() => Object.keys(localStorage).length") == 0
    assert no_csp_violation(console_errors)


@pytest.mark.console_errors_expected  # the refused requests are logged; CSP violations are not
def test_expired_session_keeps_the_text_and_saves_after_logging_in(
    live_server, page, context, demo_application, console_errors
):
    founder = demo_application.startup.memberships.get().user
    logged_in(context, live_server, founder)
    page.goto(live_server.url + f"/applications/{demo_application.pk}/")

    context.clear_cookies()
    long_text_field(page).fill("Typed after the session ended.")
    status = page.locator(".answer", has=long_text_field(page)).locator(".save-state")
    expect(status).to_have_text(re.compile("^Not saved: your session has expired."))
    expect(
        page.get_by_text("Your session has expired, so your latest text is not saved yet.")
    ).to_be_visible()
    assert answer_text(demo_application) is None

    with context.expect_page() as login_tab_opened:
        page.get_by_role("link", name="Log in again (opens a new tab)").click()
    login_tab = login_tab_opened.value
    login_tab.get_by_label("Email").fill(founder.email)
    login_tab.get_by_label("Password").fill(FACTORY_PASSWORD)
    login_tab.get_by_role("button", name="Sign In").click()
    expect(login_tab.locator(".signed-in-as")).to_be_visible()
    login_tab.close()
    page.get_by_role("button", name="Save now").click()

    expect(status).to_have_text(re.compile("^Saved at "))
    assert answer_text(demo_application) == "Typed after the session ended."
    expect(long_text_field(page)).to_have_value("Typed after the session ended.")
    assert no_csp_violation(console_errors)


def test_two_tabs_editing_one_answer_show_the_conflict_and_lose_nothing(
    live_server, context, demo_application
):
    logged_in(context, live_server, demo_application.startup.memberships.get().user)
    url = live_server.url + f"/applications/{demo_application.pk}/"
    first, second = context.new_page(), context.new_page()
    first.goto(url)
    second.goto(url)

    long_text_field(first).fill("Written in the first tab.")
    first_status = first.locator(".answer", has=long_text_field(first)).locator(".save-state")
    expect(first_status).to_have_text(re.compile("^Saved at "))
    second.get_by_label("Who is your first customer?").fill("Saved from the second tab too")
    long_text_field(second).fill("Written in the second tab.")

    conflict = second.locator(".conflict")
    expect(conflict.locator(".conflict-mine")).to_have_text("Written in the second tab.")
    expect(conflict.locator(".conflict-saved")).to_have_text("Written in the first tab.")
    assert answer_text(demo_application) == "Written in the first tab."
    conflict.get_by_role("button", name="Keep mine").click()

    second_status = second.locator(".answer", has=long_text_field(second)).locator(".save-state")
    expect(second_status).to_have_text(re.compile("^Saved at "))
    assert answer_text(demo_application) == "Written in the second tab."
    short = Answer.objects.get(application=demo_application, question__kind=QuestionKind.SHORT_TEXT)
    assert short.value == "Saved from the second tab too"


@pytest.mark.console_errors_expected  # the failed requests are logged; CSP violations are not
def test_two_tabs_offline_on_one_field_both_keep_their_text_after_closing(
    live_server, context, demo_application, console_errors
):
    logged_in(context, live_server, demo_application.startup.memberships.get().user)
    url = live_server.url + f"/applications/{demo_application.pk}/"
    first, second = context.new_page(), context.new_page()
    first.goto(url)
    second.goto(url)

    context.set_offline(True)
    for tab, text in ((first, "Typed offline in the first tab."),
                      (second, "Typed offline in the second tab.")):  # fmt: skip
        long_text_field(tab).fill(text)
        status = tab.locator(".answer", has=long_text_field(tab)).locator(".save-state")
        expect(status).to_have_text(re.compile("^Not saved: you are offline."))
    first.close()
    second.close()
    context.set_offline(False)
    reopened = context.new_page()
    reopened.goto(url)

    copies = reopened.locator(".answer", has=long_text_field(reopened)).locator(".other-tab-copy")
    expect(copies).to_have_count(2)
    expect(copies.locator("blockquote")).to_have_text(
        ["Typed offline in the first tab.", "Typed offline in the second tab."]
    )
    expect(copies.first).to_contain_text(re.compile(r"^Unsaved text from another tab, .+:"))
    assert answer_text(demo_application) is None
    copies.nth(1).get_by_role("button", name="Restore").click()

    status = reopened.locator(".answer", has=long_text_field(reopened)).locator(".save-state")
    expect(status).to_have_text(re.compile("^Saved at "))
    expect(long_text_field(reopened)).to_have_value("Typed offline in the second tab.")
    assert answer_text(demo_application) == "Typed offline in the second tab."
    expect(copies).to_have_count(1)
    stored = [json.loads(value)["value"]
              for value in reopened.evaluate("() => Object.values(localStorage)")]  # fmt: skip
    assert stored == ["Typed offline in the first tab."]
    assert no_csp_violation(console_errors)


WORD_FIXTURES = json.loads(
    (Path(__file__).parent.parent / "fixtures" / "word_counts.json").read_text()
)


def test_word_count_in_the_browser_matches_the_fixtures(live_server, page):
    page.goto(live_server.url + "/")

    counts = page.evaluate(
        "(texts) => texts.map((text) => window.acceleratorCountWords(text))",
        [fixture["text"] for fixture in WORD_FIXTURES],
    )

    assert counts == [fixture["words"] for fixture in WORD_FIXTURES]
