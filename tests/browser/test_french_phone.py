"""A French founder on a 375 px phone whose browser speaks French (issue 11): the pages speak
French without a prefix in the address, errors are where the eye is, and the console stays
clean."""

import re

import pytest
from playwright.sync_api import expect

from applications.models import Answer
from cohorts.enums import QuestionKind
from tests.browser.test_applying import logged_in
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application, open_cohort
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "viewport": {"width": 375, "height": 740},
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
    }


@pytest.fixture
def founder(live_server, context):
    user = UserFactory(email="ines@lumen.example", full_name="Inès Dubois", language="fr")
    user.startup = StartupFactory(name="Lumen Legal AI", members=[user])
    logged_in(context, live_server, user)
    return user


def test_a_profile_saved_with_errors_sums_them_up_and_focuses_the_first(live_server, page, founder):
    page.goto(live_server.url + f"/startup/{founder.startup.pk}/")
    page.get_by_label("SIREN").fill("123 456 78")
    page.get_by_role("button", name="Enregistrer le profil").click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_contain_text("Rien n’est encore enregistré : corrigez ces champs.")
    expect(summary.get_by_role("link", name="SIREN")).to_be_visible()
    expect(page.get_by_label("SIREN")).to_be_focused()
    expect(page.get_by_label("SIREN")).to_be_in_viewport()
    page.get_by_label("SIREN").fill("123 456 789")
    expect(page.get_by_label("SIREN")).to_have_value("123 456 789")
    page.get_by_role("button", name="Enregistrer le profil").click()

    expect(page.get_by_text("Le profil de votre startup est enregistré.")).to_be_visible()
    founder.startup.refresh_from_db()
    assert founder.startup.siren == "123456789"
    assert re.match(rf"^{live_server.url}/startup/\d+/$", page.url)


def test_an_invalid_web_address_then_corrected_shows_no_csp_error(
    live_server, page, founder, console_errors
):
    cohort = open_cohort(name="Cohorte de printemps")
    QuestionFactory(cohort=cohort, kind=QuestionKind.URL, label_fr="Lien vers une démo")
    application = make_application(startup=founder.startup, cohort=cohort)
    page.goto(live_server.url + f"/applications/{application.pk}/")
    field = page.get_by_label("Lien vers une démo")
    status = page.locator(".answer", has=field)

    field.press_sequentially("lumen dot ai", delay=30)
    expect(status.locator(".answer-problem")).to_have_text(
        "Saisissez une adresse web, par exemple lumen.ai ou https://lumen.ai/demo."
    )
    expect(status.locator(".save-state")).to_have_text(re.compile("^Gardé comme brouillon"))
    field.fill("")
    field.press_sequentially("lumen.ai/demo", delay=30)

    expect(status.locator(".save-state")).to_have_text(re.compile("^Enregistré à "))
    expect(status.locator(".answer-problem")).to_have_count(0)
    assert Answer.objects.get(application=application).value == "https://lumen.ai/demo"
    assert console_errors == []
