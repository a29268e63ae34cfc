"""Helpers for the few reads and writes written in SQL by hand: only on paths measured to be hot
(autosave), where building and compiling the ORM's querysets cost more than the queries."""

import functools

from django.db import connection


def from_columns(model, fields, values):
    """An instance of `model` from a raw row's `values` for its `fields` (model fields, in
    order), converted as the ORM converts them (SQLite's text datetimes made aware, JSON
    decoded, …); fields not given are deferred."""
    names, positions = _model_order(model, tuple(fields))
    converted = [from_column(fields[position], values[position]) for position in positions]
    return model.from_db(connection.alias, names, converted)


@functools.cache
def _model_order(model, fields: tuple) -> tuple[list, list]:
    """The attnames of `fields` in the model's field order (the order from_db() takes values
    in, whatever order the columns came in), and where each is among `fields`."""
    where = {field.attname: position for position, field in enumerate(fields)}
    names = [field.attname for field in model._meta.concrete_fields if field.attname in where]
    return names, [where[name] for name in names]


def from_column(field, value):
    """A raw value of `field`'s column as the ORM would give it."""
    column, converters = _converters(field, connection.vendor)
    for converter in converters:
        value = converter(value, column, connection)
    return value


@functools.cache
def _converters(field, vendor: str) -> tuple:
    """The column expression and converters of `field` on this kind of database, as the
    compiler would find them: found once, not for each value of each row."""
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


def select_columns(alias: str, model) -> tuple[str, list]:
    """The select list of every column of `model` under `alias`, and its fields in that order:
    what select_related() reads of a model."""
    fields = list(model._meta.concrete_fields)
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in fields), fields


def instances_from_row(row, *groups) -> list:
    """One instance per (model, fields) group, each from the next len(fields) values of `row`;
    None for a group whose primary key is NULL (an outer join that found nothing)."""
    instances, start = [], 0
    for model, fields in groups:
        values = row[start : start + len(fields)]
        start += len(fields)
        if values[fields.index(model._meta.pk)] is None:
            instances.append(None)
        else:
            instances.append(from_columns(model, fields, values))
    return instances
