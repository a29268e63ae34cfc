"""Django's mail API writes to the outbox, so even Django's own emails (error reports to
ADMINS, `sendtestemail`) are rows first and go out through the worker."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from .models import EmailKind
from .services import email_queue


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        count = 0
        for message in email_messages:
            if message.attachments:
                raise ValueError("The outbox does not carry attachments; link to the file.")
            body_html = next(
                (
                    content
                    for content, mimetype in getattr(message, "alternatives", [])
                    if mimetype == "text/html"
                ),
                "",
            )
            for address in message.recipients():
                email_queue(
                    kind=EmailKind.GENERIC,
                    to_address=address,
                    from_address=message.from_email,
                    subject=str(message.subject),
                    body_text=message.body,
                    body_html=body_html,
                )
            count += 1
        return count
