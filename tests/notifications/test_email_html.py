"""Every email has an HTML body in the site's look, with its plain text as the alternative,
in the recipient's language."""

import pytest
from django.core import mail
from django.utils.safestring import SafeData, SafeString

from applications import services
from notifications.models import EmailKind, OutgoingEmail
from notifications.services import email_deliver, email_html_from_text, email_render
from tests.factories import UserFactory
from tests.factories.applications import StartupFactory, submitted_application

pytestmark = pytest.mark.django_db

BRAND = "Accelerator · <span"


def delivered(email: OutgoingEmail):
    email_deliver(email_id=email.pk)
    return mail.outbox[-1]


def test_the_confirmation_is_html_and_text_in_the_recipients_language():
    ines = UserFactory(email="ines@lumen.example", language="fr")
    submitted_application(startup=StartupFactory(name="Lumen Legal AI", members=[ines]))

    email = OutgoingEmail.objects.get(kind=EmailKind.APPLICATION_SUBMITTED)
    message = delivered(email)

    assert '<html lang="fr">' in email.body_html
    assert BRAND in email.body_html
    assert "Nous avons reçu la candidature de Lumen Legal AI" in email.body_html
    assert message.body == email.body_text
    assert message.alternatives[0].mimetype == "text/html"
    assert message.alternatives[0].content == email.body_html


def test_the_invitation_is_html_with_its_link_as_a_button():
    ada = UserFactory(full_name="Ada Lovelace", language="en")
    startup = StartupFactory(name="Lumen Legal AI", members=[ada])

    invitation = services.invitation_create(
        startup=startup, email="grace@lumen.example", invited_by=ada, base_url="https://x.example"
    )

    html = invitation.outgoing_email.body_html
    assert '<html lang="en">' in html
    assert f'<a href="https://x.example/invitations/{invitation.token}/"' in html
    assert "Accept the invitation</a>" in html


def test_allauths_emails_get_the_same_look_in_the_recipients_language(client):
    client.post(
        "/fr/accounts/signup/",
        {"email": "ines@startup.example", "password1": "orbit lantern 42 meadow",
         "password2": "orbit lantern 42 meadow"},
    )  # fmt: skip

    email = OutgoingEmail.objects.get(kind=EmailKind.EMAIL_VERIFICATION)
    message = delivered(email)

    assert '<html lang="fr">' in email.body_html
    assert BRAND in email.body_html
    assert message.alternatives[0].mimetype == "text/html"


def test_a_text_email_is_text_and_its_html_version_escapes_what_a_founder_typed():
    name = '<meta http-equiv=refresh content=0;url=//evil.test>"'

    rendered = email_render("offer_reminder", {"startup": name, "cohort": "Cohort 2027"})
    html = email_html_from_text("Offer", SafeString(f"Dear {name}"))

    assert (isinstance(rendered["body_text"], SafeData), name in rendered["body_text"]) == (
        False, True,
    )  # fmt: skip
    assert "&lt;meta http-equiv=refresh content=0;url=//evil.test&gt;&quot;" in html
    assert "<meta http-equiv=refresh" not in html + rendered["body_html"]
