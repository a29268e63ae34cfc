"""What the ranking does when reviews or applications say something changed: ask for a fit
(the task keeps it to one a minute per cohort)."""

from django.dispatch import receiver

from applications.enums import ApplicationStatus
from applications.signals import screened_in, screened_out, status_changed
from reviews.signals import scores_changed

from . import services


@receiver(scores_changed, dispatch_uid="selection_scores_changed")
def refit_after_a_review_change(sender, cohort_id, **kwargs):
    services.ranking_request(cohort_id=cohort_id)


@receiver(status_changed, dispatch_uid="selection_status_changed")
def refit_after_a_withdrawal(sender, application, from_status, to_status, **kwargs):
    # Withdrawn applications leave the ranking; a first submission enters it.
    if to_status == ApplicationStatus.WITHDRAWN or from_status == ApplicationStatus.DRAFT:
        services.ranking_request(cohort_id=application.cohort_id)


@receiver(screened_out, dispatch_uid="selection_screened_out")
@receiver(screened_in, dispatch_uid="selection_screened_in")
def refit_after_screening(sender, application, **kwargs):
    services.ranking_request(cohort_id=application.cohort_id)
