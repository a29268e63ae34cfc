"""The demo manager decides on the demo cohort in review (five winners, a waitlist of three,
the rest rejected), publishes, reads and sends the emails; the demo founder, whose Lumen Legal
AI is one of the winners, reads the decision in French."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from accounts.models import User
from notifications.models import EmailKind, EmailState, OutgoingEmail
from tests.accounts.totp import totp_code
from tests.browser.station_f import station_f_loaded

pytestmark = pytest.mark.django_db(transaction=True)

MANAGER = ("manager@demo.accelerator.localhost", "demo-manager-Station-F")
FOUNDER = ("founder@demo.accelerator.localhost", "demo-founder-Station-F")


def _sign_in(page, live_server, email, password):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def _decide(page, row, outcome):
    row.get_by_label("Outcome").select_option(outcome)
    row.get_by_role("button", name="Save").click()
    expect(page.get_by_text("(pending until publication)")).to_be_visible()


@pytest.mark.usefixtures("start_of_totp_window")
def test_staff_publish_five_winners_and_a_founder_reads_it_in_french(live_server, page):
    station_f_loaded()
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email=MANAGER[0]), secret)
    User.objects.filter(email=FOUNDER[0]).update(language="fr")

    _sign_in(page, live_server, *MANAGER)
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff workspace").click()
    page.get_by_role("link", name="Demo cohort in review", exact=True).click()
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Ranking").click()
    page.get_by_role("link", name="Decisions").click()

    rows = page.locator("table.decisions-table tbody tr")
    _decide(page, rows.filter(has_text="Lumen Legal AI"), "winner")
    others = [
        row.get_attribute("id") for row in rows.all() if "Lumen Legal AI" not in row.inner_text()
    ]
    for row_id in others[:4]:
        _decide(page, page.locator(f"#{row_id}"), "winner")
    for row_id in others[4:7]:
        _decide(page, page.locator(f"#{row_id}"), "waitlisted")
    expect(page.get_by_text("5 of 5 winners chosen.")).to_be_visible()
    sixth = page.locator(f"#{others[7]}")
    sixth.get_by_label("Outcome").select_option("winner")
    sixth.get_by_role("button", name="Save").click()
    expect(page.get_by_text("This cohort takes 5 winners; it already has 5.")).to_be_visible()

    page.get_by_role("link", name="Review and publish").click()
    page.get_by_role("button", name="Reject all remaining").click()
    expect(page.locator("ol.winners li")).to_have_count(5)
    expect(page.locator("ol.waitlist li")).to_have_count(3)
    page.get_by_role("button", name="Publish the decisions").click()

    expect(page.get_by_role("heading", name="Decision emails")).to_be_visible()
    founder_subject = page.locator("input[name='subject'][value^='Félicitations : Lumen Legal AI']")
    expect(founder_subject).to_have_count(1)
    drafts = OutgoingEmail.objects.filter(kind=EmailKind.DECISION, state=EmailState.DRAFT)
    assert drafts.count() == OutgoingEmail.objects.filter(kind=EmailKind.DECISION).count() > 0
    page.get_by_role("button", name="Send every draft").click()
    expect(page.get_by_text("emails sent to the outbox.")).to_be_visible()
    assert not OutgoingEmail.objects.filter(kind=EmailKind.DECISION, state=EmailState.DRAFT)

    page.context.clear_cookies()
    _sign_in(page, live_server, *FOUNDER)
    page.goto(live_server.url + "/startup/")
    expect(page.get_by_text("Félicitations : votre startup est sélectionnée")).to_be_visible()
