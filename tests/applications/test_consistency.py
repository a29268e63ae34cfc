"""Consistency (issue 11, item 5): web addresses without https://, numbers as the French write
them, real time zones, yes/no in the reader's language, a confirmation for every member."""

import pytest
from django.urls import reverse

from accounts.forms import ProfileForm
from applications import services
from applications.answers import answer_problem
from applications.models import Answer
from cohorts.enums import QuestionKind
from notifications.models import EmailKind, OutgoingEmail
from tests.factories import UserFactory
from tests.factories.applications import (
    StartupFactory,
    make_application,
    open_cohort,
    submitted_application,
)
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db


def test_profile_web_addresses_are_accepted_without_https_and_saved_with_it(client):
    founder = UserFactory()
    startup = StartupFactory(members=[founder])
    client.force_login(founder)

    response = client.post(
        reverse("startup", args=[startup.pk]),
        {"startup-name": startup.name, "startup-country": "FR",
         "startup-website": "lumen.ai", "startup-github_url": "github.com/lumen",
         "startup-hugging_face_url": "huggingface.co/lumen", "startup-demo_url": "lumen.ai/demo",
         "me-linkedin_url": "www.linkedin.com/in/ada"},
    )  # fmt: skip

    startup.refresh_from_db()
    assert response.status_code == 302
    assert (startup.website, startup.github_url, startup.hugging_face_url, startup.demo_url) == (
        "https://lumen.ai", "https://github.com/lumen", "https://huggingface.co/lumen",
        "https://lumen.ai/demo",
    )  # fmt: skip
    assert startup.memberships.get().linkedin_url == "https://www.linkedin.com/in/ada"


def test_a_web_address_answer_without_https_is_valid_and_saved_with_it():
    startup = StartupFactory()
    application = make_application(startup=startup)
    question = QuestionFactory(cohort=application.cohort, kind=QuestionKind.URL)

    answer = services.answer_save(application=application, question=question,
                                  value="lumen.ai/demo", base_version=0,
                                  user=startup.memberships.get().user)  # fmt: skip

    assert answer.value == "https://lumen.ai/demo"
    assert Answer.objects.get(pk=answer.pk).value == "https://lumen.ai/demo"
    assert answer_problem(question, "lumen.ai/demo") == ""


@pytest.mark.parametrize("typed", ["1 500,5", "1\u202f500,5", "1\u00a0500", "2,5", "12"])
def test_numbers_accept_the_french_comma_and_spaces(typed):
    question = QuestionFactory(kind=QuestionKind.NUMBER)

    assert answer_problem(question, typed) == ""


def test_profile_numbers_accept_spaces_as_thousands_separators(client):
    founder = UserFactory()
    startup = StartupFactory(members=[founder])
    client.force_login(founder)

    response = client.post(
        reverse("startup", args=[startup.pk]),
        {"startup-name": startup.name, "startup-country": "FR", "startup-team_size": "12",
         "startup-compute_gpu_hours_per_month": "80\u202f000", "startup-year_founded": "2 023"},
    )  # fmt: skip
    refused = client.post(
        reverse("startup", args=[startup.pk]),
        {"startup-name": startup.name, "startup-team_size": "douze"},
    )

    startup.refresh_from_db()
    assert response.status_code == 302
    assert (startup.team_size, startup.compute_gpu_hours_per_month) == (12, 80000)
    assert "Enter a whole number, such as 1 500." in refused.content.decode()


def test_the_time_zones_are_real_places_grouped_by_region_common_first():
    choices = ProfileForm().fields["time_zone"].choices

    groups = [str(label) for label, _zones in choices]
    values = [value for _label, zones in choices for value, _name in zones]
    assert groups == ["Common", "Africa", "Americas", "Antarctica", "Arctic", "Asia",
                      "Atlantic", "Australia", "Europe", "Indian Ocean", "Pacific"]  # fmt: skip
    assert choices[0][1][0] == ("Europe/Paris", "Europe/Paris")
    assert [v for v in values if v in ("Factory", "localtime", "posixrules", "Etc/GMT+5")] == []
    assert "America/Argentina/Buenos_Aires" in values


def test_the_confirmation_goes_to_every_member_with_yes_no_in_their_language():
    ada = UserFactory(email="ada@lumen.example", language="en")
    ines = UserFactory(email="ines@lumen.example", language="fr")
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, kind=QuestionKind.YES_NO, label_en="Incorporated?",
                               label_fr="Immatriculée ?")  # fmt: skip

    submitted_application(startup=StartupFactory(members=[ada, ines]), cohort=cohort,
                          answers={question: "yes"})  # fmt: skip

    emails = OutgoingEmail.objects.filter(kind=EmailKind.APPLICATION_SUBMITTED).order_by("pk")
    assert [(e.to_address, e.language) for e in emails] == [
        ("ada@lumen.example", "en"), ("ines@lumen.example", "fr"),
    ]  # fmt: skip
    assert "Incorporated?\nYes\n" in emails[0].body_text
    assert "Immatriculée ?\nOui\n" in emails[1].body_text
