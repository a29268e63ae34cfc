"""The staff overview of applications: scoped to one's programs, filtered, exported, charted,
in a number of queries that does not grow with the list."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from applications import services
from applications.enums import ApplicationStatus
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, make_application, open_cohort
from tests.factories.cohorts import ProgramFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:applications_application_changelist")


@pytest.fixture
def manager(client):
    user = UserFactory(email="manager@stationf.example", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    program = ProgramFactory(name="AI Startup Program", slug="ai-startup-program")
    program.managers.add(user)
    client.force_login(user)
    user.program = program
    return user


def test_a_manager_sees_only_their_programs_applications(client, manager):
    mine = make_application(cohort=open_cohort(program=manager.program),
                            startup=StartupFactory(name="Mine"))  # fmt: skip
    make_application(startup=StartupFactory(name="Theirs"))

    response = client.get(CHANGELIST)
    other = client.get(reverse("admin:applications_application_change", args=[mine.pk + 1]))

    assert response.status_code == 200
    assert [a.startup.name for a in response.context["cl"].result_list] == ["Mine"]
    assert other.status_code == 404


def test_a_manager_of_another_program_gets_nothing(client):
    outsider = UserFactory(is_staff=True)
    TOTP.activate(outsider, generate_totp_secret())
    ProgramFactory().managers.add(outsider)
    application = make_application()
    client.force_login(outsider)

    listing = client.get(CHANGELIST)
    detail = client.get(reverse("admin:applications_application_change", args=[application.pk]))

    assert list(listing.context["cl"].result_list) == []
    assert detail.status_code == 404


@pytest.mark.parametrize("count", [10, 100])
def test_the_list_takes_the_same_queries_at_10_and_100(client, manager, count):
    cohort = open_cohort(program=manager.program)
    startups = [StartupFactory(name=f"Startup number {index}") for index in range(count)]
    for startup in startups:
        make_application(startup=startup, cohort=cohort)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)

    page = response.content.decode()
    assert response.status_code == 200
    assert all(startup.name in page for startup in startups)
    assert len(queries) == QUERIES_FOR_THE_LIST


# Session, user and MFA check; the staff scope (once); counts; the page of rows with startups
# and cohorts; the filters' choices (countries present among them); the date hierarchy. What
# matters: it does not grow with the rows.
QUERIES_FOR_THE_LIST = 14


def test_filters_search_and_csv_export(client, manager):
    cohort = open_cohort(program=manager.program, name="2024 cohort")
    lumen = StartupFactory(name="Lumen Legal AI", country="FR")
    submitted = make_application(cohort=cohort, status=ApplicationStatus.SUBMITTED, startup=lumen)
    make_application(cohort=cohort, startup=StartupFactory(name="Draft Co", country="DE"))

    filtered = client.get(CHANGELIST, {"status__exact": "submitted"})
    searched = client.get(CHANGELIST, {"q": "lumen"})
    export = client.get(
        reverse("admin:applications_application_export"), {"status__exact": "submitted"}
    )

    assert [a.pk for a in filtered.context["cl"].result_list] == [submitted.pk]
    assert [a.pk for a in searched.context["cl"].result_list] == [submitted.pk]
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0][:5] == ["id", "startup", "program", "cohort", "status"]
    assert [row[:2] + row[4:6] for row in rows[1:]] == [
        [str(submitted.pk), "Lumen Legal AI", "submitted", "FR"]
    ]


def test_chart_counts_started_and_submitted_per_day(client, manager):
    closes_at = datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    cohort = open_cohort(program=manager.program, opens_at=closes_at - timedelta(days=3),
                         closes_at=closes_at)  # fmt: skip
    with time_machine.travel(closes_at - timedelta(days=2), tick=False) as clock:
        first = make_application(cohort=cohort)
        make_application(cohort=cohort)
        clock.shift(timedelta(days=1))
        services.application_transition(application=first, to_status="submitted", actor=None)
        response = client.get(CHANGELIST, {"cohort__id__exact": cohort.pk})

    days = [(bar.day.day.isoformat(), bar.day.started, bar.day.submitted)
            for bar in response.context["chart_bars"]]  # fmt: skip
    assert days == [
        ("2024-08-13", 0, 0),
        ("2024-08-14", 2, 0),
        ("2024-08-15", 0, 1),
        ("2024-08-16", 0, 0),
    ]
    assert "2 started, 0 submitted" in response.content.decode()


def test_a_manager_grants_an_extension_in_the_admin(client, manager):
    application = make_application(cohort=open_cohort(program=manager.program))
    url = reverse("admin:applications_application_change", args=[application.pk])
    personal = (application.cohort.closes_at + timedelta(days=2)).astimezone(UTC)
    data = {
        "extensions-TOTAL_FORMS": "1",
        "extensions-INITIAL_FORMS": "0",
        "extensions-0-closes_at_0": personal.strftime("%Y-%m-%d"),
        "extensions-0-closes_at_1": personal.strftime("%H:%M:%S"),
        "extensions-0-reason": "Founder in hospital",
    }

    response = client.post(url, data)
    early = client.post(url, data | {
        "extensions-0-closes_at_0": "2020-01-01", "extensions-0-closes_at_1": "00:00:00",
    })  # fmt: skip

    assert response.status_code == 302
    extension = application.extensions.get()
    assert (extension.reason, extension.granted_by) == ("Founder in hospital", manager)
    assert "An extension must end after the call closes." in early.content.decode()
    assert application.extensions.count() == 1


def test_the_country_filter_offers_only_countries_that_applied(client, manager):
    cohort = open_cohort(program=manager.program)
    make_application(cohort=cohort, startup=StartupFactory(country="FR"))
    make_application(cohort=cohort, startup=StartupFactory(country="DE"))

    response = client.get(CHANGELIST, {"country": "DE"})

    country_filter = next(f for f in response.context["cl"].filter_specs if f.title == "country")
    assert [choice[1] for choice in country_filter.lookup_choices] == ["France", "Germany"]
    assert [a.startup.country.code for a in response.context["cl"].result_list] == ["DE"]


def test_csv_keeps_formula_like_names_as_text_and_filters_show_only_own_cohorts(client, manager):
    cohort = open_cohort(program=manager.program, name="2024 cohort")
    other_cohort = open_cohort(program=manager.program, name="2025 cohort")
    make_application(cohort=open_cohort(name="Someone else's call"))
    make_application(cohort=cohort, startup=StartupFactory(name='=HYPERLINK("x")'))
    make_application(cohort=other_cohort, startup=StartupFactory(name="Zeta"))

    export = client.get(reverse("admin:applications_application_export"))
    listing = client.get(CHANGELIST)

    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert sorted(row[1] for row in rows[1:]) == ['\'=HYPERLINK("x")', "Zeta"]
    cohort_filter = next(f for f in listing.context["cl"].filter_specs if f.title == "cohort")
    assert sorted(label for _pk, label in cohort_filter.lookup_choices) == [
        str(cohort),
        str(other_cohort),
    ]
