"""A founder turns reminders off the way people do: from the link in the email, then from
their notification settings."""

from datetime import timedelta

import pytest
from django.test import Client
from playwright.sync_api import expect

from applications.reminders import deadline_reminders_sweep
from notifications.models import EmailKind, EmailState, OutgoingEmail, Unsubscription
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application
from tests.factories.cohorts import CohortFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_founder_unsubscribes_from_the_emails_link_without_signing_in(live_server, page):
    cohort = CohortFactory()
    founder = UserFactory(language="fr")
    make_application(cohort=cohort, startup=StartupFactory(members=[founder]))
    deadline_reminders_sweep(cohort.closes_at - timedelta(hours=2))
    [email] = OutgoingEmail.objects.filter(state=EmailState.QUEUED)
    link = next(line for line in email.body_text.splitlines() if "/unsubscribe/" in line)
    path = link.split("http://localhost:8000", 1)[1]

    page.goto(live_server.url + path)
    expect(page.locator("main")).to_contain_text(
        "Ne plus recevoir ce type d’email : Rappel avant la clôture des candidatures ?"
    )
    page.get_by_role("button", name="Se désabonner").click()

    expect(page.locator("main")).to_contain_text("Vous ne recevrez plus ce type d’email")
    assert list(Unsubscription.objects.values_list("user", "kind")) == [
        (founder.pk, EmailKind.DEADLINE_REMINDER)
    ]


def test_a_signed_in_person_switches_review_reminders_off_in_settings(live_server, page, context):
    user = UserFactory(full_name="Rita Reviewer")
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": live_server.url}])  # fmt: skip

    page.goto(live_server.url + "/accounts/profile/")
    page.get_by_role("link", name="Notifications").click()
    page.get_by_role("switch", name="Review deadline reminder").uncheck()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("Your notification settings are saved.")
    expect(page.get_by_role("switch", name="Review deadline reminder")).not_to_be_checked()
    expect(page.get_by_role("switch", name="Application deadline reminder")).to_be_checked()
    assert list(Unsubscription.objects.values_list("kind", flat=True)) == ["review_reminder"]
