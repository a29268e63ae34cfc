"""The production role web, worker and beat connect as: deploy/app_role.sql, run by the
one-shot migrate as the tables' owner (`manage.py grant_app_role`)."""

import re
from pathlib import Path

from django.conf import settings
from django.db import connection
from psycopg import sql

GRANTS = Path(settings.BASE_DIR) / "deploy" / "app_role.sql"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def app_role_statements(role: str) -> list[str]:
    """deploy/app_role.sql's statements for `role` (its psql variable filled in)."""
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain role name (a-z, 0-9, _)")
    lines = [line for line in GRANTS.read_text().splitlines() if not line.startswith("--")]
    text = "\n".join(lines).replace(':"app_role"', f'"{role}"')
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def app_role_grant(*, role: str, password: str | None = None) -> None:
    """Create `role` if it does not exist (a login role with `password`, set again if given),
    then grant it what deploy/app_role.sql says, on the default database. Side effects: the
    role and its privileges. Run as the tables' owner (a role with CREATEROLE)."""
    statements = app_role_statements(role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{role}" LOGIN')
        if password is not None:
            literal = sql.quote(password, connection.connection)
            cursor.execute(f'ALTER ROLE "{role}" PASSWORD {literal}')
        for statement in statements:
            cursor.execute(statement)
