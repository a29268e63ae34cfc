"""The Celery app. Its configuration (broker, serialisation, beat schedule) is the CELERY_*
names of the Django settings, so the embedded default and Redis differ only by environment."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings.dev")

app = Celery("accelerator")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
