"""What reviews do when the applications app says something changed."""

from django.dispatch import receiver

from applications.enums import ApplicationStatus
from applications.signals import status_changed

from . import services
from .enums import AssignmentEnd


@receiver(status_changed, dispatch_uid="reviews_withdrawn_application")
def end_assignments_of_a_withdrawn_application(sender, application, to_status, **kwargs):
    if to_status == ApplicationStatus.WITHDRAWN:
        services.application_assignments_end(
            application=application, reason=AssignmentEnd.WITHDRAWN
        )
