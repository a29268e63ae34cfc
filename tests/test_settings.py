"""Production settings refuse what only suits a laptop, and pass Django's deployment checks."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "accelerator.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DATABASE_URL": "postgres://accelerator:secret@db.internal:5432/accelerator",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "ALLOWED_HOSTS": "apply.accelerator.example",
    "SITE_URL": "https://apply.accelerator.example",
    "DEBUG": "false",
}


def manage(*args: str, **env_changes: str | None) -> subprocess.CompletedProcess:
    # Neither the test run's DEBUG nor its async escape hatch (browser tests) is production's.
    unwanted = {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unwanted}
    env.update(PRODUCTION_ENV)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    env["VAR_DIR"] = env.get("VAR_DIR") or str(ROOT / "var")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_check_deploy_with_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("env_changes", "message"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set in production."),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set in production."),
        (
            {"DATABASE_URL": None},
            "DATABASE_URL must name PostgreSQL in production, not the embedded SQLite default.",
        ),
        (
            {"DATABASE_URL": "sqlite:////tmp/accelerator.sqlite3"},
            "DATABASE_URL must name PostgreSQL in production, not the embedded SQLite default.",
        ),
        (
            {"CELERY_BROKER_URL": None},
            "CELERY_BROKER_URL must name Redis in production, not the embedded filesystem broker.",
        ),
        ({"DEBUG": "true"}, "DEBUG must be off in production."),
        (
            {"SITE_URL": None},
            "SITE_URL must be set in production: the site's address (https://…), which the links "
            "of emails sent by the worker use.",
        ),
        (
            {"SITE_URL": "apply.accelerator.example"},
            "SITE_URL must be set in production: the site's address (https://…), which the links "
            "of emails sent by the worker use.",
        ),
    ],
    ids=["no-secret-key", "empty-secret-key", "no-database-url", "sqlite", "filesystem-broker",
         "debug", "no-site-url", "site-url-without-scheme"],
)  # fmt: skip
def test_production_settings_refuse_to_start(env_changes, message):
    result = manage("check", **env_changes)

    assert result.returncode == 1
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in result.stderr


def test_env_example_documents_every_variable_the_settings_read():
    read = set()
    for module in (ROOT / "accelerator" / "settings").glob("*.py"):
        read |= set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', module.read_text()))
    documented = set(re.findall(r"^(?:# )?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))

    assert read - documented == set()


def test_private_files_go_to_an_eu_bucket_when_one_is_named():
    script = (
        "import django; django.setup();"
        "from django.core.files.storage import storages;"
        "s = storages['private'];"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.region_name, s.default_acl,"
        " s.querystring_auth, s.file_overwrite)"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "accelerator.settings.test",
        "PRIVATE_STORAGE_BUCKET": "accelerator-decks",
        "PRIVATE_STORAGE_ACCESS_KEY": "SCWXXXXXXXXXXXXXXXXX",
        "PRIVATE_STORAGE_SECRET_KEY": "secret",
    }

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "S3Storage", "accelerator-decks", "https://s3.fr-par.scw.cloud", "fr-par", "private",
        "True", "False",
    ]  # fmt: skip


def test_the_filesystem_broker_keeps_its_exchange_tables_under_var(tmp_path):
    """kombu's filesystem transport writes its exchange tables to a "control" folder, by default
    in the working directory (the repository); they belong with the rest of its state."""
    script = (
        "import django; django.setup();"
        "from accelerator.celery import app;"
        "app.send_task('applications.sweep_outbox')"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "accelerator.settings.dev",
        "CELERY_BROKER_URL": "filesystem://",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path / "var"),
    }

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env | {"PYTHONPATH": str(ROOT)},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert sorted(path.name for path in (tmp_path / "var" / "broker" / "control").iterdir()) == [
        "celery.exchange"
    ]
    assert not (tmp_path / "control").exists()
