"""Keeping staff search up to date: every service that changes what it matches calls these."""

from collections.abc import Iterable

from ..models import Application, Startup
from ..search import search_text_for
from ..selectors import latest_submissions

# SQLite refuses an IN (…) of several thousand ids in one statement.
REFRESH_BATCH_SIZE = 500


def application_search_refresh(*, application_ids: Iterable[int]) -> None:
    """Recompute the search text of these applications from their startup, its members and
    their latest submitted version. Side effects: writes `Application.search_text` only."""
    ids = list(application_ids)
    for start in range(0, len(ids), REFRESH_BATCH_SIZE):
        _refresh(ids[start : start + REFRESH_BATCH_SIZE])


def _refresh(application_ids: list[int]) -> None:
    applications = Application.objects.filter(pk__in=application_ids)
    submissions = latest_submissions(applications)
    changed = []
    for application in applications.select_related("startup").prefetch_related(
        "startup__memberships__user"
    ):
        text = search_text_for(application, submissions.get(application.pk))
        if text != application.search_text:
            application.search_text = text
            changed.append(application)
    Application.objects.bulk_update(changed, ["search_text"])


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
