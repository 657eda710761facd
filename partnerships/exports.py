"""Fast exports: a resource's columns read as plain rows and streamed to CSV or XLSX.

django-import-export renders each cell through ``Field.export`` → ``get_value`` →
``widget.render`` on a model instance per row and per related record, about 100 µs
a cell. Here the same columns come from one ``values_list`` query (joins included)
read in chunks, plus one query per chunk for each list of related records
(delegation members, sectors, ...), and each column is an expression over the plain
row that does what its widget or dehydrate method does.

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

from . import resources
from .choices import DelegationRole, Direction, Side
from .models import (
    CollaborationParticipant,
    DelegationMember,
    InstitutionAlias,
    Signatory,
)
from .spreadsheets import csv_lines, sized_rows, write_xlsx


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
    """A resource's export as one query, related lists and a compiled row builder."""

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
        self.names = {}
        fields_ = resource.get_export_fields()
        self.headers = [str(field.column_name) for field in fields_]
        self.cells = [self.cell(field) for field in fields_]
        self.build = self.compile()

    def cell(self, field):
        """The expression of one column, from its dehydrate method or its widget."""
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

    def value(self, path):
        """``r[i]``: the value at ``path``, selected once."""
        if path not in self.paths:
            resolve(self.model, path)
            self.paths.append(path)
        return f"r[{self.paths.index(path)}]"

    def name(self, value):
        """A name the row expression can use for ``value``."""
        name = f"_{len(self.names)}"
        self.names[name] = value
        return name

    def render(self, widget):
        """The widget's own ``render`` with this export's options."""
        return partial(widget.render, **self.kwargs)

    def related(self, model, parent, paths, line, separator):
        """The cell of a list of related records (``parent`` leads to the record)."""
        self.lists.append(RelatedList(model, parent, paths, line, separator))
        return f'l{len(self.lists) - 1}.get(r[0], "")'

    def compile(self):
        # One list comprehension per chunk, the columns inlined: a function call
        # per cell would cost more than the rest of the row building together.
        lists = "".join(f", l{i}" for i in range(len(self.lists)))
        source = (
            f"def build(rows{lists}):\n"
            f"    return [[{', '.join(self.cells)}] for r in rows]\n"
        )
        # Only our own expressions go in: paths checked against the model, and
        # every other value passed by name.
        namespace = dict(self.names)
        exec(compile(source, f"<{self.model.__name__} export>", "exec"), namespace)
        return namespace["build"]

    def rows(self, queryset, chunk=resources.EXPORT_CHUNK):
        """The rows of ``queryset``, in its order, a chunk at a time."""
        values = (
            queryset.prefetch_related(None)
            .values_list(*self.paths)
            .iterator(chunk_size=chunk)
        )
        while batch := list(itertools.islice(values, chunk)):
            pks = [row[0] for row in batch]
            lists = [spec.read(pks, queryset.db) for spec in self.lists]
            yield from self.build(batch, *lists)


# Widget twins: (plan, widget, attribute) -> the column's expression ---------------


def text_cell(plan, widget, path):
    value = plan.value(path)
    render = plan.name(plan.render(widget))
    return f"({value} if {value}.__class__ is str else {render}({value}))"


def date_cell(plan, widget, path):
    value = plan.value(path)
    if plan.native:
        return f'("" if {value} is None else {value})'
    return f'("" if {value} is None else {value}.isoformat())'


def yes_no_cell(plan, widget, path):
    return f'("yes" if {plan.value(path)} else "no")'


def remembered_cell(plan, widget, path):
    """A widget's rendering of a few distinct values (choices, countries)."""
    return f"{plan.name(Memo(plan.render(widget)))}[{plan.value(path)}]"


def rendered_cell(plan, widget, path):
    return f"{plan.name(plan.render(widget))}({plan.value(path)})"


def record_cell(*fields):
    """A related record shown by one of its (required) text fields."""

    def cell(plan, widget, path):
        full = "__".join((path, *fields))
        if resolve(plan.model, full).null:
            raise Unsupported(full)
        value = plan.value(full)
        return f'("" if {value} is None else {value})'

    return cell


def visit_ref_cell(plan, widget, path):
    labels = Memo(resources.ChoiceWidget(Direction).render)
    return f"{plan.name(labels)}[{plan.value(path + '__direction')}]"


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
        resources.LIST_SEPARATOR,
    )


WIDGETS = {
    resources.TextWidget: text_cell,
    resources.IsoDateWidget: date_cell,
    resources.YesNoWidget: yes_no_cell,
    resources.ChoiceWidget: remembered_cell,
    resources.CountryWidget: remembered_cell,
    resources.IntegerWidget: rendered_cell,
    resources.DecimalWidget: rendered_cell,
    resources.CityWidget: record_cell("name"),
    resources.SectorWidget: record_cell("name"),
    resources.CollaborationRefWidget: record_cell("title"),
    resources.AgreementWidget: record_cell("home_party", "name"),
    resources.VisitRefWidget: visit_ref_cell,
    resources.SectorsWidget: names_cell,
    resources.FocusAreasWidget: names_cell,
}


# Dehydrate twins: plan -> the column's expression ----------------------------------


def role_labels():
    return Memo(lambda role: str(DelegationRole(role).label) if role else "")


def side_labels():
    return Memo(lambda side: str(Side(side).label))


def delegation(plan):
    roles = role_labels()

    def line(role, name, title):
        return resources.member_line(roles[role], name or "", title)

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
        return resources.signatory_line(sides[side], name or "", title)

    return plan.related(
        Signatory, "agreement", ("side", "person__name", "title_at_time"), line, "\n"
    )


def participants(plan):
    sides = side_labels()

    def line(side, institution, name, description, role):
        who = name if institution else description
        return resources.participant_line(sides[side], who, role)

    return plan.related(
        CollaborationParticipant,
        "collaboration",
        ("side", "institution_id", "institution__name", "description", "role"),
        line,
        "\n",
    )


def aliases(plan):
    return plan.related(
        InstitutionAlias, "institution", ("name",), str, resources.LIST_SEPARATOR
    )


def activity_partner(suffix, show):
    """The partner city of an activity (its collaboration's, else its visit's)."""

    def cell(plan):
        values = [
            plan.value("collaboration_id"),
            plan.value(f"collaboration__agreement__partner__{suffix}"),
            plan.value("visit_id"),
            plan.value(f"visit__partner_city__{suffix}"),
        ]
        return f"{plan.name(partial(partner_cell, show))}({', '.join(values)})"

    return cell


def partner_cell(show, collaboration, via_collaboration, visit, via_visit):
    if collaboration:
        return show(via_collaboration)
    if visit:
        return show(via_visit)
    return ""


DEHYDRATED = {
    resources.VisitResource.dehydrate_delegation: delegation,
    resources.AgreementResource.dehydrate_signatories: signatories,
    resources.CollaborationResource.dehydrate_participants: participants,
    resources.InstitutionResource.dehydrate_aliases: aliases,
    resources.ActivityResource.dehydrate_partner: activity_partner("name", str),
    resources.ActivityResource.dehydrate_partner_country: activity_partner(
        "country", resources.country_name
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
