"""Production: refuses to start on anything that only suits a laptop."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if not env.str("SITE_URL", default="").startswith(("https://", "http://")):
    # The worker writes reminders, decisions and offers without a request: their links use it.
    raise ImproperlyConfigured(
        "SITE_URL must be set in production: the site's address (https://…), which the links "
        "of emails sent by the worker use."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured(
        "DATABASE_URL must name PostgreSQL in production, not the embedded SQLite default."
    )
if CELERY_BROKER_URL.startswith("filesystem://"):
    raise ImproperlyConfigured(
        "CELERY_BROKER_URL must name Redis in production, not the embedded filesystem broker."
    )

DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"]["pool"] = env.bool("DATABASE_POOL", default=True)

STORAGES["staticfiles"] = {
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}

# SMTP by default; an anymail backend (e.g. anymail.backends.scaleway.EmailBackend) by env.
OUTBOX_EMAIL_BACKEND = env.str(
    "OUTBOX_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend"
)

STAFF_REQUIRE_MFA = True
DEMO_DATA_ALLOWED = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# /healthz is probed over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
