"""What the ranking does when reviews or applications say something changed: ask for a fit
(the task keeps it to one a minute per cohort)."""

from django.dispatch import receiver

from applications.enums import ApplicantStatus, ApplicationStatus
from applications.registries import (
    applicant_feedback_providers,
    applicant_panels,
    applicant_status_providers,
)
from applications.signals import screened_in, screened_out, status_changed
from reviews.signals import scores_changed

from . import decisions, interviews, services
from .models import Decision


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


@receiver(status_changed, dispatch_uid="selection_withdrawal_drops_decision")
def drop_pending_decision_on_withdrawal(sender, application, to_status, **kwargs):
    if to_status == ApplicationStatus.WITHDRAWN:
        decisions.decision_drop_on_withdrawal(application=application)


@receiver(status_changed, dispatch_uid="selection_leaving_frees_the_interview")
def free_the_interview_slot(sender, application, to_status, actor, **kwargs):
    if to_status in interviews.LEFT_THE_SELECTION:
        interviews.interview_release(application=application, by=actor)


@receiver(status_changed, dispatch_uid="selection_status_change_voids_decision_emails")
def void_untrue_decision_emails(sender, application, from_status, to_status, **kwargs):
    # Only a published decision (winner, waitlisted, rejected) has emails; drafting them at
    # publication comes after the transitions, a promotion's after its own.
    if from_status in PUBLISHED:
        decisions.decision_emails_void(application=application, to_status=to_status)


PUBLISHED = {
    ApplicationStatus.WINNER: ApplicantStatus.SELECTED,
    ApplicationStatus.DECLINED: ApplicantStatus.DECLINED,
    ApplicationStatus.WAITLISTED: ApplicantStatus.WAITLISTED,
    ApplicationStatus.REJECTED: ApplicantStatus.NOT_SELECTED,
}


def published_applicant_status(application):
    """A published decision reads as itself (its status is only written at publication)."""
    if application.status in PUBLISHED and application.cohort.decisions_published_at:
        return PUBLISHED[application.status]
    return None


def published_feedback(application) -> str:
    if application.status not in PUBLISHED or not application.cohort.decisions_published_at:
        return ""
    decision = Decision.objects.filter(application=application, published_at__isnull=False)
    return decision.values_list("feedback", flat=True).first() or ""


applicant_status_providers.append(published_applicant_status)
applicant_feedback_providers.append(published_feedback)


def _offer_panel(application, request) -> str:
    from .offer_views import offer_panel

    return offer_panel(application, request)


applicant_panels.append(_offer_panel)
