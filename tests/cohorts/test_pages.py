"""Public pages: every item on the page, in a number of queries that does not grow with them."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from tests.factories.cohorts import (
    CohortFactory,
    CohortPartnerFactory,
    ProgramFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db


def get_counting_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def make_cohorts(count: int) -> list:
    program = ProgramFactory(name="AI Startup Program")
    cohorts = []
    for index in range(count):
        cohort = CohortFactory(program=program, name=f"Cohort number {index}")
        CohortPartnerFactory.create_batch(2, cohort=cohort)
        cohorts.append(cohort)
    return cohorts


@pytest.mark.parametrize("count", [2, 20])
def test_home_lists_every_cohort_in_a_fixed_number_of_queries(client, count):
    cohorts = make_cohorts(count)

    response, queries = get_counting_queries(client, "/")

    assert response.status_code == 200
    page = response.content.decode()
    for cohort in cohorts:
        assert cohort.name in page
        for role in cohort.cohort_partners.all():
            assert role.partner.name in page
    assert queries == 2  # cohorts with their programs; partner roles with their partners


@pytest.mark.parametrize(("partners", "questions"), [(1, 1), (4, 1), (1, 6), (4, 6)])
def test_cohort_page_shows_every_partner_and_question_in_a_fixed_number_of_queries(
    client, partners, questions
):
    cohort = CohortFactory()
    roles = CohortPartnerFactory.create_batch(partners, cohort=cohort)
    asked = QuestionFactory.create_batch(questions, cohort=cohort)

    response, queries = get_counting_queries(client, cohort.get_absolute_url())

    assert response.status_code == 200
    page = response.content.decode()
    for role in roles:
        assert role.partner.name in page
        assert role.contribution in page
    for question in asked:
        assert question.label in page
    assert queries == 3  # cohort with program; partner roles with partners; questions


def test_partner_page_lists_its_cohorts(client):
    role = CohortPartnerFactory(cohort__name="2024 cohort", partner__name="Scaleway")
    CohortPartnerFactory(partner=role.partner, cohort__name="2023 cohort")

    response = client.get(role.partner.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "2024 cohort" in page
    assert "2023 cohort" in page


def test_french_page_shows_french_texts_and_falls_back_to_english(client):
    cohort = CohortFactory(
        name_en="2024 cohort",
        name_fr="Promotion 2024",
        eligibility_en="European startups.",
        eligibility_fr="",
    )

    page = client.get("/fr" + cohort.get_absolute_url()).content.decode()

    assert "Promotion 2024" in page
    assert "European startups." in page
    assert "Candidatures closes le" in page


def test_apply_button_while_open_and_its_reason_otherwise(client):
    cohort = CohortFactory()
    with time_machine.travel(datetime(2024, 6, 1, tzinfo=UTC)):
        before = client.get(cohort.get_absolute_url()).content.decode()
    with time_machine.travel(datetime(2024, 8, 1, tzinfo=UTC)):
        during = client.get(cohort.get_absolute_url()).content.decode()
    with time_machine.travel(datetime(2024, 8, 17, tzinfo=UTC)):
        after = client.get(cohort.get_absolute_url()).content.decode()

    assert "Applications open on" in before
    assert "disabled" in before
    assert "25 June 2024, 00:00:00 Paris time" in before
    assert f'class="button button-primary" href="/apply/{cohort.program.slug}/{cohort.slug}/"' in (
        during
    )
    assert "Applications closed on" in after
    assert "disabled" in after
    assert "16 August 2024, 23:59:59 Paris time" in after


def test_unknown_cohort_is_404(client):
    assert client.get("/programs/nothing/here/").status_code == 404


def test_calendar_parses_and_holds_the_closing_time_in_utc(client):
    cohort = CohortFactory(name="2024 cohort", decisions_at=None)

    response = client.get(cohort.get_absolute_url() + "calendar.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}
    closing = events[f"cohort-{cohort.pk}-closes"]
    assert closing.decoded("dtstart") == datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    assert b"DTSTART:20240816T215959Z" in response.content
    assert str(closing["summary"]) == f"Application deadline: {cohort}"
    assert sorted(events) == sorted(
        [f"cohort-{cohort.pk}-{key}" for key in ("opens", "closes", "programme")]
    )


def test_partner_logo_is_served_with_its_type_and_nosniff(client, settings, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.factories.cohorts import PartnerFactory

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (8, 8), "#000").save(png, format="PNG")
    partner = PartnerFactory(slug="scaleway", logo=SimpleUploadedFile("x.png", png.getvalue()))

    response = client.get("/partners/scaleway/logo")
    page = client.get(partner.get_absolute_url()).content.decode()

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert '<img class="partner-logo" src="/partners/scaleway/logo"' in page
    assert client.get("/partners/nobody/logo").status_code == 404
