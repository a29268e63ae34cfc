"""pytest: the real PostgreSQL and Redis that `make test` starts, named by DATABASE_URL and
CELERY_BROKER_URL; emails delivered to Django's test outbox unless a test names an SMTP server."""

from .base import *

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-any-deployment-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast, tests only
OUTBOX_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
STAFF_REQUIRE_MFA = True
