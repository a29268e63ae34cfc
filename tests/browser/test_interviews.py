"""The interview stage in a browser (issue 17), on the demo data: the demo manager shortlists
three applications from the ranking, creates slots in bulk and sends the invitations; the
demo founder books a slot on a phone in French; the demo reviewer, on the panel, scores the
interview from a page that saves as they type."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from selection.models import InterviewBooking, InterviewScore
from tests.accounts.totp import totp_code
from tests.browser.station_f import station_f_loaded
from tests.browser.test_applying import logged_in

pytestmark = pytest.mark.django_db(transaction=True)

MANAGER = ("manager@demo.accelerator.localhost", "demo-manager-Station-F")
FOUNDER = "founder@demo.accelerator.localhost"
REVIEWER = "reviewer@demo.accelerator.localhost"


@pytest.mark.usefixtures("start_of_totp_window")
def test_shortlist_slots_invitations_booking_on_a_phone_in_french_and_scoring(
    live_server, page, browser
):
    station_f_loaded()
    secret = generate_totp_secret()
    TOTP.activate(User.objects.get(email=MANAGER[0]), secret)
    User.objects.filter(email=FOUNDER).update(language="fr")

    # The manager: shortlist three from the ranking.
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill(MANAGER[0])
    page.get_by_label("Password").fill(MANAGER[1])
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Staff workspace").click()
    page.get_by_role("link", name="Demo cohort in review", exact=True).click()
    page.get_by_role("navigation", name="Cohort").get_by_role("link", name="Ranking").click()
    page.get_by_label("Shortlist Lumen Legal AI").check()
    boxes = page.locator('input[name="application"]:not(:checked)')
    boxes.nth(0).check()
    boxes.nth(0).check()  # the next unticked one
    page.get_by_role("button", name="Shortlist the ticked applications").click()
    expect(page.get_by_text("3 applications shortlisted.")).to_be_visible()
    expect(page.get_by_text("3 shortlisted startups", exact=True)).to_be_visible()

    # Slots in bulk, with the demo reviewer on the panel, then the invitations.
    days = [(timezone.localdate() + timedelta(days=n)).isoformat() for n in (3, 4)]
    page.get_by_label("Days").fill(", ".join(days))
    page.get_by_label("From (Paris time)").fill("09:00")
    page.get_by_label("To (Paris time)").fill("11:00")
    page.get_by_label("Minutes each").fill("30")
    page.get_by_label("Minutes apart").fill("10")
    bulk = page.locator("form", has=page.get_by_role("button", name="Create the slots"))
    bulk.get_by_label("Place (a Station F room or a video link)").fill("Station F, Room Ada")
    bulk.get_by_label("Demo Reviewer").check()
    page.get_by_role("button", name="Create the slots").click()
    expect(page.get_by_text("6 slots created.")).to_be_visible()
    page.get_by_role("button", name="Invite 3 shortlisted startups to book an interview").click()
    expect(page.get_by_text("3 startups invited to interview.")).to_be_visible()

    # The founder, on a phone, in French.
    phone = browser.new_context(viewport={"width": 375, "height": 740}, locale="fr-FR",
                                timezone_id="Europe/Paris")  # fmt: skip
    logged_in(phone, live_server, User.objects.get(email=FOUNDER))
    founder_page = phone.new_page()
    founder_page.goto(live_server.url + "/startup/")
    expect(founder_page.get_by_text("Invité à un entretien")).to_be_visible()
    founder_page.get_by_role("link", name="Réservez votre entretien").click()
    founder_page.locator('input[name="slot"]').nth(1).check()
    founder_page.get_by_role("button", name="Réserver ce créneau").click()
    expect(founder_page.get_by_role("heading", name="Votre entretien", exact=True)).to_be_visible()
    expect(
        founder_page.get_by_role("link", name="Ajoutez-le à votre agenda (.ics)")
    ).to_be_visible()
    booking = InterviewBooking.objects.select_related("application__startup").get()
    assert booking.application.startup.name == "Lumen Legal AI"
    phone.close()

    # The reviewer on the panel scores the interview.
    desk = browser.new_context()
    logged_in(desk, live_server, User.objects.get(email=REVIEWER))
    reviewer_page = desk.new_page()
    reviewer_page.goto(live_server.url + "/interviews/panel/")
    reviewer_page.get_by_role("link", name="Lumen Legal AI").click()
    for name in ("Pitch and answers", "Demo", "Fit with the program"):
        reviewer_page.get_by_role("group", name=name).get_by_label("4").check()
    with reviewer_page.expect_response(
        lambda response: (
            response.request.method == "POST" and "Mistral" in (response.request.post_data or "")
        )
    ):
        reviewer_page.get_by_label("Notes").fill("Clear answers; the demo ran on Mistral 7B.")
    expect(reviewer_page.get_by_text("Saved at")).to_be_visible()
    desk.close()

    score = InterviewScore.objects.get()
    assert len(score.scores) == 3
    assert set(score.scores.values()) == {4}
    assert score.notes == "Clear answers; the demo ran on Mistral 7B."
