from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Q

from cohorts.enums import Phase
from cohorts.models import Cohort, Program
from tests.shared_world import world_for_the_module

pytestmark = pytest.mark.django_db

DUMPED = ["accounts", "account.emailaddress", "cohorts"]


def dump() -> str:
    output = StringIO()
    call_command("dumpdata", *DUMPED, indent=1, stdout=output)
    return output.getvalue()


def load(*args: str) -> str:
    output = StringIO()
    call_command("load_station_f", *args, stdout=output)
    return output.getvalue()


NOVEMBER_2026 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


# The first two in the module: the tests below share demo data loaded once, which these two
# must not see.
def test_demo_is_refused_under_production_settings(settings):
    settings.DEMO_DATA_ALLOWED = False

    with pytest.raises(CommandError) as error:
        load("--demo")

    assert str(error.value) == "--demo is refused here: demo accounts have published passwords."
    assert Cohort.objects.count() == 0


def test_station_f_data_as_announced():
    with time_machine.travel(NOVEMBER_2026, tick=False):
        load()

    startup_program = Program.objects.get(slug="ai-startup-program")
    cohort_2023 = Cohort.objects.get(program=startup_program, slug="2023")
    cohort_2024 = Cohort.objects.get(program=startup_program, slug="2024")
    research = Cohort.objects.get(program__slug="open-innovation-ai-research-community")
    assert cohort_2023.opens_at == datetime(2023, 11, 7, 23, 0, tzinfo=UTC)
    assert cohort_2023.closes_at == datetime(2023, 12, 1, 22, 59, 59, tzinfo=UTC)
    assert cohort_2024.opens_at == datetime(2024, 6, 24, 22, 0, tzinfo=UTC)
    assert cohort_2024.closes_at == datetime(2024, 8, 16, 21, 59, 59, tzinfo=UTC)
    assert (cohort_2024.required_stages, cohort_2024.region, cohort_2024.capacity) == (
        ["mvp", "product"],
        "europe",
        5,
    )
    assert [p.partner.slug for p in cohort_2024.cohort_partners.all()] == [
        "meta",
        "hugging-face",
        "scaleway",
        "station-f",
    ]
    assert cohort_2024.questions.count() == 6
    assert next((c.name_en, c.name_fr, c.weight) for c in cohort_2024.criteria.all()) == (
        "Use of open models",
        "Usage des modèles ouverts",
        3,
    )
    assert all(q.is_example for q in cohort_2024.questions.all())
    assert (research.capacity, research.applicant_kind, research.opens_at) == (
        None,
        "research_team",
        None,
    )
    assert research.closes_at == datetime(2024, 9, 10, 21, 59, 59, tzinfo=UTC)
    # Announced calls are public.
    assert list(Cohort.objects.values_list("is_published", flat=True)) == [True, True, True]


@pytest.fixture(scope="module")
def loaded_in_november_2026(django_db_setup, django_db_blocker):
    """The demo data loaded once on 22 November 2026; each test that asks for it runs in a
    savepoint rolled back after it (tests/shared_world.py) and loads again on top: a rerun,
    which must create nothing and change nothing."""

    def first_load():
        with time_machine.travel(NOVEMBER_2026, tick=False):
            return load("--demo")

    with world_for_the_module(django_db_blocker, first_load) as output:
        yield output


@pytest.fixture
def in_november_2026(loaded_in_november_2026):
    with time_machine.travel(NOVEMBER_2026, tick=False) as clock:
        yield clock


def test_twice_leaves_every_row_and_field_identical(in_november_2026):
    load("--demo")
    first = dump()

    second_output = load("--demo")

    assert second_output.strip() == "Nothing to create."
    assert dump() == first


def test_an_admins_edit_survives_a_rerun(in_november_2026):
    load()
    Cohort.objects.filter(slug="2024", program__slug="ai-startup-program").update(
        name_en="2024 cohort (edited)", capacity=6
    )

    load()

    edited = Cohort.objects.get(slug="2024", program__slug="ai-startup-program")
    assert (edited.name_en, edited.capacity) == ("2024 cohort (edited)", 6)


def test_demo_cohort_is_open_for_30_days_and_moves_forward_once_closed(in_november_2026):
    load("--demo")
    demo = Cohort.objects.get(slug="demo")
    assert demo.is_published is True
    assert demo.phase() == Phase.OPEN
    assert demo.closes_at == datetime(2026, 12, 22, 22, 59, 59, tzinfo=UTC)
    assert sorted(demo.questions.values_list("kind", flat=True)) == sorted(
        ["short_text", "long_text", "single_choice", "multiple_choice", "url", "number",
         "yes_no", "file"]
    )  # fmt: skip
    assert demo.questions.get(kind="file").required is False

    in_november_2026.shift(timedelta(days=13))
    assert load("--demo").strip() == "Nothing to create."

    in_november_2026.shift(timedelta(days=2))  # reviews of the cohort in review have closed
    assert load("--demo").strip() == "Created demo cohort in review moved forward"

    in_november_2026.shift(timedelta(days=13))
    assert load("--demo").strip() == "Nothing to create."

    in_november_2026.shift(timedelta(days=3))
    assert load("--demo").strip().splitlines() == [
        "Created demo cohort moved forward",
        "Created demo cohort in review moved forward",
    ]
    demo.refresh_from_db()
    assert demo.phase() == Phase.OPEN
    # 23 December in Paris, from 00:00, for 30 days.
    assert demo.opens_at == datetime(2026, 12, 22, 23, 0, tzinfo=UTC)
    assert demo.closes_at == datetime(2027, 1, 22, 22, 59, 59, tzinfo=UTC)
    assert Cohort.objects.filter(slug="demo").count() == 1


