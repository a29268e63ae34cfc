"""Keeping staff search up to date: every service that changes what it matches calls these."""

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from ..models import Application, Startup, Submission
from ..search import search_text_for

# SQLite refuses an IN (…) of several thousand ids in one statement.
REFRESH_BATCH_SIZE = 500


def application_search_refresh(*, application_ids: Iterable[int]) -> None:
    """Recompute the search text of these applications from their startup, its members and
    their latest submitted version. Side effects: writes `Application.search_text` only."""
    ids = list(application_ids)
    for start in range(0, len(ids), REFRESH_BATCH_SIZE):
        _refresh(ids[start : start + REFRESH_BATCH_SIZE])


def _refresh(application_ids: list[int]) -> None:
    latest_submission = (
        Submission.objects.filter(application=OuterRef("pk")).order_by("-number").values("pk")[:1]
    )
    applications = list(
        Application.objects.filter(pk__in=application_ids)
        .select_related("startup")
        .prefetch_related("startup__memberships__user")
        .annotate(latest_submission_id=Subquery(latest_submission))
    )
    submissions = Submission.objects.in_bulk(
        [application.latest_submission_id for application in applications]
    )
    for application in applications:
        text = search_text_for(application, submissions.get(application.latest_submission_id))
        if text != application.search_text:
            Application.objects.filter(pk=application.pk).update(search_text=text)


def startup_search_refresh(*, startup: Startup) -> None:
    """After a change to a startup's name or team. Side effects: those of
    application_search_refresh for each of its applications."""
    application_search_refresh(
        application_ids=Application.objects.filter(startup=startup).values_list("pk", flat=True)
    )


def user_search_refresh(*, user) -> None:
    """After a change to a person's name or email: every application of their startups."""
    application_search_refresh(
        application_ids=Application.objects.filter(startup__memberships__user=user).values_list(
            "pk", flat=True
        )
    )
