"""Bulk inserts of new records and their audit history, for the bulk imports.

On PostgreSQL the rows go in by ``COPY`` with ids drawn from the sequence first
(Django's ``bulk_create`` spends most of a large import preparing values); elsewhere
by ``bulk_create``. Neither sends signals: callers invalidate the page cache.
"""

from django.conf import settings
from django.db import connection
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

# Field types whose Python values PostgreSQL's COPY takes as they are.
PLAIN = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def copying():
    return connection.vendor == "postgresql"


def recording():
    return getattr(settings, "SIMPLE_HISTORY_ENABLED", True)


def next_ids(model, count):
    """``count`` new primary keys from the table's sequence, in ascending order."""
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) "
            "FROM generate_series(1, %s) ORDER BY 1",
            [meta.db_table, meta.pk.column, count],
        )
        return [value for (value,) in cursor.fetchall()]


def copy_rows(model, fields, rows):
    """COPY ``rows`` (tuples, in the order of ``fields``) into the model's table."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    converters = [
        None
        if field.get_internal_type() in PLAIN
        else lambda value, field=field: field.get_db_prep_save(value, connection)
        for field in fields
    ]
    needs_converting = any(converters)
    sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            if needs_converting:
                row = [
                    value if convert is None else convert(value)
                    for convert, value in zip(converters, row, strict=True)
                ]
            copy.write_row(row)


def insert(model, objs):
    """Save new instances of ``model`` at once; they get their primary keys."""
    objs = list(objs)
    if not objs:
        return objs
    for obj in objs:
        # A related record saved since it was assigned: take its new id.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    if not copying():
        return model._default_manager.bulk_create(objs)
    meta = model._meta
    for obj, pk in zip(objs, next_ids(model, len(objs)), strict=True):
        setattr(obj, meta.pk.attname, pk)
    fields = meta.concrete_fields
    stamped = [
        field
        for field in fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add=True)
    attnames = [field.attname for field in fields]
    copy_rows(model, fields, ([getattr(obj, a) for a in attnames] for obj in objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def update(model, objs):
    """Save changed instances of ``model`` at once, every field but the key."""
    names = []
    for field in model._meta.concrete_fields:
        if field.primary_key or getattr(field, "auto_now_add", False):
            continue
        names.append(field.name)
        if getattr(field, "auto_now", False):
            # bulk_update does not call pre_save, which sets updated_at.
            for obj in objs:
                field.pre_save(obj, add=False)
    model._default_manager.bulk_update(objs, names)


def insert_history(model, objs, user=None, update=False):
    """One history row for each of ``objs``: ``{record pk: history row id}``."""
    objs = list(objs)
    if not objs or not recording():
        return {}
    history = model.history.model
    if not copying():
        rows = model.history.bulk_history_create(
            objs, update=update, default_user=user, default_change_reason=None
        )
        return {row.id: row.history_id for row in rows or ()}
    ids = next_ids(history, len(objs))
    own = history_values(user, "~" if update else "+")
    fields = history._meta.concrete_fields
    tracked = [field.attname for field in fields]
    position = tracked.index("history_id")
    rows = []
    for obj, history_id in zip(objs, ids, strict=True):
        row = [own[a] if a in own else getattr(obj, a, None) for a in tracked]
        row[position] = history_id
        rows.append(row)
    copy_rows(history, fields, rows)
    return {obj.pk: history_id for obj, history_id in zip(objs, ids, strict=True)}


def history_values(user, history_type):
    """The columns a history row adds to the record's own, for rows written now."""
    return {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }


def insert_rows(model, attnames, rows):
    """New rows given as tuples in the order of ``attnames``; their new ids.

    Cheaper than instances for the many small rows (delegation members, links).
    """
    rows = list(rows)
    if not rows:
        return []
    if not copying():
        objs = model._default_manager.bulk_create(
            model(**dict(zip(attnames, row, strict=True))) for row in rows
        )
        return [obj.pk for obj in objs]
    ids = next_ids(model, len(rows))
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    pk = model._meta.pk.attname
    fields = [by_attname[pk], *(by_attname[a] for a in attnames)]
    copy_rows(model, fields, ((i, *row) for i, row in zip(ids, rows, strict=True)))
    return ids


def insert_history_rows(model, attnames, rows, ids, user=None):
    """The history rows of new rows written by ``insert_rows``."""
    rows = list(rows)
    if not rows or not recording():
        return
    history = model.history.model
    pk = model._meta.pk.attname
    own = history_values(user, "+")
    if not copying():
        history.objects.bulk_create(
            history(**own, **{pk: i}, **dict(zip(attnames, row, strict=True)))
            for i, row in zip(ids, rows, strict=True)
        )
        return
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    where = {a: n for n, a in enumerate(attnames, start=1)}
    where[pk] = 0
    order = [where.get(f.attname) for f in fields]
    constants = [own.get(f.attname) for f in fields]
    copy_rows(
        history,
        fields,
        (
            [
                constant if n is None else full[n]
                for n, constant in zip(order, constants, strict=True)
            ]
            for full in ((i, *row) for i, row in zip(ids, rows, strict=True))
        ),
    )


def insert_history_m2m(model, history, new_links=None):
    """Each history row's many-to-many links, as simple-history snapshots them.

    ``history`` is ``{record pk: history row id}``. New records' links are the
    ones just written (``{field: [(id, record, other)]}``); otherwise they are read.
    """
    if not history:  # history switched off
        return
    records = sorted(history)
    for field in model.history.model._history_m2m_fields:
        through = field.remote_field.through
        source = f"{field.m2m_field_name()}_id"
        target = f"{field.m2m_reverse_field_name()}_id"
        if new_links is not None:
            links = list(new_links.get(field.name, ()))
        else:
            links = []
            for part in chunks(records):
                links.extend(
                    through.objects.filter(**{f"{source}__in": part}).values_list(
                        "pk", source, target
                    )
                )
        insert_rows(
            getattr(model.history.model, field.name).model,
            ["id", source, target, "history_id"],
            ((pk, record, other, history[record]) for pk, record, other in links),
        )


def chunks(values):
    """``values`` in lists short enough for one query's parameters."""
    size = connection.features.max_query_params or len(values) or 1
    for start in range(0, len(values), size):
        yield values[start : start + size]


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


def create_with_history(model, rows, user=None, batch_size=500):
    """New rows given as dicts of validated values, a "+" history row each; ids.

    Every field a row does not give takes its default. On PostgreSQL the ids come
    from the sequence first, so callers can refer to the new rows at once.
    """
    if not rows:
        return []
    base = defaults(model, timezone.now())
    if not copying():
        objs = [model(**{**base, **row}) for row in rows]
        if recording():
            objs = bulk_create_with_history(
                objs, model, batch_size=batch_size, default_user=user
            )
        else:
            objs = model._default_manager.bulk_create(objs, batch_size=batch_size)
        return [obj.pk for obj in objs]
    names = list(base)
    values = [[row.get(name, base[name]) for name in names] for row in rows]
    ids = insert_rows(model, names, values)
    insert_history_rows(model, names, values, ids, user=user)
    return ids
