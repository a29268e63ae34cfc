"""Staff search: accents and case do not matter, on PostgreSQL and on SQLite alike, and it
follows every change to what it matches."""

import pytest
from django.db import connection
from django.urls import reverse

from applications import services
from applications.models import Application
from applications.search import normalise
from applications.selectors import StaffFilters, staff_applications
from tests.factories import UserFactory, staff_member
from tests.factories.applications import (
    StartupFactory,
    make_application,
    open_cohort,
    submitted_application,
)
from tests.factories.cohorts import ProgramFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def found(cohort, query: str) -> list[str]:
    applications = staff_applications(cohort=cohort, filters=StaffFilters(query=query))
    return [application.startup.name for application in applications]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zoé", "zoe"),
        ("LUMIÈRE", "lumiere"),
        ("Straße  Ünïcode\tﬁ", "strasse unicode fi"),
        ("  Çà   et là ", "ca et la"),
    ],
)
def test_normalise_casefolds_and_strips_accents(text, expected):
    assert normalise(text) == expected


@pytest.mark.both_databases
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["Lumen Legal AI"]),
        ("ZOÉ lefevre", ["Lumen Legal AI"]),
        ("lumiere", ["LUMIÈRE Labs"]),
        ("Lumière", ["LUMIÈRE Labs"]),
        ("zoe@lumen", ["Lumen Legal AI"]),
        ("droit des contrats", ["Lumen Legal AI"]),  # an answer of the submitted version
        ("100%", []),  # LIKE's wildcards are matched as themselves
        ("nobody", []),
    ],
)
def test_search_ignores_accents_and_case_on_both_databases(query, expected):
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, required=False)
    founder = UserFactory(full_name="Zoé Lefèvre", email="zoe@lumen.example")
    submitted_application(
        cohort=cohort,
        startup=StartupFactory(name="Lumen Legal AI", members=[founder]),
        answers={question: "Un assistant pour le Droit des Contrats"},
        deck_pages=None,
    )
    # Faker invents names (a "Zoe" would match): every member here is named.
    labs = StartupFactory(name="LUMIÈRE Labs", members=[UserFactory(full_name="Ada Martin")])
    make_application(cohort=cohort, startup=labs)

    assert connection.vendor in ("postgresql", "sqlite")
    assert found(cohort, query) == expected


def test_search_follows_a_rename_a_new_member_and_a_changed_name():
    cohort = open_cohort()
    application = make_application(cohort=cohort, startup=StartupFactory(name="Old Name"))
    startup = application.startup
    member = startup.memberships.get().user

    startup.name = "Éclair AI"
    services.startup_update(startup=startup)
    member.full_name = "Anaïs Dupré"
    member.save()
    newcomer = UserFactory(email="noe@eclair.example", full_name="Noé Martin")
    invitation = services.invitation_create(
        startup=startup, email=newcomer.email, invited_by=member, base_url="http://testserver"
    )
    services.invitation_accept(token=invitation.token, user=newcomer)

    assert found(cohort, "eclair") == ["Éclair AI"]
    assert found(cohort, "old") == []
    assert found(cohort, "anais dupre") == ["Éclair AI"]
    assert found(cohort, "noe@eclair") == ["Éclair AI"]


def test_search_reads_the_submitted_version_not_the_live_draft():
    cohort = open_cohort()
    question = QuestionFactory(cohort=cohort, required=False)
    application = submitted_application(cohort=cohort, answers={question: "robotics"},
                                        deck_pages=None)  # fmt: skip

    founder = application.startup.memberships.get().user
    services.answer_save(
        application=application, question=question, value="quantum", base_version=1, user=founder
    )

    assert found(cohort, "robotics") == [application.startup.name]
    assert found(cohort, "quantum") == []


def test_a_manager_searches_from_the_list_page(client):
    program = ProgramFactory()
    client.force_login(staff_member(programs=[program]))
    cohort = open_cohort(program=program)
    make_application(
        cohort=cohort,
        startup=StartupFactory(name="Lumen", members=[UserFactory(full_name="Zoé Martin")]),
    )
    make_application(cohort=cohort, startup=StartupFactory(name="Other"))

    response = client.get(reverse("staff:cohort_applications", args=[cohort.pk]), {"q": "zoe"})

    assert [a.startup.name for a in response.context["page"].object_list] == ["Lumen"]
    assert Application.objects.filter(search_text__contains="zoe martin").count() == 1
