"""An unpublished cohort exists only for the staff who manage it: the public pages neither list
nor show it to anyone else, founders with a draft there included."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from tests.factories import UserFactory
from tests.factories.applications import make_application, open_cohort
from tests.factories.cohorts import CohortPartnerFactory, PartnerFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _staff(**fields):
    user = UserFactory(is_staff=True, **fields)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def unpublished():
    program = ProgramFactory(name="AI Startup Program", slug="ai-startup-program")
    cohort = open_cohort(program=program, name="2027 cohort", slug="2027", is_published=False)
    CohortPartnerFactory(cohort=cohort, partner=PartnerFactory(name="Scaleway", slug="scaleway"))
    return cohort


def _visitor(kind: str, cohort):
    """None for an anonymous visitor, else a user of that kind."""
    if kind == "anonymous":
        return None
    if kind == "founder with a draft":
        return make_application(cohort=cohort).startup.memberships.get().user
    if kind == "manager of another program":
        manager = _staff()
        ProgramFactory().managers.add(manager)
        return manager
    if kind == "manager of its program":
        manager = _staff()
        cohort.program.managers.add(manager)
        return manager
    if kind == "superuser":
        return _staff(is_superuser=True)
    raise ValueError(kind)


def _public_pages(cohort) -> list[str]:
    slugs = {"program_slug": cohort.program.slug, "slug": cohort.slug}
    return [reverse("cohort_detail", kwargs=slugs), reverse("cohort_calendar", kwargs=slugs)]


@pytest.mark.parametrize(
    "kind", ["anonymous", "founder with a draft", "manager of another program"]
)
def test_an_unpublished_cohorts_pages_are_404_to_others(client, unpublished, kind):
    visitor = _visitor(kind, unpublished)
    if visitor is not None:
        client.force_login(visitor)

    statuses = [client.get(url).status_code for url in _public_pages(unpublished)]

    assert statuses == [404, 404]


@pytest.mark.parametrize("kind", ["manager of its program", "superuser"])
def test_its_staff_see_an_unpublished_cohorts_pages(client, unpublished, kind):
    client.force_login(_visitor(kind, unpublished))

    responses = [client.get(url) for url in _public_pages(unpublished)]

    assert [response.status_code for response in responses] == [200, 200]
    page = responses[0].content.decode()
    assert "2027 cohort" in page
    assert "Not published: only this program's staff see this page." in page


@pytest.mark.parametrize("kind", ["anonymous", "manager of its program"])
def test_home_and_partner_pages_list_only_published_cohorts(client, unpublished, kind):
    published = open_cohort(program=unpublished.program, name="2026 cohort", slug="2026")
    CohortPartnerFactory(cohort=published, partner=unpublished.cohort_partners.get().partner)
    visitor = _visitor(kind, unpublished)
    if visitor is not None:
        client.force_login(visitor)

    home = client.get("/").content.decode()
    partner = client.get(reverse("partner_detail", kwargs={"slug": "scaleway"})).content.decode()

    assert ("2026 cohort" in home, "2027 cohort" in home) == (True, False)
    assert ("2026 cohort" in partner, "2027 cohort" in partner) == (True, False)


@pytest.mark.django_db(transaction=True)
def test_the_migration_publishes_existing_cohorts_and_new_ones_start_unpublished():
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([("cohorts", "0002_question_file_types")])
        old_apps = executor.loader.project_state([("cohorts", "0002_question_file_types")]).apps
        program = old_apps.get_model("cohorts", "Program").objects.create(name="P", slug="p")
        old_apps.get_model("cohorts", "Cohort").objects.create(
            program=program,
            name="2024 cohort",
            slug="2024",
            year=2024,
            closes_at="2024-08-16T22:00Z",
        )

        executor = MigrationExecutor(connection)
        executor.migrate([("cohorts", "0003_cohort_is_published")])
        new_apps = executor.loader.project_state([("cohorts", "0003_cohort_is_published")]).apps
        Cohort = new_apps.get_model("cohorts", "Cohort")
        Cohort.objects.create(
            program_id=program.pk, name="2025 cohort", slug="2025", year=2025,
            closes_at="2025-08-16T22:00Z",
        )  # fmt: skip

        assert list(Cohort.objects.order_by("year").values_list("name", "is_published")) == [
            ("2024 cohort", True),
            ("2025 cohort", False),
        ]
    finally:
        # Leave the database as every later test expects it, even after a failure (under
        # pytest-xdist, the next test in this worker's database).
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
