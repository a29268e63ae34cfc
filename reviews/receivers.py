"""What reviews do when the applications app says something changed."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from applications.enums import ApplicationStatus
from applications.signals import screened_out, status_changed

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
