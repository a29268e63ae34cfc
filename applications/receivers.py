"""Receivers for what other apps change: a person's name or email feeds staff search; a
required question added to a cohort tells the startups that submitted without it."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save
from django.dispatch import receiver

from cohorts.models import Question

from . import services

SEARCHED_USER_FIELDS = {"full_name", "email"}


@receiver(post_save, sender=get_user_model(), dispatch_uid="applications_user_search")
def refresh_search_after_user_change(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields is not None and not SEARCHED_USER_FIELDS & set(update_fields)):
        return  # a new user is in no team yet; a login touches last_login only
    services.user_search_refresh(user=instance)


@receiver(post_save, sender=Question, dispatch_uid="applications_required_question")
def tell_startups_about_a_required_question(sender, instance, raw=False, **kwargs):
    # Staff add or edit questions in the admin (cohorts), which knows nothing of applications.
    if not raw:
        services.required_question_notify(question=instance)
