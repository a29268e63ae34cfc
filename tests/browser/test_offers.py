"""A winner declines its offer in French; the first waitlisted founder then sees the offer on
the dashboard and accepts it."""

import pytest
from playwright.sync_api import expect

from applications.models import Application
from selection import decisions
from selection.models import Offer, OfferState
from tests.browser.test_applying import logged_in
from tests.factories import staff_member
from tests.factories.applications import submitted_application
from tests.factories.reviews import reviewing_cohort

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_winner_declines_in_french_and_the_first_waitlisted_accepts(live_server, page):
    cohort = reviewing_cohort(capacity=1)
    manager = staff_member(programs=[cohort.program])
    winner, waitlisted, second = (
        submitted_application(cohort=cohort, deck_pages=None) for _ in range(3)
    )
    decisions.decision_set(application=winner, outcome="winner", actor=manager)
    decisions.decision_set(application=waitlisted, outcome="waitlisted", actor=manager)
    decisions.decision_set(application=second, outcome="waitlisted", actor=manager)
    fingerprint = decisions.publication_state(cohort).fingerprint
    decisions.decisions_publish(cohort=cohort, actor=manager, fingerprint=fingerprint)
    french = winner.startup.memberships.first().user
    french.language = "fr"
    french.save()

    logged_in(page.context, live_server, french)
    page.goto(live_server.url + "/startup/")
    expect(page.get_by_text("Félicitations : votre startup est sélectionnée")).to_be_visible()
    page.get_by_label("Raison (facultatif)").fill("Nous rejoignons un autre programme.")
    page.get_by_role("button", name="Décliner l'offre").click()
    expect(page.get_by_text("Vous avez décliné l'offre.").first).to_be_visible()

    page.context.clear_cookies()
    logged_in(page.context, live_server, waitlisted.startup.memberships.first().user)
    page.goto(live_server.url + "/startup/")
    expect(page.get_by_role("heading", name="Your offer")).to_be_visible()
    page.get_by_role("button", name="Accept the offer").click()
    expect(page.get_by_text("Tick the conditions to accept the offer.")).to_be_visible()
    page.get_by_label("We accept the cohort's conditions").check()
    page.get_by_role("button", name="Accept the offer").click()
    expect(
        page.get_by_text("You accepted the offer: your place is confirmed.").first
    ).to_be_visible()

    statuses = [Application.objects.get(pk=a.pk).status for a in (winner, waitlisted, second)]
    assert statuses == ["declined", "winner", "waitlisted"]
    assert Offer.objects.get(application=waitlisted).state == OfferState.ACCEPTED
    assert (
        Offer.objects.get(application=winner).decline_reason
        == "Nous rejoignons un autre programme."
    )