def test_demo_users_have_verified_addresses_and_roles(in_november_2026, client):
    from allauth.account.models import EmailAddress

    load("--demo")

    manager = Program.objects.get(slug="ai-startup-program").managers.get()
    assert manager.email == "manager@demo.accelerator.localhost"
    assert manager.is_staff
    assert not manager.is_superuser
    cannot_log_in = EmailAddress.objects.filter(
        Q(email__endswith="@applicants.demo.accelerator.localhost")
        | Q(email__endswith="@reviewers.demo.accelerator.localhost")
    )
    can_log_in = EmailAddress.objects.filter(verified=True).exclude(
        pk__in=cannot_log_in.values("pk")
    )
    assert sorted(address.email for address in can_log_in) == [
        "admin@demo.accelerator.localhost",
        "founder@demo.accelerator.localhost",
        "manager@demo.accelerator.localhost",
        "reviewer@demo.accelerator.localhost",
    ]
    assert [address.user.has_usable_password() for address in cannot_log_in] == [False] * 14
    logged_in = client.login(
        email="admin@demo.accelerator.localhost", password="demo-admin-Station-F"
    )
    assert logged_in


def test_the_demo_cohort_has_applications_for_staff_to_read(in_november_2026):
    from applications.models import Application
    from applications.search import search

    load("--demo")

    applications = Application.objects.filter(cohort__slug="demo")
    assert sorted(applications.values_list("status", flat=True)) == ["draft"] + ["submitted"] * 8
    assert [a.startup.name for a in search(applications, "zoe lefevre")] == ["Lumière Santé"]
    assert all(a.pitch_deck_pages == 6 for a in applications)


def test_the_demo_cohort_in_review_has_reviewers_and_slots_to_fill(in_november_2026):
    from reviews import selectors
    from reviews.models import Assignment, Review
    from reviews.selectors import reviewer_queue

    load("--demo")

    in_review = Cohort.objects.get(slug="demo-review")
    applications = in_review.applications.all()
    demo_reviewer = in_review.reviewers.get(email="reviewer@demo.accelerator.localhost").user
    assert in_review.phase() == Phase.IN_REVIEW
    assert applications.count() == 12
    assert set(applications.values_list("status", flat=True)) == {"submitted"}
    assert "Lumen Legal AI" in applications.values_list("startup__name", flat=True)
    assert [
        application.assignments.filter(ended_at__isnull=True).count()
        for application in applications.order_by("pk")
    ] == [3] * 10 + [1, 1]
    assert Assignment.objects.filter(reviewer__user=demo_reviewer).count() == 7
    assert Review.objects.filter(submitted_at__isnull=False).count() == 17
    assert [row.opens for row in reviewer_queue(demo_reviewer)] == [True] * 7
    assert selectors.assignment_plan(in_review).unfilled_slots == 0
    assert len(selectors.assignment_plan(in_review).pairs) == 4


def test_the_demo_questions_never_ask_what_the_profile_holds(in_november_2026):
    load("--demo")
    profile_subjects = ["startup name", "stage", "models", "demo", "website", "github",
                        "hugging face", "funding", "team size", "incorporated"]  # fmt: skip

    labels = [q.label_en.lower() for q in Cohort.objects.get(slug="demo").questions.all()]

    assert [label for label in labels if any(s in label for s in profile_subjects)] == []
    assert len(labels) == 8


def test_the_demo_manager_confirms_the_suggested_conflict(in_november_2026, client, settings):
    from django.urls import reverse

    from reviews.models import Conflict
    from reviews.selectors import cohort_conflicts

    settings.STAFF_REQUIRE_MFA = False  # as under make run
    load("--demo")
    in_review = Cohort.objects.get(slug="demo-review")
    manager = in_review.program.managers.get(email="manager@demo.accelerator.localhost")
    conflict = Conflict.objects.get(user=manager)
    client.force_login(manager)

    page = client.get(reverse("staff:cohort_conflicts", args=[in_review.pk]))
    confirmed = client.post(reverse("staff:conflict_confirm", args=[conflict.pk]))
    application = client.get(reverse("staff:application", args=[conflict.application_id]))

    assert (conflict.application.startup.name, conflict.source, conflict.state) == (
        "Vigne Vision", "named_by_startup", "suggested",
    )  # fmt: skip
    assert [(c.pk, c.state) for c in cohort_conflicts(in_review)] == [(conflict.pk, "confirmed")]
    assert [c.pk for c in page.context["suggested"]] == [conflict.pk]
    assert confirmed.status_code == 302
    assert application.status_code == 404
