"""Celery tasks: ids in, one service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name=services.DELIVER_EMAIL_TASK)
def task_deliver_email(email_id: int) -> None:
    services.email_deliver(email_id=email_id)


@shared_task(name=services.SWEEP_OUTBOX_TASK)
def task_sweep_outbox() -> None:
    services.outbox_sweep()
