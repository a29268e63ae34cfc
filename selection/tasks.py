"""Celery tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import offers, services


@shared_task(name=services.FIT_RANKING_TASK)
def task_fit_ranking(cohort_id: int) -> None:
    services.ranking_fit_when_allowed(cohort_id=cohort_id)


@shared_task(name="selection.expire_offers")
def task_expire_offers() -> None:
    """Beat, every minute: offers past their reply-by date expire and the waitlist moves."""
    offers.offers_expire()
