"""allauth's emails go through the outbox, in the reader's language, secrets as secrets."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def deliver_queued() -> None:
    for email_id in OutgoingEmail.objects.filter(state=EmailState.QUEUED).values_list(
        "pk", flat=True
    ):
        email_deliver(email_id=email_id)


def sign_up(client, email: str, prefix: str = ""):
    return client.post(
        prefix + reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD},
    )


def test_sign_up_verification_code_goes_through_the_outbox_and_is_cleared(client):
    response = sign_up(client, "ada@startup.example")

    email = OutgoingEmail.objects.get()
    assert response["Location"] == reverse("account_email_verification_sent")
    assert (email.kind, email.to_address, email.language, email.state) == (
        EmailKind.EMAIL_VERIFICATION,
        "ada@startup.example",
        "en",
        EmailState.QUEUED,
    )
    assert email.recipient.email == "ada@startup.example"

    deliver_queued()

    [message] = mail.outbox
    code = CODE.search(message.body)[0]
    email.refresh_from_db()
    assert email.body_text == ""
    verified = client.post(reverse("account_email_verification_sent"), {"code": code})
    assert verified.status_code == 302
    assert client.session["_auth_user_id"] == str(email.recipient.pk)


def test_french_sign_up_gets_a_french_email_and_a_french_user(client):
    sign_up(client, "ines@startup.example", prefix="/fr")
    deliver_queued()

    email = OutgoingEmail.objects.get()
    assert email.language == "fr"
    assert email.recipient.language == "fr"
    assert mail.outbox[0].subject == "[AI Startup Program] Confirmez votre adresse e-mail"


def test_password_reset_link_is_a_secret_email_in_the_users_language(client):
    UserFactory(email="ines@startup.example", language="fr")

    client.post(reverse("account_reset_password"), {"email": "ines@startup.example"})
    deliver_queued()

    email = OutgoingEmail.objects.get()
    assert (email.kind, email.language) == (EmailKind.PASSWORD_RESET, "fr")
    assert (
        "/fr/accounts/password/reset/key/" in mail.outbox[0].body
        or "/accounts/password/reset/key/" in mail.outbox[0].body
    )
    assert email.body_text == ""


def test_password_change_notice_is_an_account_notice_that_keeps_its_body(client):
    founder = UserFactory()
    client.post(reverse("account_login"), {"login": founder.email, "password": PASSWORD})

    client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a new passphrase 42",
            "password2": "a new passphrase 42",
        },
    )
    deliver_queued()

    email = OutgoingEmail.objects.get()
    assert email.kind == EmailKind.ACCOUNT_NOTICE
    assert email.body_text != ""


def test_staff_see_recipient_and_kind_of_a_sent_verification_email_but_not_its_code(
    staff_client,
):
    sign_up(Client(), "ada@startup.example")
    deliver_queued()
    code = CODE.search(mail.outbox[0].body)[0]
    email = OutgoingEmail.objects.get()

    pages = [
        staff_client.get(reverse("admin:notifications_outgoingemail_changelist")),
        staff_client.get(reverse("admin:notifications_outgoingemail_change", args=[email.pk])),
        staff_client.get(reverse("admin:notifications_outgoingemail_history", args=[email.pk])),
    ]

    assert [page.status_code for page in pages] == [200, 200, 200]
    for page in pages[:2]:
        assert "ada@startup.example" in page.content.decode()
        assert "Email address verification" in page.content.decode()
    for page in pages:
        assert code not in page.content.decode()


def test_login_by_code_sends_a_secret_code_and_logs_in(client):
    founder = UserFactory(email="ada@startup.example")

    requested = client.post(reverse("account_request_login_code"), {"email": founder.email})
    deliver_queued()
    code = CODE.search(mail.outbox[0].body)[0]
    confirmed = client.post(requested["Location"], {"code": code})

    email = OutgoingEmail.objects.get()
    assert (email.kind, email.body_text) == (EmailKind.LOGIN_CODE, "")
    assert requested["Location"] == reverse("account_confirm_login_code")
    assert confirmed.status_code == 302
    assert client.session["_auth_user_id"] == str(founder.pk)


def test_changing_the_email_address_needs_the_new_one_verified(client):
    from allauth.account.models import EmailAddress

    founder = UserFactory(email="ada@startup.example")
    client.post(reverse("account_login"), {"login": founder.email, "password": PASSWORD})

    changed = client.post(
        reverse("account_email"), {"action_add": "", "email": "ada@newstartup.example"}
    )
    deliver_queued()
    [message] = [m for m in mail.outbox if m.to == ["ada@newstartup.example"]]
    founder.refresh_from_db()
    email_before_verifying = founder.email
    client.post(reverse("account_email_verification_sent"), {"code": CODE.search(message.body)[0]})

    founder.refresh_from_db()
    assert changed.status_code == 302
    assert email_before_verifying == "ada@startup.example"
    assert founder.email == "ada@newstartup.example"
    assert EmailAddress.objects.get(user=founder).email == "ada@newstartup.example"


def test_account_emails_greet_with_the_site_name_not_a_host(client, settings):
    settings.SITE_NAME = "AI Startup Program"
    sign_up(client, "ada@startup.example")
    deliver_queued()

    body = mail.outbox[0].body
    assert body.startswith("Hello from AI Startup Program!")
    assert "Thank you for using AI Startup Program!\ntestserver" in body
