"""Celery tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="applications.apply_retention")
def task_apply_retention() -> None:
    services.retention_apply()
