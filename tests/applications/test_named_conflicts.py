"""Conflicts of interest a startup names when it submits: kept apart from the version reviewers
read, seen by staff, turned into conflicts by reviews (an email binds, a name or a partner is
a suggestion), in the startup's data export, and gone with its personal data."""

import json

import pytest
from django.urls import reverse

from applications import services
from applications.models import NamedConflict
from applications.privacy import PRIVACY_NOTICE_VERSION
from reviews.enums import ConflictSource, ConflictState
from reviews.models import Conflict
from tests.factories import PASSWORD, UserFactory, staff_member
from tests.factories.applications import StartupFactory, make_application
from tests.factories.cohorts import CohortPartnerFactory, PartnerFactory
from tests.factories.reviews import accepted_reviewer, reviewing_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(client):
    cohort = reviewing_cohort()
    hugging_face = PartnerFactory(name="Hugging Face")
    CohortPartnerFactory(cohort=cohort, partner=hugging_face)
    founder = UserFactory(email="ana@gmail.com", full_name="Ana Lumen")
    startup = StartupFactory(name="Lumen", members=[founder])
    application = make_application(startup=startup, cohort=cohort)
    client.force_login(founder)
    return type("World", (), {"cohort": cohort, "partner": hugging_face, "founder": founder,
                              "application": application})  # fmt: skip


def name(client, world, **fields):
    return client.post(reverse("named_conflict_add", args=[world.application.pk]),
                       {"kind": "investor", **fields})  # fmt: skip


def submit(world):
    services.application_submit(application=world.application, user=world.founder,
                                privacy_notice_version=PRIVACY_NOTICE_VERSION)  # fmt: skip


def test_a_startup_names_a_partner_an_organisation_and_a_person_from_the_submit_page(client, world):
    responses = [
        name(client, world, partner=world.partner.pk),
        name(client, world, organisation="Seedcamp", kind="adviser"),
        name(client, world, person_name="Jean Dupont", person_email="jean@fund.example",
             kind="former_colleague"),
    ]  # fmt: skip
    page = client.get(reverse("application_submit", args=[world.application.pk]))

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert list(
        world.application.named_conflicts.values_list(
            "partner__name", "organisation", "person_name", "person_email", "kind"
        )
    ) == [
        ("Hugging Face", "", "", "", "investor"),
        (None, "Seedcamp", "", "", "adviser"),
        (None, "", "Jean Dupont", "jean@fund.example", "former_colleague"),
    ]
    body = page.content.decode()
    assert "Seedcamp" in body
    assert "Jean Dupont &lt;jean@fund.example&gt;" in body


def test_naming_nobody_is_refused_with_a_message(client, world):
    response = name(client, world)
    email_only = name(client, world, person_email="jean@fund.example")

    assert response.status_code == 400
    assert "Name an organisation or a person." in response.content.decode()
    assert "Give the person&#x27;s name with their email." in email_only.content.decode()
    assert NamedConflict.objects.count() == 0


def test_named_conflicts_stay_out_of_the_submitted_version(client, world):
    name(client, world, person_name="Jean Dupont", person_email="jean@fund.example")

    submit(world)

    content = json.dumps(world.application.submissions.get().content)
    assert "Jean Dupont" not in content
    assert "jean@fund.example" not in content


def test_a_named_email_binds_a_named_name_or_partner_is_suggested(client, world):
    by_email = accepted_reviewer(world.cohort, UserFactory(email="jean@fund.example"))
    by_name = accepted_reviewer(world.cohort, UserFactory(full_name="Zoé  LEFÈVRE"))
    by_partner = accepted_reviewer(world.cohort, partner=world.partner)
    manager = staff_member(programs=[world.cohort.program], full_name="Marc Aurèle")
    name(client, world, person_name="Someone", person_email="JEAN@fund.example")
    name(client, world, person_name="zoe lefevre")
    name(client, world, person_name="MARC AURELE")
    name(client, world, partner=world.partner.pk)

    submit(world)

    found = {
        conflict.user_id: (conflict.source, conflict.state)
        for conflict in Conflict.objects.filter(application=world.application)
    }
    assert found == {
        by_email.user_id: (ConflictSource.NAMED_BY_STARTUP, ConflictState.CONFIRMED),
        by_name.user_id: (ConflictSource.NAMED_BY_STARTUP, ConflictState.SUGGESTED),
        by_partner.user_id: (ConflictSource.PARTNER, ConflictState.SUGGESTED),
        manager.pk: (ConflictSource.NAMED_BY_STARTUP, ConflictState.SUGGESTED),
    }


def test_staff_see_the_named_conflicts_reviewers_never_do(client, world):
    name(client, world, person_name="Jean Dupont", person_email="jean@fund.example")
    manager = staff_member(programs=[world.cohort.program])
    client.force_login(manager)

    page = client.get(reverse("staff:application", args=[world.application.pk]))

    assert "Jean Dupont &lt;jean@fund.example&gt;" in page.content.decode()


def test_the_export_holds_them_and_deleting_the_account_erases_them(client, world):
    name(client, world, person_name="Jean Dupont", person_email="jean@fund.example")
    submit(world)

    exported = json.loads(client.get(reverse("my_data_download")).content)
    client.post(reverse("my_data"), {"password": PASSWORD})

    assert exported["applications"][0]["conflicts_named"] == [
        {"partner": None, "organisation": "", "person_name": "Jean Dupont",
         "person_email": "jean@fund.example", "kind": "investor",
         "named_at": exported["applications"][0]["conflicts_named"][0]["named_at"]},
    ]  # fmt: skip
    assert NamedConflict.objects.count() == 0


def test_retention_erases_them_and_what_the_conflicts_copied(client, world):
    from applications.services.personal_data import application_anonymise

    jean = accepted_reviewer(world.cohort, UserFactory(email="jean@fund.example"))
    name(client, world, person_name="Jean Dupont", person_email="jean@fund.example")
    submit(world)

    application_anonymise(world.application, now=world.application.created_at)

    assert NamedConflict.objects.count() == 0
    conflict = Conflict.objects.get(user=jean.user)
    assert (conflict.state, conflict.detail) == (ConflictState.CONFIRMED, "")
