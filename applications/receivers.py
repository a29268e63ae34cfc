"""Receivers for what other apps change: a person's name or email feeds staff search."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import services

SEARCHED_USER_FIELDS = {"full_name", "email"}


@receiver(post_save, sender=get_user_model(), dispatch_uid="applications_user_search")
def refresh_search_after_user_change(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not SEARCHED_USER_FIELDS & set(update_fields)):
        return  # a new user is in no team yet; a login touches last_login only
    services.user_search_refresh(user=instance)
