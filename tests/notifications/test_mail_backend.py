"""Django's own mail API (error reports, sendtestemail) goes through the outbox too."""

import pytest
from django.core.mail import EmailMultiAlternatives, send_mail

from notifications.models import EmailKind, EmailState, OutgoingEmail
from notifications.services import email_deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox_backend(settings):
    settings.EMAIL_BACKEND = "notifications.mail.OutboxEmailBackend"


def test_send_mail_writes_one_row_per_recipient(outbox_backend, smtp):
    sent = send_mail(
        "Server error", "Traceback…", "ops@accelerator.example", ["a@x.example", "b@x.example"]
    )

    rows = list(OutgoingEmail.objects.order_by("to_address"))
    assert sent == 1
    assert [(r.to_address, r.kind, r.state, r.from_address) for r in rows] == [
        ("a@x.example", EmailKind.GENERIC, EmailState.QUEUED, "ops@accelerator.example"),
        ("b@x.example", EmailKind.GENERIC, EmailState.QUEUED, "ops@accelerator.example"),
    ]
    for row in rows:
        email_deliver(email_id=row.pk)
    assert sorted(m["To"] for m in smtp.messages) == ["a@x.example", "b@x.example"]


def test_html_alternative_is_kept(outbox_backend):
    message = EmailMultiAlternatives("Hello", "Plain", to=["a@x.example"])
    message.attach_alternative("<p>Rich</p>", "text/html")

    message.send()

    row = OutgoingEmail.objects.get()
    assert (row.body_text, row.body_html) == ("Plain", "<p>Rich</p>")


def test_attachments_are_refused_rather_than_dropped(outbox_backend):
    message = EmailMultiAlternatives("Deck", "See attached", to=["a@x.example"])
    message.attach("deck.pdf", b"%PDF-1.7", "application/pdf")

    with pytest.raises(ValueError, match=r"^The outbox does not carry attachments; link to"):
        message.send()
    assert OutgoingEmail.objects.count() == 0
