"""The emails part of a person's data, for accounts' export (its deletion is
`services.recipient_emails_erase`).

Emails are the user's by their recipient, never by their address: an address can change hands
(changed by one user, then signed up with by another), and its new owner must not see or erase
what was sent to the previous one.
"""

from datetime import datetime

from .models import OutgoingEmail, Unsubscription


def iso(moment: datetime | None) -> str | None:
    """A moment as data exports write it."""
    return moment.isoformat() if moment else None


def recipient_emails_export(user) -> dict:
    """{"emails": [...], "reminders_turned_off": [...]}: the emails sent to the user, oldest
    first, without the body of one carrying a code or link; the kinds of reminder they turned
    off."""
    emails = OutgoingEmail.objects.filter(recipient=user).order_by("created_at", "pk")
    return {
        "emails": [
            {
                "kind": email.kind,
                "to": email.to_address,
                "subject": email.subject,
                "state": email.state,
                "created_at": iso(email.created_at),
                "sent_at": iso(email.sent_at),
                # A code or link still waiting to be sent is for the mailbox, not an export.
                "text": "" if email.carries_secret else email.body_text,
            }
            for email in emails
        ],
        "reminders_turned_off": sorted(
            Unsubscription.objects.filter(user=user).values_list("kind", flat=True)
        ),
    }
