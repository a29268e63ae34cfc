"""The demo program manager works in the staff workspace: from the header to their cohort,
finds an application by a founder's name typed without accents, reads it, downloads its deck
and the cohort's spreadsheet."""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import User
from tests.accounts.totp import totp_code
from tests.browser.station_f import station_f_loaded

pytestmark = pytest.mark.django_db(transaction=True)

MANAGER = ("manager@demo.accelerator.localhost", "demo-manager-Station-F")


@pytest.mark.usefixtures("start_of_totp_window")
def test_the_demo_manager_reads_an_application_and_downloads_its_deck_and_the_xlsx(
    live_server, page
):
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
    expect(page.get_by_role("heading", name="Your cohorts")).to_be_visible()
    page.get_by_role("link", name="Demo cohort", exact=True).click()
    expect(page.get_by_role("heading", name="Applications per day")).to_be_visible()
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Applications").click()
    expect(page.get_by_text("9 applications", exact=True)).to_be_visible()

    page.get_by_label("Search").fill("zoe lefevre")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 application", exact=True)).to_be_visible()
    page.get_by_role("link", name="Lumière Santé").click()

    expect(page.get_by_role("heading", name="Lumière Santé", level=1)).to_be_visible()
    expect(page.get_by_text("Zoé Lefèvre, CEO")).to_be_visible()
    answers = page.locator("#answers")
    expect(answers.get_by_text("Triage notes for French hospitals")).to_be_visible()
    expect(answers.get_by_text("France; Europe", exact=True)).to_be_visible()
    with page.expect_download() as deck:
        page.get_by_role("link", name="Download the pitch deck").click()
    assert deck.value.suggested_filename == "Lumière Santé - pitch deck.pdf"
    with open(deck.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    page.locator(".breadcrumbs").get_by_role("link", name="Applications").click()
    with page.expect_download() as spreadsheet:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert spreadsheet.value.suggested_filename == "ai-startup-program-demo-applications.xlsx"
    with open(spreadsheet.value.path(), "rb") as xlsx:
        sheet = load_workbook(io.BytesIO(xlsx.read())).active
    startups = sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert len(startups) == 9
    assert "Lumière Santé" in startups
