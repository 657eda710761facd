"""The one export path: a resource's columns read as plain rows, streamed to a file.

django-import-export renders each cell through ``Field.export`` → ``get_value`` →
``widget.render`` on a model instance per row and per related record, about 100 µs
a cell. Here the same columns come from one ``values_list`` query (joins included)
read in chunks, plus one query per chunk for each list of related records
(delegation members, sectors, ...), and each column is a function over the chunk's
plain values that does what its widget's ``render`` does: each widget (and each
field that renders several paths or related rows) carries its own
``export_column``. A resource with a column that has none is exported the
library's way, by the same ``export_rows``. The admin, ``manage.py export``, the
public open data (``resources.opendata``), the benchmark and the tests all export
through here; ``tests/spreadsheets/test_exports.py`` checks that both ways give
the same cells.
"""

import itertools
from functools import partial

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import F, QuerySet, TextField, Value
from django.db.models.functions import Coalesce
from import_export.resources import ModelResource

from ..models import in_reader_language, translated_fields
from .bulk import AnyOf
from .writing import BOM, csv_lines, sized_rows, write_xlsx

# Rows read and rendered at a time: enough to amortise a query, few enough to keep
# memory flat. The period report reads its rows in chunks of the same size.
CHUNK_ROWS = 2000


class Unsupported(Exception):
    """A column the fast path cannot produce, so the old path exports the resource."""


class Memo(dict):
    """A function's results by argument, each computed once (labels, country names)."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value


def resolve(model, path):
    """The model field at the end of ``path`` (single-valued joins only)."""
    field = None
    for part in path.split("__"):
        if field is not None:
            if not (field.many_to_one or field.one_to_one):
                raise Unsupported(path)
            model = field.related_model
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            raise Unsupported(path) from None
    if field.is_relation and (field.many_to_many or field.one_to_many):
        raise Unsupported(path)
    if field.is_relation and part != field.attname:
        # A related record is rendered from its fields, never as its id.
        raise Unsupported(path)
    return field


class RelatedList:
    """One cell per record from its related records, one query per chunk."""

    def __init__(self, model, parent, paths, line, separator):
        self.model = model
        self.parent = parent
        self.paths = paths
        self.line = line
        self.separator = separator

    def read(self, pks, using):
        """``{record pk: cell}`` for the records of one chunk that have any."""
        found = {}
        related = self.model._default_manager.using(using)
        if connections[using].vendor == "postgresql":
            related = related.filter(AnyOf(F(self.parent), pks))
        else:
            related = related.filter(**{f"{self.parent}__in": pks})
        rows = reader_values(related, self.parent, *self.paths)
        line = self.line
        for parent, *values in rows:
            found.setdefault(parent, []).append(line(*values))
        return {pk: self.separator.join(lines) for pk, lines in found.items()}


class Plan:
    """A resource's export as one query, related lists and a function per column."""

    def __init__(self, resource, **kwargs):
        self.resource = resource
        self.model = resource._meta.model
        self.kwargs = kwargs
        self.native = bool(kwargs.get("force_native_type"))
        for method in ("export_resource", "export_field"):
            # A resource that renders its cells its own way keeps doing so.
            if getattr(type(resource), method) is not getattr(ModelResource, method):
                raise Unsupported(method)
        self.paths = ["pk"]
        self.texts = {}  # path: its expression, for translated texts
        self.lists = []
        fields_ = resource.get_export_fields()
        self.headers = [str(field.column_name) for field in fields_]
        self.columns = [self.column(field) for field in fields_]

    def column(self, field):
        """The function of one column: the field's, or its widget's, own."""
        method = field.get_dehydrate_method(self.resource.get_field_name(field))
        if callable(method) or hasattr(self.resource, method):
            # A dehydrate method renders the record its own way.
            raise Unsupported(field.column_name)
        if renders_itself(field, "export", "get_value"):
            return field.export_column(self)
        if not field.attribute or not renders_itself(field.widget, "render"):
            raise Unsupported(field.column_name)
        return field.widget.export_column(self, field.attribute)

    def index(self, path):
        """Where the values at ``path`` are in a chunk, selected once.

        A translated text is selected in the reader's language (with the
        fallback), as the record's own attribute reads it.
        """
        if path not in self.paths:
            text = text_expression(resolve(self.model, path), path)
            if text is not None:
                self.texts[path] = text
        return self.annotation(path)

    def annotation(self, name):
        """Where the values of the exported queryset's annotation ``name`` are."""
        if name not in self.paths:
            self.paths.append(name)
        return self.paths.index(name)

    def render(self, widget):
        """The widget's own ``render`` with this export's options."""
        return partial(widget.render, **self.kwargs)

    def related(self, model, parent, paths, line, separator):
        """The column of a list of related records (``parent`` leads to the record)."""
        self.lists.append(RelatedList(model, parent, paths, line, separator))
        found = len(self.lists) - 1

        def column(values, lists):
            return map(lists[found].get, values[0], itertools.repeat(""))

        return column

    def build(self, batch, lists):
        """The rows of one chunk of plain rows, given its related lists."""
        # Column by column, so that most cells cost a step of a comprehension or
        # of a map in C rather than a function call each.
        values = list(zip(*batch, strict=True))
        columns = [column(values, lists) for column in self.columns]
        if not columns:
            return [[] for _row in batch]
        # Rendered now, with the chunk: lazy maps would render their cells later,
        # while the caller goes through the rows, under whatever language is
        # active then.
        return list(map(list, zip(*columns, strict=True)))

    def rows(self, queryset, chunk=CHUNK_ROWS):
        """The rows of ``queryset``, in its order, a chunk at a time."""
        values = selected(queryset.prefetch_related(None), self.paths, self.texts)
        for batch in chunks(values, chunk):
            pks = [row[0] for row in batch]
            lists = [spec.read(pks, queryset.db) for spec in self.lists]
            yield from self.build(batch, lists)


