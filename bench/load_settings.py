"""Settings for bench/autosave_load.py: the app's own settings (`accelerator.settings.dev`, so
the environment still picks the database, DATABASE_POOL, VAR_DIR...), served as in production
(DEBUG off, quiet logs, the database options production adds), plus the bare reference view's
URLs (bench/load_urls.py). Only the benchmark uses this module."""

from accelerator.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.load_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# The simulated founders are not staff; no page they reach asks for two-factor authentication.
STAFF_REQUIRE_MFA = False
# As production.py: the pool's health checks (pool itself from DATABASE_POOL, as everywhere).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
LOGGING = LOGGING | {"root": LOGGING["root"] | {"level": "WARNING"}}  # noqa: F405
