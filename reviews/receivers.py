"""What reviews do when the applications app says something changed."""

from allauth.account.models import EmailAddress
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from applications.enums import ApplicationStatus
from applications.models import Invitation, Membership
from applications.signals import (
    application_anonymised,
    application_submitted,
    named_conflicts_changed,
    screened_out,
    status_changed,
)

from . import services
from .enums import AssignmentEnd
from .selectors import cohorts_reviewed_by

REVIEWER_SESSION_KEY = "reviewer"


@receiver(status_changed, dispatch_uid="reviews_withdrawn_application")
def end_assignments_of_a_withdrawn_application(sender, application, to_status, **kwargs):
    if to_status == ApplicationStatus.WITHDRAWN:
        services.application_assignments_end(
            application=application, reason=AssignmentEnd.WITHDRAWN
        )


@receiver(screened_out, dispatch_uid="reviews_screened_out_application")
def end_assignments_of_a_screened_out_application(sender, application, **kwargs):
    services.application_assignments_end(application=application, reason=AssignmentEnd.SCREENED_OUT)


@receiver(user_logged_in, dispatch_uid="reviews_remember_reviewer_role")
def remember_reviewer_role(sender, request, user, **kwargs):
    """The header offers "My reviews" to reviewers: known once per login, not asked again on
    every page."""
    if request is not None and hasattr(request, "session"):
        request.session[REVIEWER_SESSION_KEY] = bool(cohorts_reviewed_by(user))


@receiver(application_submitted, dispatch_uid="reviews_conflicts_at_submission")
@receiver(named_conflicts_changed, dispatch_uid="reviews_conflicts_named")
def find_conflicts_of_an_application(sender, application, **kwargs):
    services.conflicts_refresh_application(application=application)


@receiver(post_save, sender=Membership, dispatch_uid="reviews_conflicts_member")
@receiver(post_save, sender=Invitation, dispatch_uid="reviews_conflicts_invitee")
def find_conflicts_of_a_new_member(sender, instance, created, raw=False, **kwargs):
    """A founder who joins (or is invited) after the application was submitted is in
    conflict with it all the same."""
    if not created or raw:
        return
    for application in instance.startup.applications.filter(
        status__in=services.REVIEWABLE_STATUSES
    ).select_related("cohort"):
        services.conflicts_refresh_application(application=application)


@receiver(application_anonymised, dispatch_uid="reviews_conflicts_anonymised")
def forget_what_a_startup_named(sender, application, **kwargs):
    """The names and emails a startup gave go with its personal data; the conflicts stay."""
    services.conflicts_anonymise(application=application)


@receiver(post_save, sender=EmailAddress, dispatch_uid="reviews_conflicts_reclaimed")
def conflicts_of_a_returning_address(sender, instance, raw=False, **kwargs):
    """Someone who deleted their account and comes back with the same address, verified, is in
    the conflicts of interest they were in."""
    if instance.verified and not raw:
        services.conflicts_reclaim(user=instance.user, email=instance.email)