def text_expression(field, path):
    """The SQL for the text at ``path`` (``field``, as ``resolve`` found it) in the
    reader's language, if it is a translated text; else None.

    The record's own text is "" where it has none, as its attribute reads; a
    related record's is NULL, which tells a record that is not there.
    """
    if field.name not in translated_fields(field.model):
        return None
    text = in_reader_language(path)
    if "__" in path:
        return text
    return Coalesce(text, Value(""), output_field=TextField())


def reader_values(queryset, *paths):
    """``values_list(*paths)``, translated texts in the reader's language."""
    texts = {}
    for path in paths:
        try:
            text = text_expression(resolve(queryset.model, path), path)
        except Unsupported:
            continue  # not a field's value ("pk"): selected as it is
        if text is not None:
            texts[path] = text
    return selected(queryset, paths, texts)


def selected(queryset, paths, texts):
    """``queryset.values_list(*paths)``, the ``texts`` ones by their expressions.

    Plain values: modeltranslation's own rewriting (a dict per row to apply its
    fallback) is turned off, since the expressions do that in the query.
    """
    if hasattr(queryset, "rewrite"):
        queryset = queryset.rewrite(False)
    aliases = {path: f"reader_text_{n}" for n, path in enumerate(texts)}
    queryset = queryset.annotate(**{aliases[p]: e for p, e in texts.items()})
    return queryset.values_list(*(aliases.get(path, path) for path in paths))


def chunks(queryset, size=CHUNK_ROWS):
    """The rows of ``queryset`` in lists of ``size``, read with a cursor."""
    rows = queryset.iterator(chunk_size=size)
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def renders_itself(obj, *renderers):
    """Whether ``obj`` has an ``export_column`` that renders as its ``renderers`` do.

    A subclass that renders its own way (a widget's ``render`` overridden) and
    inherits its parent's ``export_column`` would export its parent's cells.
    """
    mro = type(obj).__mro__
    column = next((k for k in mro if "export_column" in vars(k)), None)
    if column is None:
        return False
    return all(
        mro.index(column) <= mro.index(next(k for k in mro if name in vars(k)))
        for name in renderers
        if any(name in vars(k) for k in mro)
    )


def blank_none(found):
    """The column of the values at the index ``found``, an empty cell for None."""

    def column(values, lists):
        return ["" if v is None else v for v in values[found]]

    return column


def mapped(function, *found):
    """The column of ``function`` over the values at the indexes ``found``."""

    def column(values, lists):
        return map(function, *[values[index] for index in found])

    return column


# Exporting ------------------------------------------------------------------------


def export_rows(resource, queryset=None, **kwargs):
    """``(headers, rows)`` of the resource's export, the fast way where it can."""
    if queryset is None:
        queryset = resource.get_queryset()
    if isinstance(queryset, QuerySet):
        try:
            plan = Plan(resource, **kwargs)
        except Unsupported:
            pass
        else:
            chosen = resource.filter_export(queryset, **kwargs)
            if isinstance(chosen, QuerySet):
                return plan.headers, plan.rows(chosen)
    # The library's own export, a record at a time.
    dataset = resource.export(queryset, **kwargs)
    return list(dataset.headers), iter(dataset)


def export_xlsx(resource, out, queryset=None):
    """Write the export into the seekable binary file ``out``; the number of rows."""
    headers, rows = export_rows(resource, queryset, force_native_type=True)
    sizes, rows = sized_rows(headers, rows)
    # zip takes from ``rows`` first, so ``counted`` moves on once per row.
    counted = itertools.count()
    rows = (row for row, _number in zip(rows, counted, strict=False))
    write_xlsx([(resource.get_display_name(), headers, rows, sizes)], out)
    return next(counted)


def export_csv(resource, queryset=None, delimiter=","):
    """The CSV export as text, line by line, after a BOM so Excel reads UTF-8."""
    headers, rows = export_rows(resource, queryset)
    yield BOM
    yield from csv_lines(headers, rows, delimiter)


def csv_chunks(resource, queryset=None, lines=500, delimiter=","):
    """The CSV export as UTF-8 bytes, a few hundred lines at a time, for streaming."""
    text = export_csv(resource, queryset, delimiter)
    while batch := list(itertools.islice(text, lines)):
        yield "".join(batch).encode("utf-8")
