"""Django's mail API writes to the outbox, so even Django's own emails (error reports to
ADMINS, `sendtestemail`) are rows first and go out through the worker."""

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

from .services import email_queue_message


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: list[EmailMessage]) -> int:
        for message in email_messages:
            email_queue_message(message)
        return len(email_messages)
