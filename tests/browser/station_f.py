"""The Station F data for the browser tests: loaded once a session for each day, copied back.

Fifteen browser tests start from `station_f_load()`, 2 to 2.5 s of services and signals each.
The first test of the session that asks for it on a given day (the day in Paris, under the
test's own clock if it travels: the demo's dates are made from it) loads it and copies every
table into a schema of its own; the next ones, on the empty database the previous test's flush
left, copy those rows back in one transaction, content types included, and move each sequence
past them: about 0.1 s.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from cohorts.services import station_f_load
from tests.record_guard import past_the_truncate_guard

# Rebuilt by Django after every flush (post_migrate): present even in an "empty" database.
REMADE_AFTER_A_FLUSH = {"django_content_type", "auth_permission", "django_site"}

_copies: dict[tuple[bool, object], str] = {}


def station_f_loaded(*, demo: bool = True) -> None:
    """What `station_f_load(demo=demo)` makes today, from a copy when there is one."""
    if connection.vendor != "postgresql":
        station_f_load(demo=demo)
        return
    key = (demo, timezone.localdate())
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    copy = _copies.get(key)
    if copy is None:
        station_f_load(demo=demo)
        _copies[key] = _copy(tables, f"station_f_copy_{len(_copies)}")
        return
    if not _empty(tables):
        station_f_load(demo=demo)
        return
    with transaction.atomic(), connection.cursor() as cursor:
        truncate = "TRUNCATE " + ", ".join(f'public."{table}"' for table in tables)
        for statement in past_the_truncate_guard([truncate]):
            cursor.execute(statement)
        for table in tables:
            cursor.execute(f'INSERT INTO public."{table}" SELECT * FROM {copy}."{table}"')
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def _empty(tables: list[str]) -> bool:
    """Whether the test made no row of its own before asking (its rows would be lost)."""
    checked = [table for table in tables if table not in REMADE_AFTER_A_FLUSH]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + " OR ".join(f'EXISTS (SELECT 1 FROM public."{t}")' for t in checked)
        )
        return not cursor.fetchone()[0]


def _copy(tables: list[str], schema: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        cursor.execute(f"CREATE SCHEMA {schema}")
        for table in tables:
            cursor.execute(f'CREATE TABLE {schema}."{table}" AS TABLE public."{table}"')
    return schema
