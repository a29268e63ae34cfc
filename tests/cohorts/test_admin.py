from datetime import UTC, date, datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse

from cohorts.enums import QuestionKind
from cohorts.models import Cohort
from tests.factories import UserFactory
from tests.factories.cohorts import (
    CohortFactory,
    CohortPartnerFactory,
    ProgramFactory,
    QuestionFactory,
    RubricCriterionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    """Staff (with an authenticator set up) who manage one program, and nothing else."""
    user = UserFactory(email="manager@stationf.example", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    program = ProgramFactory(name="AI Startup Program", slug="ai-startup-program")
    program.managers.add(user)
    client.force_login(user)
    return user


def test_a_manager_sees_and_edits_only_their_programs_cohorts(client, manager):
    mine = CohortFactory(program=manager.managed_programs.get(), name="2024 cohort")
    theirs = CohortFactory(name="Research call 2024")

    changelist = client.get(reverse("admin:cohorts_cohort_changelist"))
    my_page = client.get(reverse("admin:cohorts_cohort_change", args=[mine.pk]))
    their_page = client.get(reverse("admin:cohorts_cohort_change", args=[theirs.pk]))
    programs = client.get(reverse("admin:cohorts_program_changelist"))

    assert changelist.status_code == 200
    assert [c.name for c in changelist.context["cl"].result_list] == ["2024 cohort"]
    assert my_page.status_code == 200
    assert their_page.status_code == 404
    assert [p.name for p in programs.context["cl"].result_list] == ["AI Startup Program"]
    assert list(my_page.context["adminform"].form.fields["program"].queryset) == [
        manager.managed_programs.get()
    ]


def test_staff_who_manage_nothing_see_no_cohorts(client):
    user = UserFactory(is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)

    response = client.get(reverse("admin:cohorts_cohort_changelist"))

    assert response.status_code == 403


def test_phase_filter(client, manager):
    program = manager.managed_programs.get()
    CohortFactory(program=program, name="Closed call")
    CohortFactory(
        program=program,
        name="Open call",
        opens_at=datetime(2026, 11, 1, tzinfo=UTC),
        closes_at=datetime(2026, 12, 1, tzinfo=UTC),
        program_starts_on=None,
        program_ends_on=None,
    )

    # While the call is open, whatever day the suite runs on.
    with time_machine.travel(datetime(2026, 11, 15, tzinfo=UTC), tick=False):
        response = client.get(reverse("admin:cohorts_cohort_changelist"), {"phase": "open"})

    assert [c.name for c in response.context["cl"].result_list] == ["Open call"]


def test_duplicating_2024_gives_2025_one_year_later_with_the_same_parts(client, manager):
    cohort_2024 = CohortFactory(
        program=manager.managed_programs.get(),
        name_en="2024 cohort",
        name_fr="Promotion 2024",
        slug="2024",
        year=2024,
        decisions_at=datetime(2024, 8, 30, 10, 0, tzinfo=UTC),
    )
    for _index in range(2):
        QuestionFactory(cohort=cohort_2024)
        RubricCriterionFactory(cohort=cohort_2024)
    CohortPartnerFactory.create_batch(3, cohort=cohort_2024)

    response = client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "duplicate_for_next_year", "_selected_action": [cohort_2024.pk]},
        follow=True,
    )

    cohort_2025 = Cohort.objects.get(slug="2025")
    assert response.status_code == 200
    assert (cohort_2025.name_en, cohort_2025.name_fr, cohort_2025.year) == (
        "2025 cohort",
        "Promotion 2025",
        2025,
    )
    assert (cohort_2024.is_published, cohort_2025.is_published) == (True, False)
    assert [str(message) for message in response.context["messages"]] == [
        f'Created <a href="/admin/cohorts/cohort/{cohort_2025.pk}/change/">2025 cohort</a>, one '
        "year after 2024 cohort. It is unpublished: only its program's staff see it until you "
        "publish it."
    ]
    # Same Paris wall-clock times one year later (the UTC offset is the same in summer).
    assert cohort_2025.opens_at == datetime(2025, 6, 24, 22, 0, tzinfo=UTC)
    assert cohort_2025.closes_at == datetime(2025, 8, 16, 21, 59, 59, tzinfo=UTC)
    assert cohort_2025.decisions_at == datetime(2025, 8, 30, 10, 0, tzinfo=UTC)
    assert (cohort_2025.program_starts_on, cohort_2025.program_ends_on) == (
        date(2025, 9, 1),
        date(2026, 2, 28),
    )

    def parts(cohort):
        return (
            list(cohort.questions.values_list("label", "kind", "word_limit")),
            list(cohort.criteria.values_list("name", "weight")),
            list(cohort.cohort_partners.values_list("partner_id", "role", "contribution")),
        )

    assert parts(cohort_2025) == parts(cohort_2024)
    assert cohort_2024.questions.count() == 2  # the source keeps its own


