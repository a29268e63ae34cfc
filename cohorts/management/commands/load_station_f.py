from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cohorts.services import station_f_load


class Command(BaseCommand):
    help = (
        "Create the AI Startup Program (2023 and 2024 cohorts), Meta's research community and "
        "their partners. Create-only: rows that exist are never changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Also a demo cohort open for 30 days and demo users (see README.md).",
        )

    def handle(self, *args, demo: bool = False, **options):
        if demo and not settings.DEMO_DATA_ALLOWED:
            raise CommandError("--demo is refused here: demo accounts have published passwords.")
        done = station_f_load(demo=demo)
        self.stdout.write("\n".join(f"Created {item}" for item in done) or "Nothing to create.")
