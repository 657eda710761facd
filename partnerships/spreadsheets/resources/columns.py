"""The columns of a list: what each model field is called and how it is read.

Declared once for every resource: a model field's widget follows from its type
(``WIDGETS_MAP``; a choice, a country, a related record by its natural key), its
readable name from ``COLUMNS`` and the resource's own ``columns``. A file's
headers are matched to these names in any site language.
"""

from django.db.models import QuerySet
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries.fields import CountryField
from import_export import resources, widgets

from ...models import (
    TRANSLATED_INTO,
    Agreement,
    City,
    Collaboration,
    FocusArea,
    Sector,
    Visit,
    localized_fields,
)
from ..exports import CHUNK_ROWS
from ..lookups import site_languages
from ..mapping import NeedsMapping, samples
from ..reading import SpreadsheetError
from ..record_widgets import (
    AgreementWidget,
    CityWidget,
    CollaborationRefWidget,
    FocusAreasWidget,
    SectorsWidget,
    SectorWidget,
    VisitRefWidget,
)
from ..widgets import (
    ChoiceWidget,
    CountryWidget,
    DecimalWidget,
    IntegerWidget,
    IsoDateWidget,
    TextWidget,
    YesNoWidget,
)

# The same field is the same column in every list.
COLUMNS = {
    "name": gettext_lazy("Name"),
    "name_local": gettext_lazy("Local name"),
    "name_zh_hans": gettext_lazy("Chinese name"),
    "name_ru": gettext_lazy("Russian name"),
    "country": gettext_lazy("Country"),
    "region": gettext_lazy("Region"),
    "title": gettext_lazy("Title"),
    "kind": gettext_lazy("Kind"),
    "status": gettext_lazy("Status"),
    "description": gettext_lazy("Description"),
    "summary": gettext_lazy("Summary"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "date_note": gettext_lazy("About the dates"),
    "ended_on": gettext_lazy("Ended on"),
    "home_party": gettext_lazy("Home party"),
    "home_party__country": gettext_lazy("Home party country"),
    "partner": gettext_lazy("Partner city"),
    "partner__country": gettext_lazy("Partner country"),
    "partner_city": gettext_lazy("Partner city"),
    "partner_city__country": gettext_lazy("Partner country"),
    "published": gettext_lazy("Published"),
    "internal_notes": gettext_lazy("Internal notes"),
}

# A translated text's columns in other languages than English: "Title (Chinese)".
OTHER_LANGUAGES = dict(TRANSLATED_INTO)


def per_language(*fields):
    """The columns of translated texts, one per language: ``title_en``, ..."""
    return tuple(column for field in fields for column in localized_fields(field))


def column_name(names, field_name, django_field):
    """The readable name of a model field's column, ``names`` first.

    A translated text's English column is the text's own name ("Title"); the
    others say their language ("Title (Chinese)").
    """
    if field_name in names:
        return names[field_name]
    original = getattr(django_field, "translated_field", None)
    if original is None:
        raise KeyError(field_name)
    name = names[original.name]
    if django_field.language == "en":
        return name
    return format_lazy("{} ({})", name, OTHER_LANGUAGES[django_field.language])


# Model fields' widgets by the field's type (its ``get_internal_type``); a field
# with choices reads them with ``ChoiceWidget``, a country with ``CountryWidget``.
WIDGETS_MAP = {
    "CharField": TextWidget,
    "TextField": TextWidget,
    "SlugField": TextWidget,
    "URLField": TextWidget,
    "DateField": IsoDateWidget,
    "BooleanField": YesNoWidget,
    "IntegerField": IntegerWidget,
    "SmallIntegerField": IntegerWidget,
    "PositiveIntegerField": IntegerWidget,
    "PositiveSmallIntegerField": IntegerWidget,
    "PositiveBigIntegerField": IntegerWidget,
    "BigIntegerField": IntegerWidget,
    "DecimalField": DecimalWidget,
    "ForeignKey": "get_fk_widget",
    "ManyToManyField": "get_m2m_widget",
}
# A related record by its natural key: the widget of each model a field points to.
RECORD_WIDGETS = {
    City: CityWidget,
    Sector: SectorWidget,
    Agreement: AgreementWidget,
    Collaboration: CollaborationRefWidget,
    Visit: VisitRefWidget,
}
RECORDS_WIDGETS = {Sector: SectorsWidget, FocusArea: FocusAreasWidget}


class ColumnsResource(resources.ModelResource):
    """A resource whose columns are named for people and read as they write."""

    WIDGETS_MAP = WIDGETS_MAP
    #: Readable column names of this list's fields, over ``COLUMNS``.
    columns = {}
    #: Columns an import file must have.
    required_columns = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._import_fields = None

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural).capitalize()

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        if isinstance(f, CountryField):
            return CountryWidget
        if f.choices and not f.is_relation:
            return lambda **kwargs: ChoiceWidget(f.choices, **kwargs)
        return super().widget_from_django_field(f, default)

    @classmethod
    def get_fk_widget(cls, field):
        return RECORD_WIDGETS[field.related_model]

    @classmethod
    def get_m2m_widget(cls, field):
        return RECORDS_WIDGETS[field.related_model]

    @classmethod
    def widget_kwargs_for_field(cls, field_name, django_field):
        return dict((cls._meta.widgets or {}).get(field_name, {}))

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """A column of the model field, named for people, read as people write it.

        An empty cell leaves a choice as it is (``saves_null_values``); anything
        else empty is written as empty.
        """
        widget = cls.widget_from_django_field(django_field)
        return cls.DEFAULT_RESOURCE_FIELD(
            attribute=field_name,
            column_name=column_name(
                {**COLUMNS, **cls.columns}, field_name, django_field
            ),
            widget=widget(**cls.widget_kwargs_for_field(field_name, django_field)),
            readonly=readonly,
            saves_null_values=not (
                django_field.choices and not django_field.is_relation
            ),
        )

    def column_names(self):
        return [str(field.column_name) for field in self.get_import_fields()]

    def get_import_fields(self):
        # Asked for on every row (and every cell of the preview): worked out once.
        if self._import_fields is None:
            self._import_fields = [
                f for f in super().get_import_fields() if not is_hidden(f)
            ]
        return self._import_fields

    def get_export_fields(self, selected_fields=None):
        fields_ = super().get_export_fields(selected_fields)
        return [f for f in fields_ if not is_hidden(f)]

    def match_headers(self, dataset):
        """The file's headers as our column names (ignoring case and spaces), or a
        ``SpreadsheetError`` that says what is wrong with them."""
        known = self.known_headers()
        headers = []
        unknown = []
        for header in dataset.headers or []:
            clean = force_str(header or "").strip().lstrip("\ufeff")
            match = known.get(" ".join(clean.split()).casefold())
            if match is None:
                unknown.append(clean)
            headers.append(match or clean)
        if unknown:
            message = _(
                "Unknown column(s): %(unknown)s. The columns for %(what)s are: "
                "%(known)s."
            ) % {
                "unknown": ", ".join(f"“{u}”" for u in unknown),
                "what": self.get_display_name().lower(),
                "known": ", ".join(self.column_names()),
            }
            other = sheet_with_our_columns(dataset, known)
            if other:
                message = _(
                    "The first sheet does not hold %(what)s; they seem to be on "
                    "sheet “%(sheet)s”. Only the first sheet is imported: move that "
                    "sheet to the front."
                ) % {"what": self.get_display_name().lower(), "sheet": other}
            elif (lower := header_row_lower_down(dataset, known)) is not None:
                message = _(
                    "Row %(read)s was read as the column names, but they are on "
                    "row %(row)s: delete the rows above them (titles, notes) and "
                    "import again."
                ) % {
                    "read": getattr(dataset, "header_row", 1),
                    "row": dataset.row_numbers[lower]
                    if getattr(dataset, "row_numbers", None)
                    else lower + 2,
                }
            else:
                # Not a layout the clerk must change: the admin asks which
                # column is which (``spreadsheets.mapping``).
                raise NeedsMapping(message, dataset.headers, samples(dataset))
            raise SpreadsheetError(message)
        missing = [
            str(column) for column in self.required_columns if column not in headers
        ]
        if missing:
            raise SpreadsheetError(
                _("The file lacks the column(s): %(missing)s.")
                % {"missing": ", ".join(f"“{m}”" for m in missing)}
            )
        dataset.headers = headers
        self.fix_column_names()

    def fix_column_names(self):
        """Column names as plain text for this import, not translated per cell."""
        for field in self.fields.values():
            if field.column_name is not None:
                field.column_name = str(field.column_name)
            for name in ("country_column", "region_column"):
                if getattr(field.widget, name, None) is not None:
                    setattr(field.widget, name, str(getattr(field.widget, name)))

    def known_headers(self):
        """Our column names in every site language, casefolded, to today's name."""
        fields_ = self.get_import_fields()
        current = [str(field.column_name) for field in fields_]
        known = {}
        for language in site_languages():
            with translation.override(language):
                for field, name in zip(fields_, current, strict=True):
                    known.setdefault(
                        " ".join(str(field.column_name).split()).casefold(), name
                    )
        for name in current:
            known[" ".join(name.split()).casefold()] = name
        return known

    # Export ---------------------------------------------------------------------

    def optimise(self, queryset):
        """select_related/prefetch_related for the cells (override)."""
        return queryset

    def filter_export(self, queryset, **kwargs):
        return self.optimise(super().filter_export(queryset, **kwargs))

    def iter_queryset(self, queryset):
        """Rows in chunks, prefetches included, without paging by OFFSET."""
        if not isinstance(queryset, QuerySet):
            yield from queryset
            return
        yield from queryset.iterator(chunk_size=CHUNK_ROWS)


def is_hidden(field):
    return getattr(field, "hidden", False)


def header_row_lower_down(dataset, known):
    """Which of the first data rows holds our column names, or None."""
    for index, row in enumerate(dataset[:5]):
        names = {
            " ".join(str(v).split()).casefold() for v in row if v not in ("", None)
        }
        if len(names) >= 2 and names <= set(known):
            return index
    return None


def sheet_with_our_columns(dataset, known):
    for title, headers in getattr(dataset, "other_sheets", {}).items():
        names = {" ".join(h.split()).casefold() for h in headers if h}
        if names and names <= set(known):
            return title
    return None
