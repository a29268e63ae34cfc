"""Median response times of the busiest pages on realistic data sizes."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "accelerator.settings.test")

import django

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROUNDS = 20


def timed(client: Client, url: str) -> float:
    durations = []
    for _round in range(ROUNDS):
        started = time.perf_counter()
        response = client.get(url)
        durations.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(durations) * 1000


def main() -> None:
    setup_test_environment()
    test_database = connection.creation.create_test_db(verbosity=0)
    try:
        from tests.factories import UserFactory
        from tests.factories.applications import StartupFactory, make_application, open_cohort
        from tests.factories.cohorts import CohortFactory, CohortPartnerFactory, ProgramFactory

        program = ProgramFactory(slug="ai-startup-program")
        for _index in range(50):
            CohortPartnerFactory.create_batch(4, cohort=CohortFactory(program=program))
        busy = open_cohort(program=program)
        for _index in range(1000):
            make_application(cohort=busy, startup=StartupFactory())
        manager = UserFactory(is_staff=True, is_superuser=True)
        TOTP.activate(manager, generate_totp_secret())
        client = Client()
        client.force_login(manager)
        results = {
            "home (50 cohorts)": timed(Client(), "/"),
            "cohort page": timed(Client(), busy.get_absolute_url()),
            "staff overview (1,000 applications)": timed(
                client, f"/admin/applications/application/?cohort__id__exact={busy.pk}"
            ),
        }
        for name, median in results.items():
            print(f"{name:40} median {median:7.1f} ms over {ROUNDS} requests")
    finally:
        connection.creation.destroy_test_db(test_database, verbosity=0)


if __name__ == "__main__":
    main()
