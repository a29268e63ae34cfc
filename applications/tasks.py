"""Celery tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="applications.deliver_email")
def task_deliver_email(email_id: int) -> None:
    services.email_deliver(email_id=email_id)


@shared_task(name="applications.sweep_outbox")
def task_sweep_outbox() -> None:
    services.outbox_sweep()


@shared_task(name="applications.apply_retention")
def task_apply_retention() -> None:
    services.retention_apply()
