"""accounts gathers a person's data and deletes their account; the apps above fill in their
parts, and the emails sent to them are theirs by recipient, never by address."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts import personal_data
from accounts.models import User
from notifications.models import EmailKind
from tests.factories import PASSWORD, UserFactory, queue_email

pytestmark = pytest.mark.django_db


def export_of(client, user) -> dict:
    client.force_login(user)
    return client.get(reverse("my_data_download")).json()


def delete_account(client, user):
    client.force_login(user)
    return client.post(reverse("my_data"), {"password": PASSWORD})


def change_address(user, new_address: str) -> None:
    """What allauth does: a new verified address made primary, the old one removed."""
    old = EmailAddress.objects.get(user=user, email=user.email)
    EmailAddress.objects.create(user=user, email=new_address, verified=True).set_as_primary()
    old.delete()


def test_a_recycled_address_brings_nothing_of_its_previous_owner(client):
    ada = UserFactory(email="ada@lumen.example")
    to_ada = queue_email(to_address="ada@lumen.example", recipient=ada, subject="For Ada")
    change_address(ada, "ada@newmail.example")
    grace = UserFactory(email="ada@lumen.example")  # signs up with Ada's old address
    to_grace = queue_email(to_address="ada@lumen.example", recipient=grace, subject="For Grace")

    grace_export = export_of(client, grace)
    delete_account(client, grace)

    assert [email["subject"] for email in grace_export["emails"]] == ["For Grace"]
    to_ada.refresh_from_db()
    assert (to_ada.to_address, to_ada.body_text, to_ada.recipient) == (
        "ada@lumen.example",
        "Thank you for applying.",
        ada,
    )
    to_grace.refresh_from_db()
    assert (to_grace.to_address, to_grace.body_text) == (
        f"deleted-user-{grace.pk}@invalid.invalid",
        "",
    )
    assert [email["subject"] for email in export_of(client, ada)["emails"]] == ["For Ada"]


def test_the_export_is_the_account_then_each_part_then_the_emails(client):
    ada = UserFactory(email="ada@lumen.example", full_name="Ada Lovelace")
    queue_email(kind=EmailKind.ACCOUNT_NOTICE, to_address=ada.email, recipient=ada)

    data = export_of(client, ada)

    assert list(data) == [
        "exported_at", "account", "startups", "applications", "reviewer_roles", "reviews",
        "conflicts_of_interest", "interview_scores", "emails", "reminders_turned_off",
    ]  # fmt: skip
    assert (data["account"]["full_name"], data["startups"], data["applications"]) == (
        "Ada Lovelace",
        [],
        [],
    )
    assert [email["kind"] for email in data["emails"]] == ["account_notice"]


def test_a_part_that_fails_deletes_nothing(client, monkeypatch):
    ada = UserFactory()
    email = queue_email(to_address=ada.email, recipient=ada)

    def refuse(user):
        raise RuntimeError("this part cannot erase its data now")

    monkeypatch.setitem(
        personal_data._parts,
        "refusing",
        personal_data.PersonalDataPart(export=lambda user: {}, delete=refuse),
    )

    with pytest.raises(RuntimeError):
        delete_account(client, ada)

    assert User.objects.filter(pk=ada.pk).exists()
    email.refresh_from_db()
    assert (email.to_address, email.body_text) == (ada.email, "Thank you for applying.")
