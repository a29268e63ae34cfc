"""Eligibility before effort, the dashboard, and who may see what."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications.enums import ApplicationStatus
from applications.models import Application, Invitation
from applications.services import invitation_create
from cohorts.enums import Region
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application, open_cohort
from tests.factories.cohorts import QuestionFactory

pytestmark = pytest.mark.django_db


def apply_url(cohort) -> str:
    return reverse("apply", args=[cohort.program.slug, cohort.slug])


@pytest.fixture
def founder(client):
    user = UserFactory()
    client.force_login(user)
    return user


def test_what_does_not_fit_is_explained_before_anything_is_written(client, founder):
    StartupFactory(members=[founder], country="US", stage="idea")
    cohort = open_cohort(region=Region.EUROPE, required_stages=["mvp", "product"])

    page = client.get(apply_url(cohort)).content.decode()
    refused = client.post(apply_url(cohort))

    assert (
        "This call is for startups based in the EU or EEA, the United Kingdom or Switzerland; "
        "your profile says United States of America."
    ) in page
    assert (
        "This call is for startups at these stages: MVP, Product; your profile says Idea." in page
    )
    assert refused.status_code == 200
    assert Application.objects.count() == 0


def test_france_only_call_refuses_a_german_startup(client, founder):
    StartupFactory(members=[founder], country="DE")
    cohort = open_cohort(region=Region.FRANCE)

    page = client.get(apply_url(cohort)).content.decode()

    assert "This call is for startups based in France; your profile says Germany." in page


def test_a_fitting_startup_starts_its_draft_once(client, founder):
    startup = StartupFactory(members=[founder], country="FR", stage="mvp")
    cohort = open_cohort(region=Region.EUROPE, required_stages=["mvp"])

    first = client.post(apply_url(cohort))
    second = client.post(apply_url(cohort))

    application = Application.objects.get()
    assert (application.startup, application.status) == (startup, ApplicationStatus.DRAFT)
    assert first["Location"] == second["Location"] == reverse("application", args=[application.pk])
    assert list(application.events.values_list("from_status", "to_status")) == [("", "draft")]


def test_a_user_without_a_startup_creates_one_first(client, founder):
    cohort = open_cohort()

    response = client.get(apply_url(cohort))

    assert response["Location"] == f"/startup/new/?next={apply_url(cohort)}"


def test_research_team_calls_do_not_ask_for_startup_only_fields(client, founder):
    team = StartupFactory(
        members=[founder], stage="", year_founded=None, team_size=None, funding_raised="",
        foundation_models=[],
    )  # fmt: skip
    startup_call = open_cohort(required_stages=[])
    research_call = open_cohort(applicant_kind="research_team", required_stages=["mvp"])
    for cohort in (startup_call, research_call):
        QuestionFactory(cohort=cohort, kind="short_text", word_limit=None)

    startup_page = client.get(
        reverse("application_submit", args=[make_application(startup=team, cohort=startup_call).pk])
    ).content.decode()
    research_page = client.get(
        reverse(
            "application_submit", args=[make_application(startup=team, cohort=research_call).pk]
        )
    ).content.decode()

    assert (
        "Complete your startup&#x27;s profile: stage, year founded, team size, funding raised so "
        "far, open foundation models."
    ) in startup_page
    assert "Complete your startup" not in research_page


@pytest.mark.parametrize("count", [1, 10])
def test_dashboard_shows_every_application_in_a_fixed_number_of_queries(client, founder, count):
    startup = StartupFactory(members=[founder])
    applications = [make_application(startup=startup) for _index in range(count)]

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard"))

    page = response.content.decode()
    assert response.status_code == 200
    for application in applications:
        assert application.cohort.name in page
    # session, user, memberships with startups, applications with cohorts, extensions, events,
    # required questions, answers (needs attention), open cohorts with their partners, the
    # stages an upper app makes visible (invited to interview)
    assert len(queries) == 11


def applicant_urls(application, invitation) -> list[tuple[str, str]]:
    startup = application.startup
    question = QuestionFactory(cohort=application.cohort)
    return [
        ("get", reverse("startup", args=[startup.pk])),
        ("post", reverse("startup", args=[startup.pk])),
        ("post", reverse("invitation_create", args=[startup.pk])),
        ("post", reverse("invitation_revoke", args=[startup.pk, invitation.pk])),
        ("post", reverse("membership_leave", args=[startup.pk])),
        ("get", reverse("application", args=[application.pk])),
        ("post", reverse("answer_autosave", args=[application.pk, question.pk])),
        ("get", reverse("application_submit", args=[application.pk])),
        ("post", reverse("application_submit", args=[application.pk])),
        ("get", reverse("apply", args=[application.cohort.program.slug, application.cohort.slug])
         + f"?startup={startup.pk}"),
    ]  # fmt: skip


def test_every_applicant_url_is_404_to_a_user_of_another_startup(client):
    application = make_application()
    owner = application.startup.memberships.get().user
    invitation = invitation_create(
        startup=application.startup, email="x@y.example", invited_by=owner, base_url="http://t"
    )
    stranger = UserFactory()
    StartupFactory(members=[stranger])
    client.force_login(stranger)

    answers = {url: getattr(client, method)(url).status_code
               for method, url in applicant_urls(application, invitation)}  # fmt: skip

    assert set(answers.values()) == {404}, answers
    assert Invitation.objects.get().revoked_at is None
    assert application.startup.memberships.count() == 1


def test_a_non_numeric_startup_is_a_404(client, founder):
    StartupFactory(members=[founder])

    response = client.get(apply_url(open_cohort()) + "?startup=abc")

    assert response.status_code == 404


def test_changing_country_after_starting_blocks_submitting(client, founder):
    startup = StartupFactory(members=[founder], country="FR")
    cohort = open_cohort(region=Region.FRANCE)
    application = make_application(startup=startup, cohort=cohort)
    startup.country = "US"
    startup.save()

    response = client.get(reverse("application_submit", args=[application.pk]))
    refused = client.post(reverse("application_submit", args=[application.pk]),
                          {"privacy_notice_version": "2024-06"})  # fmt: skip

    assert refused.status_code == 200
    assert "This call is for startups based in France" in refused.content.decode()
    assert response.status_code == 200
    assert Application.objects.get().status == ApplicationStatus.DRAFT
