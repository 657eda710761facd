"""Fast exports: a resource's columns read as plain rows and streamed to CSV or XLSX.

django-import-export renders each cell through ``Field.export`` → ``get_value`` →
``widget.render`` on a model instance per row and per related record, about 100 µs
a cell. Here the same columns come from one ``values_list`` query (joins included)
read in chunks, plus one query per chunk for each list of related records
(delegation members, sectors, ...), and each column is a function over the chunk's
plain values, column by column, that does what its widget or dehydrate method does.

The resource stays the source of the columns, their names, order and rendering:
each widget and dehydrate method the resources use has a twin here, which handles
the common values inline and hands any other value to the widget's own ``render``.
A resource with a column that has no twin is exported the old way.
``tests/test_exports.py`` checks that both ways give the same cells.
"""

import itertools
from functools import partial

from django.core.exceptions import FieldDoesNotExist
from django.db import connections
from django.db.models import F, Lookup, QuerySet
from import_export.resources import ModelResource

from ..models import (
    CollaborationParticipant,
    DelegationMember,
    InstitutionAlias,
    Signatory,
)
from ..models.choices import DelegationRole, Direction, Side
from . import children, lookups, widgets
from .resources import (
    ActivityResource,
    AgreementResource,
    CollaborationResource,
    InstitutionResource,
    VisitResource,
)
from .resources.base import EXPORT_CHUNK
from .writing import csv_lines, sized_rows, write_xlsx


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
        rows = related.values_list(self.parent, *self.paths)
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
        self.lists = []
        fields_ = resource.get_export_fields()
        self.headers = [str(field.column_name) for field in fields_]
        self.columns = [self.column(field) for field in fields_]

    def column(self, field):
        """The function of one column, from its dehydrate method or its widget."""
        method = field.get_dehydrate_method(self.resource.get_field_name(field))
        if not callable(method):
            method = getattr(type(self.resource), method, None)
        if method is not None:
            twin = DEHYDRATED.get(method)
            if twin is None:
                raise Unsupported(field.column_name)
            return twin(self)
        twin = WIDGETS.get(type(field.widget))
        if twin is None or not field.attribute:
            raise Unsupported(field.column_name)
        return twin(self, field.widget, field.attribute)

    def index(self, path):
        """Where the values at ``path`` are in a chunk, selected once."""
        if path not in self.paths:
            resolve(self.model, path)
            self.paths.append(path)
        return self.paths.index(path)

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

    def rows(self, queryset, chunk=EXPORT_CHUNK):
        """The rows of ``queryset``, in its order, a chunk at a time."""
        values = (
            queryset.prefetch_related(None)
            .values_list(*self.paths)
            .iterator(chunk_size=chunk)
        )
        while batch := list(itertools.islice(values, chunk)):
            pks = [row[0] for row in batch]
            lists = [spec.read(pks, queryset.db) for spec in self.lists]
            yield from self.build(batch, lists)


# Widget twins: (plan, widget, attribute) -> the column's function -----------------
# A column's function takes the chunk's values by path and its related lists.


def text_cell(plan, widget, path):
    found, render = plan.index(path), plan.render(widget)

    def column(values, lists):
        texts = values[found]
        # Most text columns hold nothing else, which a set of types tells in C.
        if set(map(type, texts)) == {str}:
            return texts
        return [v if v.__class__ is str else render(v) for v in texts]

    return column


def date_cell(plan, widget, path):
    found = plan.index(path)
    if plan.native:
        return blank_none(found)

    def column(values, lists):
        return ["" if v is None else v.isoformat() for v in values[found]]

    return column


def blank_none(found):
    """The column of the values at the index ``found``, an empty cell for None."""

    def column(values, lists):
        return ["" if v is None else v for v in values[found]]

    return column


def yes_no_cell(plan, widget, path):
    found = plan.index(path)

    def column(values, lists):
        return ["yes" if v else "no" for v in values[found]]

    return column


def remembered_cell(plan, widget, path):
    """A widget's rendering of a few distinct values (choices, countries)."""
    return mapped(Memo(plan.render(widget)).__getitem__, plan.index(path))


def rendered_cell(plan, widget, path):
    return mapped(plan.render(widget), plan.index(path))


def mapped(function, *found):
    """The column of ``function`` over the values at the indexes ``found``."""

    def column(values, lists):
        return map(function, *[values[index] for index in found])

    return column


def record_cell(*fields):
    """A related record shown by one of its (required) text fields."""

    def cell(plan, widget, path):
        full = "__".join((path, *fields))
        if resolve(plan.model, full).null:
            raise Unsupported(full)
        return blank_none(plan.index(full))

    return cell


