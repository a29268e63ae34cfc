"""Writes of the accounts app."""

from django.db import transaction

from notifications.services import recipient_emails_erase

from .personal_data import personal_data_parts


@transaction.atomic
def account_delete(*, user) -> None:
    """Delete a user's account, in one transaction: each registered part erases or anonymises
    what its app holds about them (see `personal_data_register`); the emails sent to them lose
    their address and bodies; then the user row goes. Nothing of another user's is touched."""
    for part in personal_data_parts():
        part.delete(user)
    recipient_emails_erase(user=user)
    user.delete()


def user_language_set(*, user, language: str) -> None:
    """The language of the user's pages and emails. Side effects: none beyond the field."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
