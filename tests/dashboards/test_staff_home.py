"""The staff home and a cohort's hub: the cohorts one manages, their counts and their days."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.enums import ApplicationStatus
from tests.factories import staff_member
from tests.factories.applications import make_application, open_cohort
from tests.factories.cohorts import CohortFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    program = ProgramFactory(name="AI Startup Program")
    user = staff_member(programs=[program])
    client.force_login(user)
    user.program = program
    return user


def test_the_home_lists_my_cohorts_with_phase_deadline_and_counts(client, manager):
    cohort = open_cohort(program=manager.program, name="2025 cohort")
    for status in ["draft", "draft", "submitted", "shortlisted", "withdrawn"]:
        make_application(cohort=cohort, status=status)
    CohortFactory(name="Someone else's cohort")

    response = client.get(reverse("staff:home"))

    [listed] = response.context["cohorts"]
    assert (listed.name, listed.current_phase) == ("2025 cohort", "open")
    assert listed.counts == {"drafts": 2, "submitted": 2, "withdrawn": 1}
    assert "Someone else's cohort" not in response.content.decode()


def test_the_header_leads_staff_to_their_workspace(client, manager):
    response = client.get(reverse("home"))

    assert f'href="{reverse("staff:home")}"' in response.content.decode()


def test_the_hub_counts_drafts_started_and_applications_submitted_per_paris_day(client, manager):
    closes_at = datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    cohort = open_cohort(program=manager.program, opens_at=closes_at - timedelta(days=3),
                         closes_at=closes_at)  # fmt: skip
    # 22:30 UTC on the 13th is already the 14th in Paris.
    with time_machine.travel(datetime(2024, 8, 13, 22, 30, tzinfo=UTC), tick=False) as clock:
        first = make_application(cohort=cohort)
        make_application(cohort=cohort)
        clock.shift(timedelta(days=1))
        services.application_transition(
            application=first, to_status=ApplicationStatus.SUBMITTED, actor=None
        )
        response = client.get(reverse("staff:cohort", args=[cohort.pk]))

    assert [(day.day.isoformat(), day.started, day.submitted)
            for day in response.context["days"]] == [
        ("2024-08-13", 0, 0),
        ("2024-08-14", 2, 0),
        ("2024-08-15", 0, 1),
        ("2024-08-16", 0, 0),
    ]  # fmt: skip
    chart = response.context["chart"]
    assert [tick.label for tick in chart.y_ticks] == ["0", "1", "2"]
    assert [tick.label for tick in chart.x_ticks] == ["13/08", "14/08", "15/08", "16/08"]
    page = response.content.decode()
    assert "2 started, 0 submitted" in page
    assert "Day (Paris time)" in page


# Session, user and MFA check; the staff scope; the cohorts; their counts by status.
QUERIES_FOR_THE_HOME = 6
# Session, user and MFA check; the staff scope; the cohort; counts; started and submitted days;
# the funnel (stages from the history, reviewed, accepted offers).
QUERIES_FOR_THE_HUB = 11


@pytest.mark.parametrize("count", [10, 100])
def test_the_home_and_the_hub_take_the_same_queries_at_10_and_100(client, manager, count):
    cohort = open_cohort(program=manager.program)
    for index in range(count):
        make_application(cohort=cohort, status="submitted" if index % 2 else "draft")

    with CaptureQueriesContext(connection) as home_queries:
        home = client.get(reverse("staff:home"))
    with CaptureQueriesContext(connection) as hub_queries:
        hub = client.get(reverse("staff:cohort", args=[cohort.pk]))

    assert home.context["cohorts"][0].counts["drafts"] == count // 2
    assert hub.context["counts"]["submitted"] == count // 2
    assert (len(home_queries), len(hub_queries)) == (QUERIES_FOR_THE_HOME, QUERIES_FOR_THE_HUB)
