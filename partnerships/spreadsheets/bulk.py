"""Bulk inserts of new records and their audit history, for the bulk imports.

On PostgreSQL the rows go in by ``COPY`` (Django's ``bulk_create`` spends most of a
large import preparing values), with ids drawn from the sequence first where the
caller needs them, and their history rows are copied by the database itself from
the rows just written (``INSERT … SELECT``), as simple-history would write them.
Elsewhere, ``bulk_create``. Neither sends signals: callers invalidate the page
cache.
"""

from functools import partial
from operator import attrgetter

from django.conf import settings
from django.db import connection
from django.db.models import F, Lookup
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname
from simple_history.utils import bulk_create_with_history

from ..models import (
    LANGUAGE_CODES,
    localized_fields,
    reading_order,
    translated_fields,
)

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
    meta = model._meta
    relations = [field for field in meta.concrete_fields if field.many_to_one]
    for obj in objs:
        for field in relations:
            # A related record saved since it was assigned: take its new id.
            related = field.get_cached_value(obj, None)
            if related is not None and getattr(obj, field.attname) is None:
                if related.pk is None:
                    raise ValueError(
                        f"{model.__name__}.{field.name} is a record not saved yet."
                    )
                setattr(obj, field.attname, related.pk)
    if not copying():
        return model._default_manager.bulk_create(objs)
    for obj, pk in zip(objs, next_ids(model, len(objs)), strict=True):
        setattr(obj, meta.pk.attname, pk)
    fields = meta.concrete_fields
    now = timezone.now()
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # One moment for the whole import, as pre_save would give each.
            for obj in objs:
                setattr(obj, field.attname, now)
    read = values_reader(model, fields)
    copy_rows(model, fields, map(read, objs))
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def values_reader(model, fields):
    """A function giving a record's values of ``fields``, as a list.

    A translated field's own column (``title``, which modeltranslation keeps)
    holds its text in the language in use, or the first fallback that has one,
    as the field's descriptor gives it. The order is found once here: through
    the descriptor, each record asked for the language three times over.
    """
    texts = set(translated_fields(model))
    order = reading_order()
    readers = [
        partial(first_text, [build_localized_fieldname(f.name, c) for c in order])
        if f.name in texts
        else attrgetter(f.attname)
        for f in fields
    ]
    return lambda obj: [read(obj) for read in readers]


def first_text(columns, obj):
    for column in columns:
        value = getattr(obj, column)
        if value:
            return value
    return ""


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
    if not copying():
        rows = model.history.bulk_history_create(
            objs, update=update, default_user=user, default_change_reason=None
        )
        return {row.id: row.history_id for row in rows or ()}
    return copy_history(
        model, model._meta.pk.column, [obj.pk for obj in objs], user, update
    )


def copy_history(model, column, values, user=None, update=False):
    """A history row for each row of ``model`` whose ``column`` is in ``values``.

    PostgreSQL copies the rows as they are now into the history table, with what
    simple-history adds (date, user, type). Returns ``{record pk: history id}``.
    """
    if not values or not recording():
        return {}
    quote = connection.ops.quote_name
    history = model.history.model
    own = [field.column for field in model._meta.concrete_fields]
    added = history_values(user, "~" if update else "+")
    columns = ", ".join(map(quote, [*own, *added]))
    selected = ", ".join(quote(column) for column in own)
    pk = quote(model._meta.pk.column)
    with connection.cursor() as cursor:
        # Names from the models' own metadata, quoted; every value a parameter.
        cursor.execute(
            f"INSERT INTO {quote(history._meta.db_table)} ({columns}) "  # nosec B608
            f"SELECT {selected}, {', '.join(['%s'] * len(added))} "
            f"FROM {quote(model._meta.db_table)} WHERE {quote(column)} = ANY(%s) "
            f"RETURNING {pk}, {quote(history._meta.pk.column)}",
            [*added.values(), list(values)],
        )
        return dict(cursor.fetchall())


def history_values(user, history_type):
    """The columns a history row adds to the record's own, for rows written now."""
    return {
        "history_date": timezone.now(),
        "history_change_reason": None,
        "history_type": history_type,
        "history_user_id": user.pk if user is not None else None,
    }


def insert_rows(model, attnames, rows, ids=True):
    """New rows given as tuples in the order of ``attnames``; their new ids.

    Cheaper than instances for the many small rows (delegation members, links).
    Without ``ids`` the database numbers them and nothing is returned (PostgreSQL).
    """
    rows = list(rows)
    if not rows:
        return []
    if not copying():
        objs = model._default_manager.bulk_create(
            model(**dict(zip(attnames, row, strict=True))) for row in rows
        )
        return [obj.pk for obj in objs]
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[a] for a in attnames]
    if not ids:
        copy_rows(model, fields, rows)
        return []
    ids = next_ids(model, len(rows))
    pk = by_attname[model._meta.pk.attname]
    copy_rows(
        model, [pk, *fields], ((i, *row) for i, row in zip(ids, rows, strict=True))
    )
    return ids


