"""Helpers for the few reads and writes written in SQL by hand: only on paths measured to be hot
(autosave, the reviewer's pages), where building and compiling the ORM's querysets cost more
than running the queries (bench/autosave_load.py, bench/review_pages.py)."""

import functools

from django.db import connection
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper


def prepared_cursor():
    """A cursor for these hand-written queries. On PostgreSQL it binds parameters on the
    server, so psycopg prepares each statement on a pooled connection after a few runs and
    PostgreSQL plans it once, not on every save: planning was most of the time PostgreSQL spent
    on autosave's lookup (the ORM's own cursors bind on the client, unprepared, as Django
    chooses by default; `prepare_threshold` in the database OPTIONS only reaches cursors like
    this one). Wrapped as Django wraps its cursors, so its query log and tests see the query."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    wrapper = _PreparedDebugWrapper if connection.queries_logged else CursorWrapper
    return wrapper(raw, connection)


class _PreparedDebugWrapper(CursorDebugWrapper):
    """Django's logging cursor, logging the statement as composed on the client: once psycopg
    has prepared it, the cursor no longer holds its text for Django to read back."""

    def execute(self, sql, params=None):
        with self.debug_sql(self.db.ops.compose_sql(sql, params), params):
            return CursorWrapper.execute(self, sql, params)


class Columns:
    """Some columns of one model in a hand-written select list, and how to make an instance
    from their values as the ORM would (SQLite's text datetimes made aware, JSON decoded, …).
    Built once per query shape: the per-row work is only the converters that apply."""

    def __init__(self, alias: str, model, names=None, leave_out=frozenset()):
        """Every column of `model` (what select_related() reads), or the fields in `names`,
        but those in `leave_out` (deferred on the instances)."""
        self.model = model
        self.fields = [
            field
            for field in model._meta.concrete_fields
            if (names is None or field.name in names) and field.name not in leave_out
        ]
        quote = connection.ops.quote_name
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)
        # from_db() takes values in the model's field order, which these follow.
        self.attnames = [field.attname for field in self.fields]
        self.pk_position = next(
            (position for position, field in enumerate(self.fields) if field.primary_key), None
        )
        self._converters = {}

    def __len__(self) -> int:
        return len(self.fields)

    def instance(self, values):
        """The instance these values (in this select list's order) stand for; None when its
        primary key is NULL (an outer join that found nothing)."""
        if self.pk_position is not None and values[self.pk_position] is None:
            return None
        converters = self._converters.get(connection.vendor)
        if converters is None:
            converters = self._converters[connection.vendor] = [
                (position, *_converters(field))
                for position, field in enumerate(self.fields)
                if _converters(field)[1]
            ]
        values = list(values)
        for position, column, field_converters in converters:
            for converter in field_converters:
                values[position] = converter(values[position], column, connection)
        return self.model.from_db(connection.alias, self.attnames, values)


def instances_from_row(row, *groups: Columns) -> list:
    """One instance (or None) per group of columns, each from the next values of `row`."""
    instances, start = [], 0
    for columns in groups:
        instances.append(columns.instance(row[start : start + len(columns)]))
        start += len(columns)
    return instances


def from_column(field, value):
    """A raw value of `field`'s column as the ORM would give it."""
    column, converters = _converters(field)
    for converter in converters:
        value = converter(value, column, connection)
    return value


def _converters(field) -> tuple:
    """The column expression and converters of `field` on this kind of database, as the
    compiler finds them."""
    return _converters_on(field, connection.vendor)


@functools.cache
def _converters_on(field, vendor: str) -> tuple:
    column = field.get_col(field.model._meta.db_table)
    return column, tuple(
        connection.ops.get_db_converters(column) + field.get_db_converters(connection)
    )


def to_column(model, name: str, value):
    """`value` as the database stores `model`'s field `name` (JSON adapted, datetimes in the
    backend's form), for a raw UPDATE's parameters."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def placeholders(count: int) -> str:
    """ "%s, %s, …" for an IN list of `count` parameters."""
    return ", ".join(["%s"] * count)