def visit_ref_cell(plan, widget, path):
    labels = Memo(widgets.ChoiceWidget(Direction).render)
    return mapped(labels.__getitem__, plan.index(path + "__direction"))


def names_cell(plan, widget, path):
    """A many-to-many field as the names of its records, in their order."""
    try:
        field = plan.model._meta.get_field(path)
    except FieldDoesNotExist:
        raise Unsupported(path) from None
    if not field.many_to_many or field.model is not plan.model:
        raise Unsupported(path)
    return plan.related(
        field.related_model,
        field.related_query_name(),
        ("name",),
        str,
        widgets.LIST_SEPARATOR,
    )


WIDGETS = {
    widgets.TextWidget: text_cell,
    widgets.IsoDateWidget: date_cell,
    widgets.YesNoWidget: yes_no_cell,
    widgets.ChoiceWidget: remembered_cell,
    widgets.CountryWidget: remembered_cell,
    widgets.IntegerWidget: rendered_cell,
    widgets.DecimalWidget: rendered_cell,
    widgets.CityWidget: record_cell("name"),
    widgets.SectorWidget: record_cell("name"),
    widgets.CollaborationRefWidget: record_cell("title"),
    widgets.AgreementWidget: record_cell("home_party", "name"),
    widgets.VisitRefWidget: visit_ref_cell,
    widgets.SectorsWidget: names_cell,
    widgets.FocusAreasWidget: names_cell,
}


# Dehydrate twins: plan -> the column's function -----------------------------------


def role_labels():
    return Memo(lambda role: str(DelegationRole(role).label) if role else "")


def side_labels():
    return Memo(lambda side: str(Side(side).label))


def delegation(plan):
    roles = role_labels()

    def line(role, name, title):
        return children.member_line(roles[role], name or "", title)

    return plan.related(
        DelegationMember,
        "visit",
        ("role", "person__name", "title_at_time"),
        line,
        "\n",
    )


def signatories(plan):
    sides = side_labels()

    def line(side, name, title):
        return children.signatory_line(sides[side], name or "", title)

    return plan.related(
        Signatory, "agreement", ("side", "person__name", "title_at_time"), line, "\n"
    )


def participants(plan):
    sides = side_labels()

    def line(side, institution, name, description, role):
        who = name if institution else description
        return children.participant_line(sides[side], who, role)

    return plan.related(
        CollaborationParticipant,
        "collaboration",
        ("side", "institution_id", "institution__name", "description", "role"),
        line,
        "\n",
    )


def aliases(plan):
    return plan.related(
        InstitutionAlias, "institution", ("name",), str, widgets.LIST_SEPARATOR
    )


def activity_partner(suffix, show):
    """The partner city of an activity (its collaboration's, else its visit's)."""

    def cell(plan):
        return mapped(
            partial(partner_cell, show),
            plan.index("collaboration_id"),
            plan.index(f"collaboration__agreement__partner__{suffix}"),
            plan.index("visit_id"),
            plan.index(f"visit__partner_city__{suffix}"),
        )

    return cell


def partner_cell(show, collaboration, via_collaboration, visit, via_visit):
    if collaboration:
        return show(via_collaboration)
    if visit:
        return show(via_visit)
    return ""


DEHYDRATED = {
    VisitResource.dehydrate_delegation: delegation,
    AgreementResource.dehydrate_signatories: signatories,
    CollaborationResource.dehydrate_participants: participants,
    InstitutionResource.dehydrate_aliases: aliases,
    ActivityResource.dehydrate_partner: activity_partner("name", str),
    ActivityResource.dehydrate_partner_country: activity_partner(
        "country", lookups.country_name
    ),
}


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
    return resource.export_rows(queryset, **kwargs)


def export_xlsx(resource, out, queryset=None):
    """Write the export into the seekable binary file ``out``; the number of rows."""
    headers, rows = export_rows(resource, queryset, force_native_type=True)
    widths, rows = sized_rows(headers, rows)
    # zip takes from ``rows`` first, so ``counted`` moves on once per row.
    counted = itertools.count()
    rows = (row for row, _number in zip(rows, counted, strict=False))
    write_xlsx([(resource.get_display_name(), headers, rows, widths)], out)
    return next(counted)


def export_csv(resource, queryset=None):
    """The CSV export as text, line by line, after a BOM so Excel reads UTF-8."""
    headers, rows = export_rows(resource, queryset)
    yield "\ufeff"
    yield from csv_lines(headers, rows)


def csv_chunks(resource, queryset=None, lines=500):
    """The CSV export as UTF-8 bytes, a few hundred lines at a time, for streaming."""
    text = export_csv(resource, queryset)
    while batch := list(itertools.islice(text, lines)):
        yield "".join(batch).encode("utf-8")
