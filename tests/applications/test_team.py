import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.models import Invitation, Membership
from notifications.models import EmailKind, OutgoingEmail
from notifications.services import email_deliver
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def founder(client):
    user = UserFactory(email="ada@lumen.example", full_name="Ada Lovelace")
    startup = StartupFactory(name="Lumen Legal AI", members=[user])
    client.force_login(user)
    user.startup = startup
    return user


def invite(client, founder, email="grace@lumen.example"):
    return client.post(reverse("invitation_create", args=[founder.startup.pk]), {"email": email})


def invitation_link() -> str:
    email = OutgoingEmail.objects.get(kind=EmailKind.TEAM_INVITATION)
    email_deliver(email_id=email.pk)
    return re.search(r"http://testserver(/invitations/\S+/)", mail.outbox[-1].body)[1]


def test_invitation_email_is_a_secret_with_a_link(client, founder):
    response = invite(client, founder)

    email = OutgoingEmail.objects.get()
    assert response.status_code == 302
    assert (email.kind, email.to_address) == (EmailKind.TEAM_INVITATION, "grace@lumen.example")
    assert email.subject == "Join Lumen Legal AI on AI Startup Program"
    link = invitation_link()
    assert link.startswith("/invitations/")
    email.refresh_from_db()
    assert email.body_text == ""


def test_the_invited_address_verified_accepts_and_joins(client, founder):
    invite(client, founder)
    link = invitation_link()
    cofounder = UserFactory(email="Grace@Lumen.example")
    client.force_login(cofounder)

    response = client.post(link)

    assert response["Location"] == reverse("dashboard")
    assert Membership.objects.filter(startup=founder.startup, user=cofounder).exists()
    assert Invitation.objects.get().accepted_by == cofounder
    assert client.get(reverse("startup", args=[founder.startup.pk])).status_code == 200


@pytest.mark.parametrize("case", ["other-address", "unverified", "expired", "revoked", "used"])
def test_an_invitation_is_refused_when_it_should_be(client, founder, case):
    invite(client, founder)
    link = invitation_link()
    invitation = Invitation.objects.get()
    if case == "revoked":
        client.post(reverse("invitation_revoke", args=[founder.startup.pk, invitation.pk]))
    user = UserFactory(
        email="someone@else.example" if case == "other-address" else "grace@lumen.example",
        verified_email=case != "unverified",
    )
    if case == "used":
        client.force_login(user)
        client.post(link)
        user = UserFactory(email="third@lumen.example")

    later = timezone.now() + (timedelta(days=14, seconds=1) if case == "expired" else timedelta())
    with time_machine.travel(later):
        client.force_login(user)
        client.get(reverse("home"))  # the invitation's own message is read and gone
        response = client.post(link)

    messages = [str(m) for m in response.context["messages"]]
    assert not Membership.objects.filter(startup=founder.startup, user=user).exists()
    expected = {
        "other-address": "This invitation is for grace@lumen.example. Log in with that address, "
        "verified, to accept it.",
        "unverified": "This invitation is for grace@lumen.example. Log in with that address, "
        "verified, to accept it.",
    }.get(case, "This invitation is no longer valid: ask for a new one.")
    assert messages == [expected]


def test_a_new_invitation_replaces_the_pending_one(client, founder):
    invite(client, founder)
    invite(client, founder)

    pending = [i for i in Invitation.objects.all() if i.is_pending()]
    assert len(pending) == 1
    assert Invitation.objects.count() == 2


def test_inviting_a_member_is_refused(client, founder):
    response = invite(client, founder, email="ADA@lumen.example")

    assert OutgoingEmail.objects.count() == 0
    follow = client.get(response["Location"])
    assert "ADA@lumen.example is already in your team." in follow.content.decode()


def test_a_member_leaves_but_the_last_one_cannot(client, founder):
    cofounder = UserFactory()
    Membership.objects.create(startup=founder.startup, user=cofounder)

    left = client.post(reverse("membership_leave", args=[founder.startup.pk]))
    client.force_login(cofounder)
    refused = client.post(reverse("membership_leave", args=[founder.startup.pk]), follow=True)

    assert left["Location"] == reverse("dashboard")
    assert list(founder.startup.memberships.values_list("user", flat=True)) == [cofounder.pk]
    assert "You are the last member of this startup: invite someone before you leave." in [
        str(m) for m in refused.context["messages"]
    ]


def test_members_edit_the_profile_and_their_own_role(client, founder):
    response = client.post(
        reverse("startup", args=[founder.startup.pk]),
        {
            "startup-name": "Lumen Legal",
            "startup-country": "FR",
            "startup-stage": "product",
            "startup-foundation_models": ["mistral_7b", "other"],
            "startup-other_model_name": "Qwen",
            "startup-hugging_face_url": "https://huggingface.co/lumen",
            "me-role": "CEO",
            "me-linkedin_url": "https://www.linkedin.com/in/ada",
        },
    )

    founder.startup.refresh_from_db()
    assert response.status_code == 302
    assert (founder.startup.name, founder.startup.stage, founder.startup.foundation_models) == (
        "Lumen Legal",
        "product",
        ["mistral_7b", "other"],
    )
    assert founder.startup.memberships.get().role == "CEO"