def insert_children(model, attnames, rows, user=None, check=None):
    """New rows of a child model and their history; the first of ``attnames`` is
    the key of their parent, and every child of those parents is new.

    ``check(values)`` runs before each row is written, after the rows before it.
    """
    attnames, rows = in_languages(model, attnames, rows)
    batches = ([row] for row in rows) if check else [rows]
    for batch in batches:
        for row in batch if check else ():
            check(dict(zip(attnames, row, strict=True)))
        ids = insert_rows(model, attnames, batch, ids=not copying())
        if not copying():
            insert_history_rows(model, attnames, batch, ids, user)
    if copying():
        parent = model._meta.get_field(attnames[0].removesuffix("_id")).column
        copy_history(model, parent, sorted({row[0] for row in rows}), user)


def in_languages(model, attnames, rows):
    """Rows that give a translated text by its field give it per language too.

    The text is English, as every column of a file read today is; the other
    languages are empty (not NULL, which their columns refuse).
    """
    texts = translated_fields(model)
    translated = [i for i, a in enumerate(attnames) if a in texts]
    rows = list(rows)
    if not translated:
        return attnames, rows
    english = [code == "en" for code in LANGUAGE_CODES]
    extra = [column for i in translated for column in localized_fields(attnames[i])]
    rows = [
        (*row, *(row[i] if en else "" for i in translated for en in english))
        for row in rows
    ]
    return (*attnames, *extra), rows


def insert_history_rows(model, attnames, rows, ids, user=None):
    """The history rows of new rows written by ``insert_rows`` (not on
    PostgreSQL, where ``copy_history`` copies them)."""
    rows = list(rows)
    if not rows or not recording():
        return
    history = model.history.model
    pk = model._meta.pk.attname
    own = history_values(user, "+")
    history.objects.bulk_create(
        history(**own, **{pk: i}, **dict(zip(attnames, row, strict=True)))
        for i, row in zip(ids, rows, strict=True)
    )


def insert_history_m2m(model, history):
    """Each history row's many-to-many links, as simple-history snapshots them.

    ``history`` is ``{record pk: history row id}``; the links are the records'
    links as they are now. On PostgreSQL the database copies them itself.
    """
    if not history:  # history switched off
        return
    records = sorted(history)
    quote = connection.ops.quote_name
    for field in model.history.model._history_m2m_fields:
        through = field.remote_field.through
        source = f"{field.m2m_field_name()}_id"
        target = f"{field.m2m_reverse_field_name()}_id"
        snapshot = getattr(model.history.model, field.name).model
        if copying():
            columns = ", ".join(map(quote, ["id", source, target, "history_id"]))
            with connection.cursor() as cursor:
                # As in copy_history: quoted names from the models, values passed.
                cursor.execute(
                    f"INSERT INTO {quote(snapshot._meta.db_table)} ({columns}) "  # nosec B608
                    f"SELECT link.id, link.{quote(source)}, link.{quote(target)}, "
                    "record.history_id "
                    f"FROM {quote(through._meta.db_table)} AS link "
                    "JOIN unnest(%s::bigint[], %s::bigint[]) "
                    "AS record(pk, history_id) "
                    f"ON link.{quote(source)} = record.pk",
                    [records, [history[pk] for pk in records]],
                )
            continue
        links = []
        for linked in where_in(through.objects.all(), source, records):
            links.extend(linked.values_list("pk", source, target))
        insert_rows(
            snapshot,
            ["id", source, target, "history_id"],
            ((pk, record, other, history[record]) for pk, record, other in links),
        )


class AnyOf(Lookup):
    """``column = ANY(%s)``: a chunk's ids as one array parameter (PostgreSQL).

    ``IN (%s, %s, ...)`` with thousands of parameters costs more to build, send
    and plan than the query takes to run.
    """

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = self.process_lhs(compiler, connection)
        return f"{column} = ANY(%s)", [*params, list(self.rhs)]


def where_in(queryset, field, values):
    """``queryset`` where ``field`` is one of ``values``, as a few querysets.

    One query with the values as an array on PostgreSQL; elsewhere as many as
    the database's limit on parameters needs.
    """
    values = sorted(values)
    if copying():
        yield queryset.filter(AnyOf(F(field), values))
        return
    for part in chunks(values):
        yield queryset.filter(**{f"{field}__in": part})


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
    copy_history(model, model._meta.pk.column, ids, user)
    return ids
