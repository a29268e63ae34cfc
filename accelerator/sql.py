"""Helpers for the few reads and writes written in SQL by hand: only on paths measured to be hot
(autosave), where building and compiling the ORM's querysets cost more than the queries."""

from django.db import connection


def from_columns(model, fields, values):
    """An instance of `model` from a raw row's `values` for its `fields` (model fields, in
    order), converted as the ORM converts them (SQLite's text datetimes made aware, JSON
    decoded, …); fields not given are deferred."""
    given = {
        field.attname: from_column(field, value)
        for field, value in zip(fields, values, strict=True)
    }
    # from_db() takes the values in the model's field order, whatever order they came in.
    ordered = [field.attname for field in model._meta.concrete_fields if field.attname in given]
    return model.from_db(connection.alias, ordered, [given[name] for name in ordered])


def from_column(field, value):
    """A raw value of `field`'s column as the ORM would give it."""
    column = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


def to_column(model, name: str, value):
    """`value` as the database stores `model`'s field `name` (JSON adapted, datetimes in the
    backend's form), for a raw UPDATE's parameters."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def placeholders(count: int) -> str:
    """ "%s, %s, …" for an IN list of `count` parameters."""
    return ", ".join(["%s"] * count)
