"""docker-compose.yml, read as data (no Docker engine runs here): the five services, their
wiring and their healthchecks."""

from pathlib import Path

import pytest
import yaml

COMPOSE = yaml.safe_load((Path(__file__).parent.parent / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ["web", "worker", "beat"]


def test_the_five_services_are_there():
    assert sorted(SERVICES) == ["beat", "postgres", "redis", "web", "worker"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_share_one_image_and_environment(name):
    service = SERVICES[name]

    assert service["image"] == "accelerator:latest"
    assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "accelerator.settings.production"
    assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert service["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"


@pytest.mark.parametrize(
    ("name", "needs"),
    [
        ("web", {"postgres", "redis"}),
        ("worker", {"postgres", "redis", "web"}),
        ("beat", {"redis", "web"}),
    ],
)
def test_app_services_wait_for_healthy_dependencies(name, needs):
    depends_on = SERVICES[name]["depends_on"]

    assert set(depends_on) == needs
    assert {entry["condition"] for entry in depends_on.values()} == {"service_healthy"}


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_every_service_has_a_healthcheck(name):
    healthcheck = SERVICES[name]["healthcheck"]

    assert healthcheck["test"][0] in {"CMD", "CMD-SHELL"}
    assert healthcheck["interval"]
    assert healthcheck["retries"] >= 3


def test_web_migrates_and_collects_static_files_before_serving_with_gunicorn():
    command = SERVICES["web"]["command"]

    assert command.index("migrate") < command.index("collectstatic") < command.index("gunicorn")
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_processes_are_apart_and_data_lives_in_volumes():
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "accelerator", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "accelerator", "beat"]
    assert SERVICES["postgres"]["volumes"] == ["postgres-data:/var/lib/postgresql/data"]
    assert SERVICES["web"]["volumes"] == ["uploads:/app/var/media"]
    assert set(COMPOSE["volumes"]) == {"postgres-data", "redis-data", "uploads"}
