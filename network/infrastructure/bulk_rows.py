"""Multi-row INSERTs and UPDATEs for large imports: bulk_create's result without its cost.

At 10k rows, bulk_create spends most of its time building a model instance per row and
preparing every value of every column one by one (get_db_prep_save). Here rows are plain dicts,
columns a row leaves out get the field's default once, and only the field types that need it
are prepared per value. PostgreSQL receives the rows through COPY; SQLite, in-process, runs one
prepared statement over every row (executemany).

No model method, signal or validation runs: callers validate first and fill derived columns.
"""

from collections.abc import Hashable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

# Field types whose Python values (str, int, float, bool, None) both databases take unchanged.
_PASS_THROUGH_TYPES = {
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}
BATCH_SIZE = 5000


def insert_rows(
    model: type[Model], rows: Sequence[dict[str, Any]], *, key: str | None = None
) -> dict[Hashable, int]:
    """INSERT rows given as {attname: value} (every row the same keys); return {key value: pk}.

    Columns the rows leave out get their field's default (auto_now fields: now), computed once:
    a field whose default must differ per row (uuid4) has to be given in the rows.
    With `key` (a unique column the rows give), the new primary keys are returned by it.
    """
    if not rows:
        return {}
    given = list(rows[0])
    template = model()
    fields, constants = [], {}
    for model_field in model._meta.concrete_fields:
        if model_field.attname not in given:
            if model_field.primary_key:
                continue  # the database numbers the rows
            constants[model_field.attname] = model_field.get_db_prep_save(
                model_field.pre_save(template, add=True), connection
            )
        fields.append(model_field)
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(model_field.column) for model_field in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            columns = [
                [constants[model_field.attname]] * len(batch)
                if model_field.attname in constants
                else _column(model_field, batch)
                for model_field in fields
            ]
            if connection.vendor == "postgresql":
                # COPY: psycopg streams the rows with its C dumpers, where an INSERT's
                # thousands of parameters (or arrays) would be quoted one by one in Python.
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for values in zip(*columns, strict=True):
                        copy.write_row(values)
            else:
                # SQLite runs in-process: executemany of one prepared INSERT is its fastest path.
                placeholders = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"
                cursor.executemany(sql, list(zip(*columns, strict=True)))
        if not key:
            return {}
        # New primary keys by the unique key (neither COPY nor executemany return them).
        keys: dict[Hashable, int] = {}
        key_column = quote(model._meta.get_field(key).column)
        pk_column = quote(model._meta.pk.column)
        values = [row[key] for row in rows]
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT {key_column}, {pk_column} FROM {table} WHERE {key_column} = ANY(%s)",
                [values],
            )
            keys.update(cursor.fetchall())
        else:
            step = connection.features.max_query_params or BATCH_SIZE
            for start in range(0, len(values), step):
                chunk = values[start : start + step]
                cursor.execute(
                    f"SELECT {key_column}, {pk_column} FROM {table} "
                    f"WHERE {key_column} IN ({', '.join(['%s'] * len(chunk))})",
                    chunk,
                )
                keys.update(cursor.fetchall())
    return keys


def update_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE rows given as {attname: value}, each with its primary key (every row the same keys).

    PostgreSQL: COPY into a temporary table, then one UPDATE joined on the primary key.
    """
    if not rows:
        return
    pk = model._meta.pk
    fields = [
        pk,
        *(
            model_field
            for model_field in model._meta.concrete_fields
            if model_field.attname in rows[0] and not model_field.primary_key
        ),
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    assignments = ", ".join(f"{quote(model_field.column)} = %s" for model_field in fields[1:])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start : start + BATCH_SIZE]
            columns = [_column(model_field, batch) for model_field in fields]
            if connection.vendor == "postgresql":
                names = ", ".join(quote(model_field.column) for model_field in fields)
                cursor.execute(
                    f"CREATE TEMPORARY TABLE bulk_rows_update ON COMMIT DROP AS "
                    f"SELECT {names} FROM {table} WITH NO DATA"
                )
                with cursor.cursor.copy(f"COPY bulk_rows_update ({names}) FROM STDIN") as copy:
                    for values in zip(*columns, strict=True):
                        copy.write_row(values)
                changes = ", ".join(
                    f"{quote(f.column)} = bulk_rows_update.{quote(f.column)}" for f in fields[1:]
                )
                cursor.execute(
                    f"UPDATE {table} SET {changes} FROM bulk_rows_update "
                    f"WHERE {table}.{quote(pk.column)} = bulk_rows_update.{quote(pk.column)}"
                )
                cursor.execute("DROP TABLE bulk_rows_update")
            else:
                values = list(zip(*columns[1:], columns[0], strict=True))
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {quote(pk.column)} = %s", values
                )


def _column(model_field, rows: Sequence[dict[str, Any]]) -> list:
    """One column's values, prepared for the database only where the field type needs it."""
    name = model_field.attname
    if model_field.get_internal_type() in _PASS_THROUGH_TYPES or model_field.primary_key:
        return [row[name] for row in rows]
    return [model_field.get_db_prep_save(row[name], connection) for row in rows]
