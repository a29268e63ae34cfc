"""The demo program manager opens the demo cohort in review and reads its ranking: the cut
line in words, the intervals, the leniencies and how the ranking was made, in a browser that
enforces the site's CSP (a console error fails the test)."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.totp import totp_code
from tests.browser.station_f import station_f_loaded

pytestmark = pytest.mark.django_db(transaction=True)

MANAGER = ("manager@demo.accelerator.localhost", "demo-manager-Station-F")


@pytest.mark.usefixtures("start_of_totp_window")
def test_the_demo_manager_reads_the_ranking_of_the_cohort_in_review(live_server, page):
    station_f_loaded()
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email=MANAGER[0]), secret)

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(MANAGER[0])
    page.get_by_label("Password").fill(MANAGER[1])
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff workspace").click()
    page.get_by_role("link", name="Demo cohort in review", exact=True).click()
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Ranking").click()

    expect(page.get_by_role("heading", name="The cut line")).to_be_visible()
    expect(
        page.get_by_text("3 applications are in the top 5 with probability above 0.9")
    ).to_be_visible()
    expect(page.get_by_text("The last 2 places are uncertain")).to_be_visible()
    expect(page.locator("svg.row-bar")).to_have_count(8)
    page.get_by_role("link", name="P(top 5)").click()
    expect(page.locator("tbody tr").first).to_contain_text("1.00")

    page.get_by_role("link", name="Reviewer leniency").click()
    expect(page.get_by_role("rowheader", name="Yann Morel (Meta)")).to_be_visible()
    expect(page.locator("tbody tr").first).to_contain_text("Yann Morel")

    page.get_by_role("link", name="How this ranking was made").click()
    expect(page.get_by_role("heading", name="The model in five sentences")).to_be_visible()
    expect(page.get_by_text("Reviews that count")).to_be_visible()
