"""A French founder on a 375 px phone whose browser speaks French (issue 11): the pages speak
French without a prefix in the address, errors are where the eye is, and the console stays
clean."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from applications.models import Answer, Application
from cohorts.enums import QuestionKind
from cohorts.models import Cohort
from tests.browser.station_f import station_f_loaded
from tests.browser.test_applying import CODE, PASSWORD, last_email_to, logged_in
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application, open_cohort
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db(transaction=True)

CATALOG = Path(__file__).parent.parent.parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


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


def english_strings_of_ours() -> set[str]:
    """The English texts of our catalogue that French changes: any of them on a French page is
    a string left untranslated (or a page rendered in the wrong language)."""
    entries = re.findall(
        r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)',
        CATALOG.read_text(),
        flags=re.MULTILINE,
    )

    def text(lines: str) -> str:
        return "".join(re.findall(r'^"(.*)"$', lines, flags=re.MULTILINE)).replace('\\"', '"')

    english = set()
    for msgid, msgstr in entries:
        source, french = text(msgid), text(msgstr)
        plain = "%(" not in source and "{" not in source
        if plain and french and len(source) >= 10 and " " in source and source not in french:
            english.add(source)
    return english


def assert_french_page(page, english: set[str]) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    shown = page.locator("body").inner_text()
    assert sorted(text for text in english if text in shown) == [], page.url


def test_a_french_founder_on_a_phone_from_sign_up_to_a_resubmitted_application(
    live_server, page, console_errors
):
    station_f_loaded()
    english = english_strings_of_ours() | {
        question.label_en for question in Cohort.objects.get(slug="demo").questions.all()
    }
    email = "ines@lumen.example"

    page.goto(live_server.url + "/accounts/signup/")
    assert_french_page(page, english)
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Création de compte").click()
    assert_french_page(page, english)
    verification = last_email_to(email)
    assert verification.alternatives[0].mimetype == "text/html"
    page.get_by_label("Code").fill(CODE.search(verification.body)[0])
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".signed-in-as")).to_have_text(f"Connecté en tant que {email}")
    assert User.objects.get(email=email).language == "fr"

    page.goto(live_server.url + "/programs/ai-startup-program/demo/")
    assert_french_page(page, english)
    page.get_by_role("link", name="Candidater").first.click()
    expect(page.get_by_text("D’abord, présentez-nous votre startup.")).to_be_visible()
    assert_french_page(page, english)
    page.locator("#id_name").fill("Lumen Legal AI")
    page.locator("#id_country").select_option("FR")
    page.locator("#id_city").fill("Paris")
    page.locator("#id_year_founded").fill("2023")
    page.locator("#id_stage").select_option("mvp")
    page.locator("#id_team_size").fill("3")
    page.locator("#id_funding_raised").select_option("under_100k")
    page.locator("#id_pitch").fill("Un assistant juridique pour les PME françaises.")
    page.get_by_label("Llama 3").check()
    page.locator("#id_siren").fill("123 456 789")
    page.locator("#id_website").fill("lumen.ai")
    page.locator("#id_compute_gpu_hours_per_month").fill("1 500")
    page.get_by_role("button", name="Créer").click()

    expect(page.get_by_role("button", name="Commencer la candidature")).to_be_visible()
    assert_french_page(page, english)
    page.get_by_role("button", name="Commencer la candidature").click()
    assert_french_page(page, english)
    page.get_by_label("Qui est votre premier client ?").fill("Un cabinet d’avocats parisien")
    page.get_by_label("Que construisez-vous ?").fill("Nous rédigeons des contrats avec Llama 3.")
    page.get_by_label("Calcul", exact=True).check()
    page.get_by_label("Europe").check()
    page.get_by_label("Lien vers une présentation technique").fill("lumen.ai/rapport")
    page.get_by_label("De combien de calcul avez-vous besoin").fill("1 500,5")
    page.get_by_label("Oui").check()
    expect(page.locator(".save-state.saved")).to_have_count(7)
    expect(page.locator(".answer-problem")).to_have_count(0)
    assert_french_page(page, english)

    page.get_by_role("link", name="Relire et soumettre").click()
    expect(page.get_by_text("Toutes les réponses sont prêtes.")).to_be_visible()
    review = page.locator(".review")
    expect(review).to_contain_text("https://lumen.ai/rapport")
    expect(review).to_contain_text("Un assistant juridique pour les PME françaises.")
    assert_french_page(page, english)
    page.get_by_label("J’ai lu la notice de confidentialité ci-dessus et je l’accepte.").check()
    page.get_by_role("button", name="Soumettre la candidature").click()
    expect(page.get_by_text(re.compile("^Votre candidature à .+ est soumise."))).to_be_visible()
    assert_french_page(page, english)
    confirmation = last_email_to(email)
    assert confirmation.subject.startswith("Candidature reçue")
    assert "\nOui\n" in confirmation.body
    assert '<html lang="fr">' in confirmation.alternatives[0].content

    page.get_by_role("link", name="Modifier vos réponses").click()
    page.get_by_label("Qui est votre premier client ?").fill("Deux cabinets d’avocats parisiens")
    expect(page.locator(".save-state.saved")).to_have_count(1)
    page.get_by_role("link", name="Relire et soumettre").click()
    expect(page.locator(".review")).to_contain_text("Deux cabinets d’avocats parisiens")
    page.get_by_label("J’ai lu la notice de confidentialité ci-dessus et je l’accepte.").check()
    page.get_by_role("button", name="Soumettre la candidature").click()
    expect(page.locator(".application-card .status-badge")).to_have_text("Soumise")
    assert_french_page(page, english)
    application = Application.objects.get(startup__memberships__user__email=email)
    assert application.submissions.count() == 2
    assert console_errors == []
