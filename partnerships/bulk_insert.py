"""Writing many new rows of a model, with their "created" history rows, at once.

On PostgreSQL the ids come from the table's own sequence first, so callers can
refer to the new rows before they exist, and rows and history rows are sent with
``COPY``. Elsewhere (SQLite) the same rows go through ``bulk_create_with_history``.
Rows are dicts of field values (attnames) the caller has already validated; every
other field takes its default. No signals are sent, as with ``bulk_create``.
"""

from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

HISTORY_COLUMNS = (
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


def reserve_ids(model, count):
    """``count`` new primary keys for ``model`` (PostgreSQL), in ascending order."""
    if not count:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s) ORDER BY 1",
            [connection.ops.quote_name(table), column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def defaults(model, now):
    """``{attname: value}`` a new row takes for the fields it is not given."""
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values[field.attname] = now
        else:
            values[field.attname] = field.get_default()
    return values


def copy(table, columns, rows):
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
        ) as out,
    ):
        for row in rows:
            out.write_row(row)


def create_with_history(model, rows, ids=None, user=None, batch_size=500):
    """Insert ``rows`` and a "+" history row each; return the new primary keys.

    On PostgreSQL ``ids`` are the keys from ``reserve_ids`` (reserved here if not
    given); elsewhere they are assigned by the database.
    """
    if not rows:
        return []
    now = timezone.now()
    base = defaults(model, now)
    if connection.vendor != "postgresql":
        objects = [model(**{**base, **row}) for row in rows]
        created = bulk_create_with_history(
            objects, model, batch_size=batch_size, default_user=user
        )
        return [obj.pk for obj in created]
    ids = ids if ids is not None else reserve_ids(model, len(rows))
    names = list(base)
    columns = [model._meta.get_field(name).column for name in names]
    values = [[row.get(name, base[name]) for name in names] for row in rows]
    pk = model._meta.pk.column
    copy(
        model._meta.db_table,
        [pk, *columns],
        ([id_, *row] for id_, row in zip(ids, values, strict=True)),
    )
    history = model.history.model
    tracked = {field.attname for field in history.tracked_fields}
    # The history table has the model's own columns (the key as a plain column).
    kept = [index for index, name in enumerate(names) if name in tracked]
    user_id = user.pk if user is not None else None
    copy(
        history._meta.db_table,
        [pk, *(columns[index] for index in kept), *HISTORY_COLUMNS],
        (
            [id_, *(row[index] for index in kept), now, None, "+", user_id]
            for id_, row in zip(ids, values, strict=True)
        ),
    )
    return ids
