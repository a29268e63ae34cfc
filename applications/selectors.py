"""Reads shared by the applicant pages. Every query starts from the user: what is not theirs
does not exist for them."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from cohorts.enums import Phase

from .enums import INTERNAL_STATUSES, ApplicantStatus, ApplicationStatus
from .models import Application, ApplicationEvent, Membership, Startup


def startups_of(user) -> QuerySet[Startup]:
    return Startup.objects.filter(memberships__user=user)


def applications_of(user) -> QuerySet[Application]:
    return Application.objects.filter(startup__memberships__user=user).select_related(
        "startup", "cohort__program"
    )


def dashboard_memberships(user) -> list[Membership]:
    """The user's startups, each with its applications (cohort, program, events), in a fixed
    number of queries."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("startup")
        .prefetch_related(
            Prefetch(
                "startup__applications",
                queryset=Application.objects.select_related("cohort__program").prefetch_related(
                    Prefetch("events", queryset=ApplicationEvent.objects.select_related("actor"))
                ),
            )
        )
    )


def applicant_status(application: Application, now: datetime | None = None) -> ApplicantStatus:
    """What the applicant is told: decisions in the making read "under review"."""
    now = now or timezone.now()
    status = application.status
    if status == ApplicationStatus.WITHDRAWN:
        return ApplicantStatus.WITHDRAWN
    if status == ApplicationStatus.DRAFT:
        if application.cohort.accepts_submissions(now):
            return ApplicantStatus.DRAFT
        return ApplicantStatus.NOT_SUBMITTED
    if status in INTERNAL_STATUSES or application.cohort.phase(now) != Phase.OPEN:
        return ApplicantStatus.UNDER_REVIEW
    return ApplicantStatus.SUBMITTED
