"""Celery tasks: ids in, one service call, safe to run twice."""

from celery import shared_task
from celery.signals import worker_ready

from . import services


@shared_task(name=services.DELIVER_EMAIL_TASK)
def task_deliver_email(email_id: int) -> None:
    services.email_deliver(email_id=email_id)


@shared_task(name=services.SWEEP_OUTBOX_TASK)
def task_sweep_outbox() -> None:
    services.outbox_sweep()


@shared_task(name=services.WORKER_HEARTBEAT_TASK)
def task_record_worker_heartbeat() -> None:
    services.worker_heartbeat_record()


@worker_ready.connect
def _heartbeat_when_ready(**kwargs) -> None:
    # So /healthz says ok as soon as a worker runs, not at beat's next minute.
    services.worker_heartbeat_record()


@shared_task(name="notifications.sweep_reminders")
def task_sweep_reminders() -> None:
    from .reminders import reminders_sweep

    reminders_sweep()