def test_profile_errors_are_explained_and_typed_values_kept(client, founder):
    response = client.post(
        reverse("startup", args=[founder.startup.pk]),
        {
            "startup-name": "Lumen Legal",
            "startup-hugging_face_url": "https://example.com/lumen",
            "startup-siren": "12345",
            "startup-foundation_models": ["other"],
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Give a Hugging Face address, such as https://huggingface.co/your-organisation." in page
    assert "A SIREN number has nine digits." in page
    assert "Name the other model you use." in page
    assert 'value="https://example.com/lumen"' in page
    founder.startup.refresh_from_db()
    assert founder.startup.name == "Lumen Legal AI"


@pytest.mark.parametrize("name", ["Lumen\nLegal AI", "Lumen\r\nBcc: x@evil.example", "Lumen\tAI"])
def test_the_profile_refuses_a_name_with_control_characters(client, founder, name):
    response = client.post(
        reverse("startup", args=[founder.startup.pk]),
        {"startup-name": name, "startup-country": "FR", "startup-stage": "product"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["name"] == [
        "A name cannot hold line breaks, tabs or other control characters: write it on one line."
    ]
    founder.startup.refresh_from_db()
    assert founder.startup.name == "Lumen Legal AI"


def test_the_inviter_is_told_when_an_invitation_could_not_be_sent(client, founder, smtp):
    smtp.refusals_left = 1
    smtp.refusal = "550 5.1.1 Mailbox does not exist"
    invite(client, founder)
    email = OutgoingEmail.objects.get(kind=EmailKind.TEAM_INVITATION)

    email_deliver(email_id=email.pk)
    page = client.get(reverse("startup", args=[founder.startup.pk])).content.decode()

    first = Invitation.objects.get()
    assert first.outgoing_email == email
    assert "could not be sent: the recipient&#x27;s mail server refused it." in page
    assert "Invite again" in page
    again = invite(client, founder)
    page = client.get(reverse("startup", args=[founder.startup.pk])).content.decode()
    assert again.status_code == 302
    assert "could not be sent" not in page
    assert Invitation.objects.get(pk=first.pk).revoked_at is not None
    assert Invitation.objects.exclude(pk=first.pk).get().outgoing_email.to_address == (
        "grace@lumen.example"
    )


def test_a_sent_invitation_says_nothing_of_a_failure(client, founder):
    invite(client, founder)
    email_deliver(email_id=OutgoingEmail.objects.get().pk)

    page = client.get(reverse("startup", args=[founder.startup.pk])).content.decode()

    assert "grace@lumen.example" in page
    assert "could not be sent" not in page


def test_profile_errors_are_summed_up_at_the_top_with_links_to_their_fields(client, founder):
    response = client.post(
        reverse("startup", args=[founder.startup.pk]),
        {"startup-name": "Lumen Legal", "startup-siren": "12345", "startup-country": "FR"},
    )

    page = response.content.decode()
    summary = page.split("data-error-summary")[1].split("</div>")[0]
    assert page.index("data-error-summary") < page.index("<h2>Team</h2>")
    assert "Nothing is saved yet: correct these fields." in summary
    assert '<a href="#id_startup-siren">SIREN</a>: A SIREN number has nine digits.' in summary


@pytest.mark.parametrize("typed", ["123 456 789", "123456789", " 123\u00a0456\u202f789 "])
def test_a_siren_is_accepted_with_spaces_and_kept_as_nine_digits(client, founder, typed):
    response = client.post(
        reverse("startup", args=[founder.startup.pk]),
        {"startup-name": "Lumen Legal AI", "startup-country": "FR", "startup-siren": typed},
    )

    founder.startup.refresh_from_db()
    assert response.status_code == 302
    assert founder.startup.siren == "123456789"


def test_the_siren_input_does_not_cut_what_is_typed_at_nine_characters(client, founder):
    page = client.get(reverse("startup", args=[founder.startup.pk])).content.decode()

    siren_input = re.search(r'<input[^>]*name="startup-siren"[^>]*>', page)[0]
    assert "maxlength" not in siren_input
    assert 'inputmode="numeric"' in siren_input


def test_an_invitation_opened_signed_out_says_who_invites_to_which_startup(client, founder):
    invite(client, founder)
    link = invitation_link()
    client.logout()

    response = client.get(link, HTTP_ACCEPT_LANGUAGE="fr")
    accepted = client.post(link)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Ada Lovelace vous invite à rejoindre Lumen Legal AI" in page
    assert "Cette invitation est destinée à grace@lumen.example." in page
    assert f'href="/fr/accounts/login/?next={link}"' in page
    assert f'href="/fr/accounts/signup/?next={link}"' in page
    assert accepted.status_code == 302
    assert accepted["Location"].startswith("/accounts/login/?next=")
    assert Membership.objects.filter(startup=founder.startup).count() == 1