def test_duplicating_twice_numbers_the_slug(client, manager):
    cohort = CohortFactory(program=manager.managed_programs.get(), slug="2024", name="2024 cohort")
    CohortFactory(program=cohort.program, slug="2025", name="2025 cohort")

    client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "duplicate_for_next_year", "_selected_action": [cohort.pk]},
    )

    assert sorted(Cohort.objects.values_list("slug", flat=True)) == ["2024", "2025", "2025-2"]


def test_the_admin_form_explains_a_closing_time_before_the_opening(client, manager):
    cohort = CohortFactory(program=manager.managed_programs.get(), name="2024 cohort")
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    form = client.get(url).context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in {"required_stages", "opens_at", "closes_at"}
    }
    data |= {
        "opens_at_0": "2024-08-17",
        "opens_at_1": "00:00:00",
        "closes_at_0": "2024-08-16",
        "closes_at_1": "23:59:59",
        "program": cohort.program_id,
    }
    for prefix in ("cohort_partners", "questions", "criteria", "interview_criteria"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    response = client.post(url, data)

    assert response.status_code == 200
    assert "The closing time must be after the opening time." in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.opens_at == datetime(2024, 6, 24, 22, 0, tzinfo=UTC)


def test_a_duplicated_cohort_reaches_the_home_page_once_published(client, manager):
    cohort = CohortFactory(program=manager.managed_programs.get(), slug="2024", name="2024 cohort")
    client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "duplicate_for_next_year", "_selected_action": [cohort.pk]},
        follow=True,  # the admin's message, read there, would name the copy on the home page
    )
    copy = Cohort.objects.get(slug="2025")
    home_before = client.get("/").content.decode()

    Cohort.objects.filter(pk=copy.pk).update(is_published=True)

    home_after = client.get("/").content.decode()
    assert "2025 cohort" not in home_before
    assert "2025 cohort" in home_after
    assert 'href="/programs/' + cohort.program.slug + '/2025/"' in home_after


def test_a_name_without_the_year_gets_the_new_year_in_every_language(client, manager):
    cohort = CohortFactory(
        program=manager.managed_programs.get(),
        name_en="Spring cohort",
        name_fr="Promotion de printemps",
        slug="spring",
        year=2024,
    )

    client.post(
        reverse("admin:cohorts_cohort_changelist"),
        {"action": "duplicate_for_next_year", "_selected_action": [cohort.pk]},
    )

    copy = Cohort.objects.exclude(pk=cohort.pk).get()
    assert (copy.name_en, copy.name_fr, copy.slug, copy.year, copy.is_published) == (
        "Spring cohort 2025",
        "Promotion de printemps 2025",
        "spring-2",
        2025,
        False,
    )


def test_the_admin_shows_the_published_flag_and_new_cohorts_start_unpublished(client, manager):
    program = manager.managed_programs.get()
    CohortFactory(program=program, name="Published call")
    CohortFactory(program=program, name="Draft call", is_published=False)

    changelist = client.get(reverse("admin:cohorts_cohort_changelist"))
    unpublished = client.get(
        reverse("admin:cohorts_cohort_changelist"), {"is_published__exact": "0"}
    )
    add = client.get(reverse("admin:cohorts_cohort_add"))

    assert "is_published" in changelist.context["cl"].list_display
    assert [c.name for c in unpublished.context["cl"].result_list] == ["Draft call"]
    form = add.context["adminform"].form
    assert "is_published" in form.fields
    assert form["is_published"].value() is False


def test_ticked_stages_and_file_types_are_stored_as_lists(client, manager):
    cohort = CohortFactory(program=manager.managed_programs.get(), name="2024 cohort", slug="2024")
    question = QuestionFactory(cohort=cohort, kind=QuestionKind.FILE, word_limit=None)
    url = reverse("admin:cohorts_cohort_change", args=[cohort.pk])
    data = {
        "program": cohort.program_id,
        "name_en": "2024 cohort",
        "slug": "2024",
        "year": "2024",
        "opens_at_0": "2024-06-25",
        "opens_at_1": "00:00:00",
        "closes_at_0": "2024-08-16",
        "closes_at_1": "23:59:59",
        "grace_minutes": "0",
        "applicant_kind": "startup",
        "region": "anywhere",
        "required_stages": ["mvp", "product"],
        "capacity": "5",
        "reviews_per_application": "3",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "1",
        "questions-0-id": question.pk,
        "questions-0-cohort": cohort.pk,
        "questions-0-order": "1",
        "questions-0-kind": "file",
        "questions-0-required": "on",
        "questions-0-label_en": "Your pitch deck",
        "questions-0-file_types": ["pdf", "png"],
    }
    for prefix in ("cohort_partners", "criteria", "interview_criteria"):
        data |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}

    page = client.get(url).content.decode()
    response = client.post(url, data)

    assert 'type="checkbox" name="questions-0-file_types" value="webp"' in page
    assert response.status_code == 302
    cohort.refresh_from_db()
    question.refresh_from_db()
    assert cohort.required_stages == ["mvp", "product"]
    assert (question.label, question.file_types) == ("Your pitch deck", ["pdf", "png"])
