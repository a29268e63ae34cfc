"""docker-compose.yml, read as data (no Docker engine runs here): the six services, their
wiring and their healthchecks; .dockerignore and the Dockerfile's install."""

from pathlib import Path

import pytest
import yaml

COMPOSE = yaml.safe_load((Path(__file__).parent.parent / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
ROOT = Path(__file__).parent.parent
APP_SERVICES = ["migrate", "web", "worker", "beat"]
LONG_RUNNING = ["postgres", "redis", "web", "worker", "beat"]


def test_the_six_services_are_there():
    assert sorted(SERVICES) == ["beat", "migrate", "postgres", "redis", "web", "worker"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_one_image_and_environment(name):
    service = SERVICES[name]

    assert service["image"] == "accelerator:latest"
    assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "accelerator.settings.production"
    assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert service["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    # Production refuses to start without it; compose says so before anything starts.
    assert service["environment"]["SITE_URL"] == "${SITE_URL:?set SITE_URL in .env}"


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("migrate", {"postgres"}),
        ("web", {"postgres", "redis"}),
        ("worker", {"postgres", "redis", "web"}),
        ("beat", {"redis", "web"}),
    ],
)
def test_app_services_wait_for_healthy_dependencies_and_for_migrations(name, needs):
    depends_on = dict(SERVICES[name]["depends_on"])
    migrate = depends_on.pop("migrate", None)

    assert set(depends_on) == needs
    assert {entry["condition"] for entry in depends_on.values()} == {"service_healthy"}
    if name != "migrate":
        assert migrate == {"condition": "service_completed_successfully"}


def test_migrations_run_once_in_a_one_shot_service_not_at_each_web_start():
    migrate = SERVICES["migrate"]

    assert migrate["restart"] == "no"
    assert "manage.py migrate --noinput" in migrate["command"]
    assert "migrate" not in SERVICES["web"]["command"].replace("migrate:", "")
    assert migrate["healthcheck"] == {"disable": True}


@pytest.mark.parametrize("name", LONG_RUNNING)
def test_every_long_running_service_has_a_healthcheck(name):
    healthcheck = SERVICES[name]["healthcheck"]

    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert healthcheck["interval"]
    assert healthcheck["retries"] >= 3


def test_web_collects_static_files_before_serving_with_gunicorn():
    command = SERVICES["web"]["command"]

    assert command.index("collectstatic") < command.index("gunicorn")
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_processes_are_apart_and_data_lives_in_volumes():
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "accelerator", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "accelerator", "beat"]
    assert SERVICES["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert (
        SERVICES["web"]["volumes"]
        == SERVICES["worker"]["volumes"]
        == [
            "uploads:/app/var/media",
            "private-files:/app/var/private",
        ]
    )
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data", "uploads", "private-files"}


def test_the_image_context_leaves_out_secrets_state_and_the_virtualenv():
    ignored = (ROOT / ".dockerignore").read_text().split()

    assert {".env", "var/", ".venv/", ".git/"} <= set(ignored)


def test_the_image_installs_the_runtime_lock_only_and_checks_hashes():
    dockerfile = (ROOT / "Dockerfile").read_text()
    runtime = (ROOT / "requirements.lock").read_text()
    development = (ROOT / "requirements-dev.lock").read_text()

    assert "pip install --no-cache-dir --require-hashes -r requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile
    assert "pytest==" not in runtime
    assert "ruff==" not in runtime
    assert "pytest==" in development
    pins = [line for line in runtime.splitlines() if "==" in line and not line.startswith("#")]
    assert pins
    assert all(line.endswith("\\") for line in pins)
    assert all(pin.rstrip(" \\") in development for pin in pins)  # same versions in both


def test_web_worker_and_beat_connect_as_the_app_role_that_migrate_makes():
    """Only migrate owns the tables: the others may never truncate the decision record or
    disable its triggers (deploy/app_role.sql; tests/selection/test_record_chain.py)."""
    migrate = SERVICES["migrate"]
    command = migrate["command"]

    assert {
        name: SERVICES[name]["environment"]["DATABASE_URL"].split(":")[1]
        for name in APP_SERVICES
    } == {"migrate": "//accelerator", "web": "//accelerator_app",
          "worker": "//accelerator_app", "beat": "//accelerator_app"}  # fmt: skip
    assert migrate["environment"]["APP_DB_USER"] == "accelerator_app"
    assert command.index("migrate --noinput") < command.index("manage.py grant_app_role")
    assert (ROOT / "deploy" / "app_role.sql").is_file()
