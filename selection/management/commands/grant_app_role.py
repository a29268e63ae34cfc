import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from selection.app_role import app_role_grant


class Command(BaseCommand):
    help = (
        "Create the role web, worker and beat connect as (APP_DB_USER, APP_DB_PASSWORD) and "
        "grant it what deploy/app_role.sql says: run by migrate, as the tables' owner."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role needs PostgreSQL (SQLite has no roles).")
        role = os.environ.get("APP_DB_USER", "accelerator_app")
        password = os.environ.get("APP_DB_PASSWORD") or None
        try:
            app_role_grant(role=role, password=password)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{role} may read and write the app's tables and only add records.")
