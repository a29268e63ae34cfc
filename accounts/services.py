"""Writes of the accounts app."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from notifications.services import recipient_emails_erase

from .models import User
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


def account_stand_in(user) -> User:
    """The account that keeps, in a deleted user's place, what others rely on (reviews,
    conflicts of interest, interview scores): one per deleted account, made on first use by a
    part of its deletion, inactive, with no name, no password and an address that receives
    nothing. Rows moved to it keep every rule that joins on their user (a conflict still
    excludes its review)."""
    stand_in, _created = User.objects.get_or_create(
        email=f"deleted-user-{user.pk}@invalid.invalid",
        defaults={"is_active": False, "password": make_password(None)},
    )
    return stand_in


def user_language_set(*, user, language: str) -> None:
    """The language of the user's pages and emails. Side effects: none beyond the field."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
