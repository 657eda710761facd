"""Spreadsheet import and export of the office's lists (django-import-export).

Every column has a human name, related records are written and read by their
natural keys (a city by its name and country, never by a database id), and people
and participants are flattened into readable cells that read back the same way.

Imports are all-or-nothing: ``import_data`` always runs in a transaction that is
rolled back when any row is invalid, and every bad row is reported with its
column and reason. Importing the same file twice changes nothing the second time.
"""

import datetime
import decimal
import re
from copy import deepcopy
from dataclasses import dataclass
from functools import cache, lru_cache, partial

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from django_countries.fields import Country
from import_export import exceptions, fields, resources, widgets
from import_export.results import RowResult
from simple_history.utils import bulk_create_with_history

from . import bulk
from .cache import invalidate_now_and_on_commit
from .choices import (
    ActivityKind,
    AgreementKind,
    AgreementStatus,
    CityRole,
    CollaborationStatus,
    DatePrecision,
    DelegationRole,
    Direction,
    InstitutionKind,
    Side,
    VisitStatus,
)
from .models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    FocusArea,
    Institution,
    InstitutionAlias,
    Person,
    Sector,
    Signatory,
    Visit,
)
from .spreadsheets import SpreadsheetError

LIST_SEPARATOR = "; "
EXPORT_CHUNK = 2000
NAME_TITLE_SEPARATOR = " — "

# Country names people write that are not django-countries' own names.
COUNTRY_ALIASES = {
    "russia": "RU",
    "china": "CN",
    "people's republic of china": "CN",
    "prc": "CN",
    "taiwan": "TW",
    "republic of china": "TW",
    "usa": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "kingdom of the netherlands": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "south korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "turkey": "TR",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "palestine": "PS",
    "state of palestine": "PS",
    "ivory coast": "CI",
    "cape verde": "CV",
    "macedonia": "MK",
    "republic of macedonia": "MK",
    "swaziland": "SZ",
    "east timor": "TL",
    "vatican city": "VA",
    "holy see": "VA",
    "brunei": "BN",
    "the gambia": "GM",
    "the bahamas": "BS",
    "federated states of micronesia": "FM",
    "kingdom of denmark": "DK",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "people's republic of bangladesh": "BD",
    "sahrawi arab democratic republic": "EH",
    "kingdom of the netherlands (netherlands)": "NL",
}


# Lookups -------------------------------------------------------------------------


@cache
def country_lookup():
    """Every way of writing a country we accept, casefolded, to its ISO code."""
    table = {}
    languages = ["en", *(code for code, _name in settings.LANGUAGES)]
    for language in languages:
        with translation.override(language):
            for code, name in countries:
                table.setdefault(str(name).casefold(), code)
    for code, _name in countries:
        table[code.casefold()] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            table.setdefault(alpha3.casefold(), code)
    for alias, code in COUNTRY_ALIASES.items():
        table.setdefault(alias, code)
    return table


def country_code(value):
    """The ISO code for a country written as a code or a name; ``ValueError``."""
    if isinstance(value, Country):
        return value.code
    text = force_str(value or "").strip()
    if not text:
        return ""
    code = country_lookup().get(text.casefold())
    if code is None:
        raise ValueError(
            _("Unknown country “%(value)s”. Write its English name or ISO code.")
            % {"value": text}
        )
    return code


def country_name(code):
    return _country_name(code, translation.get_language()) if code else ""


@lru_cache(maxsize=2048)
def _country_name(code, language):
    return str(Country(code).name)


@cache
def choice_lookup(choices):
    """Codes and labels (in every site language) of a TextChoices, to the code."""
    table = {}
    languages = ["en", *(code for code, _name in settings.LANGUAGES)]
    for language in languages:
        with translation.override(language):
            for value, label in choices.choices:
                table.setdefault(str(label).casefold(), value)
    for value, _label in choices.choices:
        table[value.casefold()] = value
        table[value.replace("_", " ").casefold()] = value
    return table


@lru_cache(maxsize=1024)
def choice_label(choices, value, language):
    """A choice's label in the current language (cached: exports ask per cell)."""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


class Index:
    """Per-import memo of natural-key lookups, so each name is queried once."""

    def __init__(self):
        self.cities = {}
        self.chosen = {}  # (name, country, region) -> the cities that fit
        self.people = {}  # city id (None: no city) -> casefolded name -> people
        self._sectors = None

    def sectors(self):
        """Every sector by its code and its names in each language, casefolded."""
        if self._sectors is None:
            self._sectors = sector_table()
        return self._sectors

    def preload_people(self, cities):
        """The people of ``cities`` and of no city, in one query."""
        self.load_people({city.pk for city in cities} | {None})

    def people_of(self, city_id):
        """``{casefolded name: [people]}`` of one city (``None``: of no city).

        Names are compared casefolded in Python: the databases' own case rules
        differ (SQLite's are ASCII only), and "Иванов" must not be recorded twice.
        """
        self.load_people({city_id})
        return self.people[city_id]

    def load_people(self, city_ids):
        """Read the people of the cities (``None``: of no city) not read yet."""
        city_ids = set(city_ids) - set(self.people)
        if not city_ids:
            return
        for city_id in city_ids:
            self.people[city_id] = {}
        condition = Q(city_id__in=city_ids - {None})
        if None in city_ids:
            condition |= Q(city__isnull=True)
        for person in Person.objects.filter(condition).order_by("pk"):
            self.people[person.city_id].setdefault(person.name.casefold(), []).append(
                person
            )

    def preload_cities(self, names):
        names = {force_str(n).strip() for n in names if force_str(n or "").strip()}
        missing = [n for n in names if n.casefold() not in self.cities]
        if not missing:
            return
        for name in missing:
            self.cities[name.casefold()] = []
        found = City.objects.filter(
            Q(name__in=missing)
            | Q(name_local__in=missing)
            | Q(name_zh__in=missing)
            | Q(name_ru__in=missing)
        )
        for city in found:
            for own in {city.name, city.name_local, city.name_zh, city.name_ru}:
                if own and own.casefold() in self.cities:
                    bucket = self.cities[own.casefold()]
                    if city not in bucket:
                        bucket.append(city)
        # A name not written exactly as recorded ("voronezh") is looked up
        # case-insensitively by ``cities_named``, as it always was.
        for name in missing:
            if not self.cities[name.casefold()]:
                del self.cities[name.casefold()]

    def cities_named(self, name):
        key = name.casefold()
        if key not in self.cities:
            self.cities[key] = list(
                City.objects.filter(
                    Q(name__iexact=name)
                    | Q(name_local__iexact=name)
                    | Q(name_zh__iexact=name)
                    | Q(name_ru__iexact=name)
                )
            )
        return self.cities[key]

    def forget_city(self, *names):
        self.chosen.clear()
        for name in names:
            if name:
                self.cities.pop(name.casefold(), None)

    def candidates(self, name, country, region):
        candidates = self.cities_named(name)
        english = [c for c in candidates if c.name.casefold() == name.casefold()]
        candidates = english or candidates
        if country:
            candidates = [c for c in candidates if c.country.code == country]
        if region is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.region == region]
        return candidates

    def city(self, name, country="", region=None, column=None):
        """The one city so named (in ``country`` and ``region`` when given)."""
        # A file names the same few cities on every row: choose each once.
        key = (name.casefold(), country, region)
        if key not in self.chosen:
            self.chosen[key] = self.candidates(name, country, region)
        candidates = self.chosen[key]
        where = ""
        if len(candidates) != 1 and country:
            where = f" ({country_name(country)})"
        if not candidates:
            raise ValueError(
                _(
                    "No city named “%(name)s”%(where)s is recorded. Import or add "
                    "the city first, or check the spelling and the country."
                )
                % {"name": name, "where": where}
            )
        if len(candidates) > 1:
            places = ", ".join(
                sorted(
                    " / ".join(filter(None, [country_name(c.country.code), c.region]))
                    for c in candidates
                )
            )
            raise ValueError(
                _(
                    "Several cities are named “%(name)s” (%(places)s); give the "
                    "country in the column next to it."
                )
                % {"name": name, "places": places}
            )
        return candidates[0]

    def person(self, name, city=None):
        """The person so named of ``city`` (or, failing that, the one of no city).

        A namesake of another city is a different person: ``None`` then, and the
        caller records a new one.
        """
        key = name.casefold()
        own = self.people_of(city.pk if city is not None else None).get(key)
        if own:
            return own[0]
        cityless = self.people_of(None).get(key, [])
        if len(cityless) == 1:
            return cityless[0]
        return None

    def add_person(self, person):
        self.people_of(person.city_id).setdefault(person.name.casefold(), []).append(
            person
        )


# Widgets -------------------------------------------------------------------------


class ResourceWidget(widgets.Widget):
    """A widget that can reach its resource (for the lookup index and the row)."""

    resource = None

    def index(self):
        return self.resource.index if self.resource else Index()


class TextWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return force_str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)


class IntegerWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            raise ValueError(_("Write a whole number."))
        if isinstance(value, int):
            return value
        text = force_str(value).strip().replace(",", "").replace(" ", "")
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a whole number.") % {"value": value}
            ) from None
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        return int(number)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else str(value)


class DecimalWidget(widgets.Widget):
    def __init__(self, places=6, **kwargs):
        super().__init__(**kwargs)
        self.quantum = decimal.Decimal(1).scaleb(-places)

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        try:
            number = decimal.Decimal(force_str(value).strip())
        except decimal.InvalidOperation:
            raise ValueError(
                _("“%(value)s” is not a number (use a dot for decimals).")
                % {"value": value}
            ) from None
        if not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number.quantize(self.quantum, rounding=decimal.ROUND_HALF_EVEN)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return float(value) if kwargs.get("force_native_type") else str(value)


ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


class IsoDateWidget(widgets.Widget):
    """Dates as YYYY-MM-DD or real spreadsheet dates; nothing that could be swapped."""

    def clean(self, value, row=None, **kwargs):
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            if value.time() != datetime.time(0, 0):
                raise ValueError(
                    _("“%(value)s” has a time of day; give a date only.")
                    % {"value": value}
                )
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = force_str(value).strip()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00)?", text):
            text = text[:10]
        match = ISO_DATE.match(text)
        if not match:
            raise ValueError(
                _(
                    "“%(value)s” is not a date in the accepted format. Write dates "
                    "as YYYY-MM-DD (for example 1993-10-20), or use a date cell in "
                    "Excel."
                )
                % {"value": text}
            )
        year, month, day = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a real date (no such day in that month).")
                % {"value": text}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()


class YesNoWidget(widgets.Widget):
    TRUE = {"yes", "y", "true", "1", "是", "да", "x", "✓"}
    FALSE = {"no", "n", "false", "0", "否", "нет", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = force_str(value if value is not None else "").strip().casefold()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        if text == _("yes").casefold():
            return True
        if text == _("no").casefold():
            return False
        raise ValueError(_("Write yes or no, not “%(value)s”.") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return "yes" if value else "no"


class ChoiceWidget(widgets.Widget):
    """A choice written as its label (in any site language) or its code."""

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices

    def clean(self, value, row=None, **kwargs):
        text = force_str(value if value is not None else "").strip()
        if not text:
            return None
        code = choice_lookup(self.choices).get(text.casefold())
        if code is None:
            allowed = ", ".join(str(label) for _value, label in self.choices.choices)
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": allowed}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return choice_label(self.choices, value, translation.get_language())


class CountryWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return country_code(value)

    def render(self, value, obj=None, **kwargs):
        code = value.code if isinstance(value, Country) else value
        return country_name(code)


class CityWidget(ResourceWidget):
    """A city by name, with its country (and region) from other columns if given."""

    def __init__(self, country_column=None, region_column=None, **kwargs):
        super().__init__(**kwargs)
        self.country_column = country_column
        self.region_column = region_column

    def clean(self, value, row=None, **kwargs):
        name = force_str(value if value is not None else "").strip()
        if not name:
            return None
        row = row or {}
        country = ""
        if self.country_column and row.get(self.country_column) not in (None, ""):
            try:
                country = country_code(row[self.country_column])
            except ValueError as error:
                raise ValueError(f"{self.country_column}: {error}") from None
        region = None
        if self.region_column and self.region_column in row:
            region = force_str(row.get(self.region_column) or "").strip()
        return self.index().city(name, country, region)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class SectorsWidget(widgets.ManyToManyWidget):
    """Sectors by name (any language) or code, separated by semicolons."""

    def __init__(self, **kwargs):
        super().__init__(Sector, separator=";", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = split_list(value)
        if not names:
            return Sector.objects.none()
        resource = getattr(self, "resource", None)
        table = resource.index.sectors() if resource else sector_table()
        found = []
        for name in names:
            sector = table.get(name.casefold())
            if sector is None:
                raise ValueError(
                    _("Unknown sector “%(name)s”. Known sectors: %(known)s.")
                    % {
                        "name": name,
                        "known": ", ".join(sorted({s.name for s in table.values()})),
                    }
                )
            if sector not in found:
                found.append(sector)
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(sector.name for sector in value.all())


class FocusAreasWidget(widgets.ManyToManyWidget):
    """Focus areas by English name; new names become new focus areas."""

    def __init__(self, **kwargs):
        super().__init__(FocusArea, separator=";", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        found = []
        for name in split_list(value):
            area = FocusArea.objects.filter(name__iexact=name).first()
            if area is None:
                area = FocusArea(name=name)
                area.full_clean()
                area.save()
            if area not in found:
                found.append(area)
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(area.name for area in value.all())


def chunks(values):
    """``values`` in lists short enough for one query's parameters."""
    size = connection.features.max_query_params or len(values) or 1
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class RowPlan:
    """A checked row of a bulk import, and what to write for it."""

    row_result: RowResult
    instance: object = None
    new: bool = False
    sectors: list | None = None


def sector_table():
    table = {}
    for sector in Sector.objects.all():
        for key in (sector.code, sector.name, sector.name_zh, sector.name_ru):
            if key:
                table.setdefault(key.casefold(), sector)
    return table


def split_list(value):
    text = force_str(value if value is not None else "")
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def split_lines(value):
    text = force_str(value if value is not None else "")
    return [line.strip() for line in text.splitlines() if line.strip()]


# Fields ---------------------------------------------------------------------------


def text(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=TextWidget())


def choice(attribute, column, choices):
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=ChoiceWidget(choices),
        saves_null_values=False,
    )


def date(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=IsoDateWidget())


def yes_no(attribute, column):
    return fields.Field(attribute=attribute, column_name=column, widget=YesNoWidget())


def city(attribute, column, country_column, region_column=None):
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=CityWidget(country_column=country_column, region_column=region_column),
    )


def shown(attribute, column, widget=None):
    """An export-only column (read back through another field, if at all)."""
    return fields.Field(
        attribute=attribute,
        column_name=column,
        widget=widget or TextWidget(),
        readonly=True,
    )


# The resources --------------------------------------------------------------------

REGISTRY = {}


def register(resource_class):
    REGISTRY[resource_class._meta.model] = resource_class
    return resource_class


def resource_for(model):
    """The resource class for a model, or ``None``."""
    return REGISTRY.get(model)


class PartnershipResource(resources.ModelResource):
    """What every resource here shares: natural keys, all-or-nothing, audit user."""

    #: Columns an import file must have.
    required_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True
        skip_html_diff = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.user = kwargs.get("user")
        self.index = Index()
        self.rows_seen = {}  # record pk -> the row that imported it
        self._import_fields = None
        for field in self.fields.values():
            field.widget.resource = self

    @classmethod
    def get_display_name(cls):
        return str(cls._meta.model._meta.verbose_name_plural).capitalize()

    # Import ---------------------------------------------------------------------

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """Always in one transaction, rolled back if any row is invalid."""
        if kwargs.get("user") is not None:
            self.user = kwargs["user"]
        return super().import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=raise_errors,
            use_transactions=True,
            collect_failed_rows=collect_failed_rows,
            rollback_on_validation_errors=True,
            **kwargs,
        )

    def column_names(self):
        return [str(field.column_name) for field in self.get_import_fields()]

    def before_import(self, dataset, **kwargs):
        """Match headers to our columns (ignoring case and spaces), refuse strangers."""
        max_rows = kwargs.get("max_rows")
        if max_rows and len(dataset) > max_rows:
            raise SpreadsheetError(
                _(
                    "This file has %(rows)s rows, more than can be imported in the "
                    "browser (%(max)s). Ask an administrator to run: python "
                    "manage.py import %(what)s FILE"
                )
                % {
                    "rows": f"{len(dataset):,}",
                    "max": f"{max_rows:,}",
                    "what": self._meta.model._meta.model_name,
                }
            )
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
            elif header_row_lower_down(dataset, known):
                message = _(
                    "The column names must be on the first row; delete the rows "
                    "above them (titles, notes) and import again."
                )
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
        self.preload(dataset)

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
        for language in ["en", *(code for code, _name in settings.LANGUAGES)]:
            with translation.override(language):
                for field, name in zip(fields_, current, strict=True):
                    known.setdefault(
                        " ".join(str(field.column_name).split()).casefold(), name
                    )
        for name in current:
            known[" ".join(name.split()).casefold()] = name
        return known

    def preload(self, dataset):
        """Fetch the records the rows name in a few queries (override)."""

    #: What identifies a record of this list, for the duplicate-row message.
    key_description = ""

    def get_instance(self, instance_loader, row):
        try:
            instance = self.find_existing(row)
        except (ValueError, ValidationError):
            # The row's own validation reports the bad key.
            return None
        earlier = self.rows_seen.get(instance.pk) if instance is not None else None
        if earlier is not None:
            # Two rows naming one record would silently merge; say so instead.
            raise ValidationError(
                _(
                    "This row describes the same record as row %(row)s (%(key)s). "
                    "Merge the two rows, or tell them apart."
                )
                % {"row": earlier, "key": self.key_description}
            )
        return instance

    def find_existing(self, row):
        raise NotImplementedError

    def cell(self, field_name, row):
        """The cleaned value of one of this row's cells (``ValueError`` if bad)."""
        field = self.fields[field_name]
        if field.column_name not in row:
            return None
        return field.clean(row)

    def import_instance(self, instance, row, **kwargs):
        was_published = instance.published if hasattr(instance, "published") else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.import_related(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if (
            was_published is not None
            and instance.published != was_published
            and not self.may_publish()
        ):
            errors.setdefault("published", []).append(
                _(
                    "You may not publish or unpublish %(what)s; leave this "
                    "column as it is."
                )
                % {"what": self._meta.model._meta.verbose_name_plural}
            )
        if errors:
            raise ValidationError(errors)

    def import_related(self, instance, row, **kwargs):
        """Read flattened related records (override); raise ValidationError."""

    def may_publish(self):
        if self.user is None:
            # The command line is run by an administrator.
            return True
        model = self._meta.model._meta.model_name
        return self.user.has_perm(f"partnerships.publish_{model}")

    def skip_row(self, instance, original, row, import_validation_errors=None):
        skip = super().skip_row(instance, original, row, import_validation_errors)
        return skip and not self.related_changed(instance)

    # Where ``import_related`` leaves the flattened related rows it read, for
    # ``save_related`` to write; ``stored_related`` reads them back the same way.
    related_attribute = None

    def wanted_related(self, instance):
        if self.related_attribute is None:
            return None
        return getattr(instance, self.related_attribute, None)

    def stored_related(self, instance):
        return []

    def related_changed(self, instance):
        """Whether the flattened related records differ from what is stored."""
        wanted = self.wanted_related(instance)
        return wanted is not None and wanted != self.stored_related(instance)

    def person_for(self, name, city):
        """The person of that name in ``city``, made if the office has none yet."""
        person = self.index.person(name, city)
        if person is None:
            person = self.history_user(Person(name=name, city=city))
            person.save()
            self.index.add_person(person)
        return person

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None:
            result.validation_error = self.relabel(result.validation_error)
        elif result.object_id is not None:
            self.rows_seen.setdefault(result.object_id, kwargs.get("row_number"))
        return result

    def relabel(self, error):
        """The same errors keyed by column names, which is what the user sees."""
        if not hasattr(error, "error_dict"):
            return ValidationError({NON_FIELD_ERRORS: error.messages})
        columns = {name: str(field.column_name) for name, field in self.fields.items()}
        columns.update(
            {
                field.attribute: str(field.column_name)
                for field in self.fields.values()
                if field.attribute and not field.readonly
            }
        )
        model_fields = {f.name: f for f in self._meta.model._meta.get_fields()}
        relabelled = {}
        for key, messages in error.message_dict.items():
            if key == NON_FIELD_ERRORS:
                label = NON_FIELD_ERRORS
            elif key in columns:
                label = columns[key]
            elif key in model_fields and hasattr(model_fields[key], "verbose_name"):
                label = str(model_fields[key].verbose_name).capitalize()
            else:
                label = key
            relabelled.setdefault(label, []).extend(messages)
        return ValidationError(relabelled)

    #: False where the model's clean() already checks what its check constraints
    #: do (the database still enforces them): Django runs a query per constraint.
    validate_constraints = True

    def validate_instance(
        self, instance, import_validation_errors=None, validate_unique=True
    ):
        """``full_clean``, minus a query per foreign key already found by key."""
        errors = dict(import_validation_errors or {})
        found = {
            field.name
            for field in instance._meta.concrete_fields
            if field.is_relation
            and field.is_cached(instance)
            and getattr(instance, field.name) is not None
            and not getattr(instance, field.name)._state.adding
        }
        steps = [
            lambda: instance.clean_fields(exclude=set(errors) | found),
            instance.clean,
        ]
        if validate_unique:
            steps.append(lambda: instance.validate_unique(exclude=set(errors)))
        if self.validate_constraints:
            steps.append(lambda: instance.validate_constraints(exclude=set(errors)))
        for step in steps:
            try:
                step()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def user_for_history(self):
        if self.user is not None and self.user.is_authenticated:
            return self.user
        return None

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._imported_existing = not new

    def before_save_instance(self, instance, row, **kwargs):
        if self.user is not None and self.user.is_authenticated:
            instance._history_user = self.user

    def after_save_instance(self, instance, row, **kwargs):
        self.save_related(instance)

    def save_related(self, instance):
        """Write the flattened related records read by ``import_related``."""

    def history_user(self, obj):
        if self.user is not None and self.user.is_authenticated:
            obj._history_user = self.user
        return obj

    def get_import_fields(self):
        # Asked for on every row (and every cell of the preview): worked out once.
        if self._import_fields is None:
            self._import_fields = [
                f for f in super().get_import_fields() if not is_hidden(f)
            ]
        return self._import_fields

    # Export ---------------------------------------------------------------------

    def get_export_fields(self, selected_fields=None):
        fields_ = super().get_export_fields(selected_fields)
        return [f for f in fields_ if not is_hidden(f)]

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
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK)

    def export_rows(self, queryset=None, **kwargs):
        """``(headers, rows)``: the export as a generator, for streaming it."""
        if queryset is None:
            queryset = self.get_queryset()
        queryset = self.filter_export(queryset, **kwargs)
        fields_ = self.get_export_fields()
        headers = [str(field.column_name) for field in fields_]
        # Resolve each column's dehydrate method once, not once per cell.
        getters = []
        for field in fields_:
            method = field.get_dehydrate_method(self.get_field_name(field))
            method = method if callable(method) else getattr(self, method, None)
            getters.append(method or partial(field.export, **kwargs))
        rows = (
            [getter(obj) for getter in getters] for obj in self.iter_queryset(queryset)
        )
        return headers, rows


def is_hidden(field):
    return getattr(field, "hidden", False)


def lookup(column, country_column):
    """A helper field that reads a city for another field; not a column itself."""
    field = fields.Field(
        column_name=column,
        widget=CityWidget(country_column=country_column),
        readonly=True,
    )
    field.hidden = True
    return field


def header_row_lower_down(dataset, known):
    """Whether one of the first rows, not the first, holds our column names."""
    for row in list(dataset)[:5]:
        names = {
            " ".join(str(v).split()).casefold() for v in row if v not in ("", None)
        }
        if len(names) >= 2 and names <= set(known):
            return True
    return False


def sheet_with_our_columns(dataset, known):
    for title, headers in getattr(dataset, "other_sheets", {}).items():
        names = {" ".join(h.split()).casefold() for h in headers if h}
        if names and names <= set(known):
            return title
    return None


# Cities ---------------------------------------------------------------------------


@register
class CityResource(PartnershipResource):
    key_description = gettext_lazy("same name, country and region")

    name = text("name", gettext_lazy("Name"))
    name_local = text("name_local", gettext_lazy("Local name"))
    name_zh = text("name_zh", gettext_lazy("Chinese name"))
    name_ru = text("name_ru", gettext_lazy("Russian name"))
    country = fields.Field(
        attribute="country", column_name=gettext_lazy("Country"), widget=CountryWidget()
    )
    region = text("region", gettext_lazy("Region"))
    role = choice("role", gettext_lazy("Role"), CityRole)
    parent = city("parent", gettext_lazy("Part of"), gettext_lazy("Country"))
    founded_year = fields.Field(
        attribute="founded_year",
        column_name=gettext_lazy("Year founded"),
        widget=IntegerWidget(),
    )
    population = fields.Field(
        attribute="population",
        column_name=gettext_lazy("Population"),
        widget=IntegerWidget(),
    )
    population_year = fields.Field(
        attribute="population_year",
        column_name=gettext_lazy("Population counted in"),
        widget=IntegerWidget(),
    )
    latitude = fields.Field(
        attribute="latitude",
        column_name=gettext_lazy("Latitude"),
        widget=DecimalWidget(),
    )
    longitude = fields.Field(
        attribute="longitude",
        column_name=gettext_lazy("Longitude"),
        widget=DecimalWidget(),
    )
    wikidata_id = text("wikidata_id", gettext_lazy("Wikidata id"))
    description = text("description", gettext_lazy("Description"))
    photo_caption = text("photo_caption", gettext_lazy("Photo caption"))
    photo_credit = text("photo_credit", gettext_lazy("Photo credit"))
    slug = text("slug", gettext_lazy("Slug"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (gettext_lazy("Name"), gettext_lazy("Country"))

    class Meta(PartnershipResource.Meta):
        model = City
        fields = (
            "name",
            "name_local",
            "name_zh",
            "name_ru",
            "country",
            "region",
            "role",
            "parent",
            "founded_year",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "wikidata_id",
            "description",
            "photo_caption",
            "photo_credit",
            "slug",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def preload(self, dataset):
        column = str(self.fields["parent"].column_name)
        if column in dataset.headers:
            self.index.preload_cities(dataset[column])

    def find_existing(self, row):
        name = self.cell("name", row)
        country = self.cell("country", row)
        region = self.cell("region", row) or ""
        if not name or not country:
            return None
        return (
            City.objects.filter(name__iexact=name, country=country, region=region)
            .order_by("pk")
            .first()
        )

    def import_instance(self, instance, row, **kwargs):
        slug = instance.slug
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.slug:
                instance.slug = slug or self.unique_slug(instance)

    def unique_slug(self, city):
        base = slugify(city.name) or "city"
        if city.country:
            base = f"{base}-{city.country.code.lower()}"
        base = base[:190]
        taken = set(
            City.objects.filter(slug__startswith=base)
            .exclude(pk=city.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def after_save_instance(self, instance, row, **kwargs):
        self.index.forget_city(
            instance.name, instance.name_local, instance.name_zh, instance.name_ru
        )

    def optimise(self, queryset):
        # Home and districts first, so a re-import finds each district's parent.
        rank = Case(
            When(role=CityRole.HOME, then=Value(0)),
            When(role=CityRole.DISTRICT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return queryset.select_related("parent").order_by(rank, "name", "country")


# Agreements -----------------------------------------------------------------------


@register
class AgreementResource(PartnershipResource):
    key_description = gettext_lazy("same two cities and kind")

    home_party = city(
        "home_party", gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    home_party_country = shown(
        "home_party__country", gettext_lazy("Home party country"), CountryWidget()
    )
    partner = city(
        "partner", gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )
    partner_country = shown(
        "partner__country", gettext_lazy("Partner country"), CountryWidget()
    )
    kind = choice("kind", gettext_lazy("Kind"), AgreementKind)
    status = choice("status", gettext_lazy("Status"), AgreementStatus)
    signed_on = date("signed_on", gettext_lazy("Signed on"))
    signed_place = text("signed_place", gettext_lazy("Signed at"))
    term_years = fields.Field(
        attribute="term_years",
        column_name=gettext_lazy("Term (years)"),
        widget=IntegerWidget(),
    )
    renewal_due_on = date("renewal_due_on", gettext_lazy("Renewal due"))
    ended_on = date("ended_on", gettext_lazy("Ended on"))
    end_reason = text("end_reason", gettext_lazy("Reason it ended"))
    origin = text("origin", gettext_lazy("How it began"))
    signatories = fields.Field(
        column_name=gettext_lazy("Signatories"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_signatories",
    )
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (gettext_lazy("Home party"), gettext_lazy("Partner city"))

    related_attribute = "_signatories"

    class Meta(PartnershipResource.Meta):
        model = Agreement
        fields = (
            "home_party",
            "home_party_country",
            "partner",
            "partner_country",
            "kind",
            "status",
            "signed_on",
            "signed_place",
            "term_years",
            "renewal_due_on",
            "ended_on",
            "end_reason",
            "origin",
            "signatories",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def dehydrate_signatories(self, agreement):
        return "\n".join(
            format_signatory(signatory) for signatory in agreement.signatories.all()
        )

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["signatories"].column_name)
        instance._signatories = None
        if column not in row:
            return
        sides = choice_lookup(Side)
        wanted, errors = [], []
        for number, line in enumerate(split_lines(row[column]), start=1):
            prefix, _colon, rest = line.partition(":")
            side = sides.get(prefix.strip().casefold())
            if side is None:
                errors.append(
                    _("Line %(n)s: start with the side, e.g. “%(home)s: …”.")
                    % {"n": number, "home": Side.HOME.label}
                )
                continue
            _role, name, title = parse_member(rest.strip())
            if not name and not title:
                errors.append(
                    _("Line %(n)s names neither a person nor a title.") % {"n": number}
                )
            wanted.append((side, name, title))
        if errors:
            raise ValidationError({"signatories": errors})
        instance._signatories = wanted

    def stored_related(self, instance):
        if not instance.pk:
            return []
        return [
            (s.side, s.person.name if s.person_id else "", s.title_at_time)
            for s in instance.signatories.select_related("person")
        ]

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        if wanted is None or wanted == self.stored_related(instance):
            return
        for signatory in instance.signatories.all():
            self.history_user(signatory).delete()
        for side, name, title in wanted:
            place = instance.home_party if side == Side.HOME else instance.partner
            person = self.person_for(name, place) if name else None
            self.history_user(
                Signatory(
                    agreement=instance, side=side, person=person, title_at_time=title
                )
            ).save()

    def preload(self, dataset):
        for name in ("home_party", "partner"):
            column = str(self.fields[name].column_name)
            if column in dataset.headers:
                self.index.preload_cities(dataset[column])

    def find_existing(self, row):
        home = self.cell("home_party", row)
        partner = self.cell("partner", row)
        kind = self.cell("kind", row) or AgreementKind.SISTER_CITY
        if not home or not partner:
            return None
        return (
            Agreement.objects.filter(kind=kind)
            .filter(
                Q(home_party=home, partner=partner)
                | Q(home_party=partner, partner=home)
            )
            .order_by("pk")
            .first()
        )

    def import_instance(self, instance, row, **kwargs):
        home, partner = instance.home_party_id, instance.partner_id
        super().import_instance(instance, row, **kwargs)
        if instance.pk and (instance.home_party_id, instance.partner_id) == (
            partner,
            home,
        ):
            # The same pair listed from the other side: keep the recorded sides.
            instance.home_party_id, instance.partner_id = home, partner

    def optimise(self, queryset):
        return queryset.select_related("home_party", "partner").prefetch_related(
            Prefetch("signatories", Signatory.objects.select_related("person"))
        )


def format_signatory(signatory):
    side = str(Side(signatory.side).label)
    name = signatory.person.name if signatory.person_id else ""
    return signatory_line(side, name, signatory.title_at_time)


def signatory_line(side, name, title):
    """'Partner: Name — Title' (``side`` is the side's label) for one signatory."""
    if name and title:
        return f"{side}: {name}{NAME_TITLE_SEPARATOR}{title}"
    if name:
        return f"{side}: {name}{NAME_TITLE_SEPARATOR.rstrip()}"
    return f"{side}: {title}"


# Visits ---------------------------------------------------------------------------


def role_lookup():
    return choice_lookup(DelegationRole)


def format_member(member):
    role = str(DelegationRole(member.role).label) if member.role else ""
    name = member.person.name if member.person_id else ""
    return member_line(role, name, member.title_at_time)


def member_line(role, name, title):
    """'Head of delegation: Name — Title' (``role`` is the role's label)."""
    if name and title:
        body = f"{name}{NAME_TITLE_SEPARATOR}{title}"
    elif name:
        body = f"{name}{NAME_TITLE_SEPARATOR.rstrip()}"
    else:
        body = title
    return f"{role}: {body}" if role else body


def parse_member(line):
    """``(role, name, title)`` from 'Head of delegation: Name — Title'."""
    role = DelegationRole.MEMBER
    body = line
    if ":" in line:
        prefix, rest = line.split(":", 1)
        code = role_lookup().get(prefix.strip().casefold())
        if code:
            role, body = code, rest.strip()
    dash = NAME_TITLE_SEPARATOR.strip()
    if NAME_TITLE_SEPARATOR in body:
        name, title = body.split(NAME_TITLE_SEPARATOR, 1)
    elif body.endswith(dash):
        name, title = body[: -len(dash)], ""
    else:
        name, title = "", body
    return role, name.strip(), title.strip()


@register
class VisitResource(PartnershipResource):
    key_description = gettext_lazy(
        "same direction, home party, partner city, start date and title"
    )
    # Visit.clean() checks both of the visit's check constraints.
    validate_constraints = False

    direction = choice("direction", gettext_lazy("Direction"), Direction)
    home_party = city(
        "home_party", gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    home_party_country = shown(
        "home_party__country", gettext_lazy("Home party country"), CountryWidget()
    )
    partner_city = city(
        "partner_city", gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )
    partner_country = shown(
        "partner_city__country", gettext_lazy("Partner country"), CountryWidget()
    )
    title = text("title", gettext_lazy("Title"))
    status = choice("status", gettext_lazy("Status"), VisitStatus)
    start_date = date("start_date", gettext_lazy("Start date"))
    end_date = date("end_date", gettext_lazy("End date"))
    date_precision = choice(
        "date_precision", gettext_lazy("Date precision"), DatePrecision
    )
    date_note = text("date_note", gettext_lazy("About the dates"))
    head_unrecorded = yes_no(
        "head_unrecorded", gettext_lazy("Head of delegation not recorded")
    )
    delegation = fields.Field(
        column_name=gettext_lazy("Delegation"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_delegation",
    )
    sectors = fields.Field(
        attribute="sectors", column_name=gettext_lazy("Sectors"), widget=SectorsWidget()
    )
    purpose = text("purpose", gettext_lazy("Purpose"))
    programme = text("programme", gettext_lazy("Programme"))
    outcomes = text("outcomes", gettext_lazy("Outcomes"))
    public_summary = text("public_summary", gettext_lazy("Public summary"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (
        gettext_lazy("Direction"),
        gettext_lazy("Home party"),
        gettext_lazy("Partner city"),
    )

    related_attribute = "_members"

    class Meta(PartnershipResource.Meta):
        model = Visit
        fields = (
            "direction",
            "home_party",
            "home_party_country",
            "partner_city",
            "partner_country",
            "title",
            "status",
            "start_date",
            "end_date",
            "date_precision",
            "date_note",
            "head_unrecorded",
            "delegation",
            "sectors",
            "purpose",
            "programme",
            "outcomes",
            "public_summary",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def dehydrate_delegation(self, visit):
        return "\n".join(format_member(m) for m in visit.members.all())

    def preload(self, dataset):
        for name in ("home_party", "partner_city"):
            column = str(self.fields[name].column_name)
            if column in dataset.headers:
                self.index.preload_cities(dataset[column])
        column = str(self.fields["delegation"].column_name)
        if column in dataset.headers:
            self.index.preload_people(
                city for bucket in self.index.cities.values() for city in bucket
            )

    def natural_key(self, row):
        """What tells visits apart, as the row gives it; ``None`` if it cannot."""
        try:
            home = self.cell("home_party", row)
            partner = self.cell("partner_city", row)
            direction = self.cell("direction", row)
            if not home or not partner or not direction:
                return None
            start = self.cell("start_date", row)
            title = self.cell("title", row) or ""
        except (ValueError, ValidationError):
            # The row's own validation reports the bad cell.
            return None
        return (home.pk, partner.pk, direction, start, title)

    def find_existing(self, row):
        key = self.natural_key(row)
        if key is None:
            return None
        home, partner, direction, start, title = key
        return (
            Visit.objects.filter(
                home_party=home,
                partner_city=partner,
                direction=direction,
                start_date=start,
                title=title,
            )
            .order_by("pk")
            .first()
        )

    # The bulk import: every row validated in Python first, then written at once.

    def import_data(
        self,
        dataset,
        dry_run=False,
        raise_errors=False,
        use_transactions=None,
        collect_failed_rows=False,
        rollback_on_validation_errors=False,
        **kwargs,
    ):
        """All or nothing in a few queries per file: validate every row, then write.

        Same rules and the same Result as the per-row import, which cost a dozen
        queries and two history rows a visit, and wrote and rolled back a dry run.
        """
        if kwargs.get("user") is not None:
            self.user = kwargs["user"]
        keep_instances = kwargs.get("retain_instance_in_row_result", False)
        result = self.get_result_class()()
        result.diff_headers = self.get_diff_headers()
        result.total_rows = len(dataset)
        with transaction.atomic():
            try:
                self.before_import(dataset, **kwargs)
            except Exception as error:  # noqa: BLE001 - reported as a base error
                self.handle_import_error(result, error, raise_errors)
                return result
            result.total_rows = len(dataset)
            if collect_failed_rows:
                result.add_dataset_headers(dataset.headers)
            plans = self.check_rows(dataset, result, raise_errors, collect_failed_rows)
            if dry_run or result.has_errors() or result.has_validation_errors():
                # Nothing was written, so there is nothing to roll back.
                return result
            try:
                self.write(plans)
            except Exception as error:  # noqa: BLE001 - reported, rolled back
                transaction.set_rollback(True)
                self.handle_import_error(result, error, raise_errors)
                return result
            for plan in plans:
                plan.row_result.add_instance_info(plan.instance)
                if keep_instances:
                    plan.row_result.instance = plan.instance
        return result

    def preload_existing(self, dataset):
        """The visits the rows name, with what the comparison reads, by row key."""
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        self.row_keys = [self.natural_key(row) for row in rows]
        keys = {key for key in self.row_keys if key is not None}
        first = {}
        titles = sorted({key[4] for key in keys})
        for part in chunks(titles):
            found = (
                Visit.objects.filter(title__in=part)
                .order_by("pk")
                .values_list(
                    "pk",
                    "home_party_id",
                    "partner_city_id",
                    "direction",
                    "start_date",
                    "title",
                )
            )
            for pk, *key in found:
                if tuple(key) in keys:
                    first.setdefault(tuple(key), pk)
        by_pk = {}
        for part in chunks(sorted(first.values())):
            by_pk.update(
                (visit.pk, visit)
                for visit in Visit.objects.filter(pk__in=part)
                .select_related("home_party", "partner_city")
                .prefetch_related(
                    "sectors",
                    Prefetch(
                        "members", DelegationMember.objects.select_related("person")
                    ),
                )
            )
        self.existing = {key: by_pk[pk] for key, pk in first.items()}

    def check_rows(self, dataset, result, raise_errors, collect_failed_rows):
        """Validate every row (no writes); the plans of the rows to write."""
        self.preload_existing(dataset)
        self.claimed = {}  # natural key -> the row that imports it
        self.blank = self.init_instance()
        plans = []
        shown = 0
        for number, values in enumerate(dataset, start=1):
            row = dict(zip(dataset.headers, values, strict=True))
            plan = self.check_row(row, number, diff=shown < self.preview_rows)
            row_result = plan.row_result
            result.increment_row_result_total(row_result)
            if row_result.errors:
                result.append_error_row(number, row, row_result.errors)
                if collect_failed_rows:
                    result.append_failed_row(row, row_result.errors[0])
                if raise_errors:
                    raise exceptions.ImportError(
                        row_result.errors[-1].error, number=number, row=row
                    )
            elif row_result.validation_error is not None:
                result.append_invalid_row(number, row, row_result.validation_error)
                if collect_failed_rows:
                    result.append_failed_row(row, row_result.validation_error)
                if raise_errors:
                    raise exceptions.ImportError(
                        row_result.validation_error, number=number, row=row
                    )
            else:
                shown += 1
                if not row_result.is_skip():
                    plans.append(plan)
            if not row_result.is_skip() or self._meta.report_skipped:
                result.append_row_result(row_result)
        return plans

    #: Rows of the admin preview that show their values (the rest are counted).
    @property
    def preview_rows(self):
        return settings.PARTNERSHIPS_IMPORT_PREVIEW_ROWS

    def check_row(self, row, number, diff=True):
        """One row as the per-row import checks it, in Python alone."""
        plan = RowPlan(self.get_row_result_class()())
        row_result = plan.row_result
        try:
            key = self.row_keys[number - 1]
            earlier = self.claimed.get(key) if key is not None else None
            if earlier is not None:
                # Two rows naming one record would silently merge; say so instead.
                raise ValidationError(
                    _(
                        "This row describes the same record as row %(row)s "
                        "(%(key)s). Merge the two rows, or tell them apart."
                    )
                    % {"row": earlier, "key": self.key_description}
                )
            instance = self.existing.get(key) if key is not None else None
            new = instance is None
            if new:
                instance = self.init_instance(row)
                # Only read (to compare and to show): one blank for every new row.
                original = self.blank
            else:
                original = deepcopy(instance)
                # deepcopy leaves out the prefetched sectors and members.
                original._prefetched_objects_cache = dict(
                    instance._prefetched_objects_cache
                )
            self.after_init_instance(instance, new, row)
            errors = {}
            try:
                self.import_instance(instance, row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
            sectors = None
            column = self.fields["sectors"].column_name
            if column in row:
                try:
                    sectors = list(self.fields["sectors"].clean(row))
                except ValueError as error:
                    errors.setdefault("sectors", []).append(str(error))
            if self.skip_row(instance, original, row, errors):
                row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            else:
                self.validate_instance(instance, errors, validate_unique=False)
                row_result.import_type = (
                    RowResult.IMPORT_TYPE_NEW if new else RowResult.IMPORT_TYPE_UPDATE
                )
            if key is not None:
                self.claimed.setdefault(key, number)
            if not new:
                row_result.add_instance_info(instance)
            plan.instance, plan.new, plan.sectors = instance, new, sectors
            if diff:
                row_result.diff = self.row_diff(original, instance, new, sectors)
        except ValidationError as error:
            row_result.import_type = RowResult.IMPORT_TYPE_INVALID
            row_result.validation_error = self.relabel(error)
        except Exception as error:  # noqa: BLE001 - the row's error, as import_row
            row_result.import_type = RowResult.IMPORT_TYPE_ERROR
            row_result.errors.append(
                self.get_error_result_class()(error, row=row, number=number)
            )
        return plan

    def row_diff(self, original, instance, new, sectors):
        """The preview's cells, as the per-row import showed them after saving."""
        diff = self.get_diff_class()(self, original, new)
        sectors_field = self.fields["sectors"]
        right = []
        for field in self.get_import_fields():
            if field is sectors_field and sectors is not None:
                ordered = sorted(sectors, key=lambda s: (s.position, s.name))
                right.append(LIST_SEPARATOR.join(s.name for s in ordered))
            else:
                right.append(field.export(instance))
        diff.right = right
        return diff.as_html()

    def write(self, plans):
        """Write the checked rows: visits, their sectors, members and history."""
        user = self.user_for_history()
        created = [plan.instance for plan in plans if plan.new]
        updated = [plan.instance for plan in plans if not plan.new]
        bulk.insert(Visit, created)
        if updated:
            names = []
            for field in Visit._meta.concrete_fields:
                if field.primary_key or getattr(field, "auto_now_add", False):
                    continue
                names.append(field.name)
                if getattr(field, "auto_now", False):
                    # bulk_update does not call pre_save, which sets updated_at.
                    for visit in updated:
                        field.pre_save(visit, add=False)
            Visit.objects.bulk_update(updated, names)
        links = []
        for plan in plans:
            if plan.sectors is None:
                continue
            if plan.new:
                links.extend((plan.instance.pk, sector.pk) for sector in plan.sectors)
            elif {s.pk for s in plan.sectors} != {
                s.pk for s in plan.instance.sectors.all()
            }:
                # Rare: an existing visit's sectors changed. No history row here:
                # the one below records the visit with its new sectors.
                plan.instance.skip_history_when_saving = True
                plan.instance.sectors.set(plan.sectors)
                del plan.instance.skip_history_when_saving
        ids = bulk.insert_rows(Visit.sectors.through, ["visit_id", "sector_id"], links)
        self.write_members([plan.instance for plan in plans])
        history = bulk.insert_history(Visit, created, user)
        history.update(bulk.insert_history(Visit, updated, user, update=True))
        new_links = {
            "sectors": [(i, *link) for i, link in zip(ids, links, strict=True)]
        }
        self.write_history_m2m(history, created, new_links)
        invalidate_now_and_on_commit()

    def write_members(self, visits):
        """The delegations that changed, their new people included, in bulk."""
        people = []
        members = []
        for visit in visits:
            wanted = self.wanted_related(visit)
            stored = self.stored_related(visit) if visit._imported_existing else []
            if wanted is None or wanted == stored:
                continue
            for member in visit.members.all() if stored else ():
                self.history_user(member).delete()
            side_city = (
                visit.partner_city
                if visit.direction == Direction.INBOUND
                else visit.home_party
            )
            for position, (role, name, title) in enumerate(wanted, start=1):
                person = None
                if name:
                    person = self.index.person(name, side_city)
                    if person is None:
                        person = Person(name=name, city=side_city)
                        self.index.add_person(person)
                        people.append(person)
                members.append((visit.pk, person, title, role, position))
        user = self.user_for_history()
        bulk.insert(Person, people)
        bulk.insert_history(Person, people, user)
        # Plain rows, not instances: a large file has several members a visit.
        attnames = ["visit_id", "person_id", "title_at_time", "role", "position"]
        rows = [
            (visit, person.pk if person else None, title, role, position)
            for visit, person, title, role, position in members
        ]
        ids = bulk.insert_rows(DelegationMember, attnames, rows)
        bulk.insert_history_rows(DelegationMember, attnames, rows, ids, user)

    def write_history_m2m(self, history, created, new_links):
        """Each history row's sectors and sources, as simple-history snapshots them.

        A new visit's links are the ones just written (``{field: [(id, visit,
        other)]}``); an updated visit's are read.
        """
        if not history:  # history switched off
            return
        new_visits = {visit.pk for visit in created}
        updated = sorted(set(history) - new_visits)
        for field in Visit.history.model._history_m2m_fields:
            through = field.remote_field.through
            source = f"{field.m2m_field_name()}_id"
            target = f"{field.m2m_reverse_field_name()}_id"
            links = list(new_links.get(field.name, ()))
            for part in chunks(updated):
                links.extend(
                    through.objects.filter(**{f"{source}__in": part}).values_list(
                        "pk", source, target
                    )
                )
            bulk.insert_rows(
                getattr(Visit.history.model, field.name).model,
                ["id", source, target, "history_id"],
                ((pk, visit, other, history[visit]) for pk, visit, other in links),
            )

    def stored_related(self, instance):
        if not instance.pk:
            return []
        members = instance.members.all()
        if "members" not in getattr(instance, "_prefetched_objects_cache", {}):
            members = members.select_related("person")
        return [
            (m.role, m.person.name if m.person_id else "", m.title_at_time)
            for m in members
        ]

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["delegation"].column_name)
        instance._members = None
        if column not in row:
            return
        members = []
        errors = []
        heads = 0
        for number, line in enumerate(split_lines(row[column]), start=1):
            role, name, title = parse_member(line)
            if not name and not title:
                errors.append(
                    _("Line %(n)s names neither a person nor a title.") % {"n": number}
                )
            if len(title) > 300 or len(name) > 200:
                errors.append(_("Line %(n)s is too long.") % {"n": number})
            heads += role == DelegationRole.HEAD
            members.append((role, name, title))
        if heads > 1:
            errors.append(_("A delegation has one head."))
        # As the visit form does: a head is named, or the source is said not to.
        head_column = str(self.fields["head_unrecorded"].column_name)
        if not heads and not instance.head_unrecorded:
            errors.append(
                _(
                    "This visit has no head of delegation: add a line “%(head)s: "
                    "Name — Title” in this column, or put “yes” in the column "
                    "“%(column)s” if the source does not say who led it."
                )
                % {"head": DelegationRole.HEAD.label, "column": head_column}
            )
        if heads and instance.head_unrecorded:
            errors.append(
                _(
                    "The column “%(column)s” says yes, but a head of delegation is "
                    "listed; change one of the two."
                )
                % {"column": head_column}
            )
        if errors:
            raise ValidationError({"delegation": errors})
        instance._members = members

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        stored = self.stored_related(instance) if instance._imported_existing else []
        if wanted is None or wanted == stored:
            return
        if stored:
            for member in instance.members.all():
                self.history_user(member).delete()
        side_city = (
            instance.partner_city
            if instance.direction == Direction.INBOUND
            else instance.home_party
        )
        members = []
        for position, (role, name, title) in enumerate(wanted, start=1):
            person = self.person_for(name, side_city) if name else None
            # import_related checked each line (a name or title, one head).
            members.append(
                DelegationMember(
                    visit=instance,
                    person=person,
                    title_at_time=title,
                    role=role,
                    position=position,
                )
            )
        bulk_create_with_history(
            members, DelegationMember, default_user=self.user_for_history()
        )

    def optimise(self, queryset):
        return queryset.select_related("home_party", "partner_city").prefetch_related(
            "sectors",
            Prefetch("members", DelegationMember.objects.select_related("person")),
        )


# Institutions ---------------------------------------------------------------------


@register
class InstitutionResource(PartnershipResource):
    key_description = gettext_lazy("same name and city")

    name = text("name", gettext_lazy("Name"))
    name_local = text("name_local", gettext_lazy("Local name"))
    name_zh = text("name_zh", gettext_lazy("Chinese name"))
    name_ru = text("name_ru", gettext_lazy("Russian name"))
    kind = choice("kind", gettext_lazy("Kind"), InstitutionKind)
    city = city("city", gettext_lazy("City"), gettext_lazy("City country"))
    city_country = shown("city__country", gettext_lazy("City country"), CountryWidget())
    aliases = fields.Field(
        column_name=gettext_lazy("Alternate names"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_aliases",
    )
    website = text("website", gettext_lazy("Website"))
    description = text("description", gettext_lazy("Description"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (gettext_lazy("Name"), gettext_lazy("City"))

    related_attribute = "_aliases"

    class Meta(PartnershipResource.Meta):
        model = Institution
        fields = (
            "name",
            "name_local",
            "name_zh",
            "name_ru",
            "kind",
            "city",
            "city_country",
            "aliases",
            "website",
            "description",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def dehydrate_aliases(self, institution):
        return LIST_SEPARATOR.join(alias.name for alias in institution.aliases.all())

    def preload(self, dataset):
        column = str(self.fields["city"].column_name)
        if column in dataset.headers:
            self.index.preload_cities(dataset[column])

    def find_existing(self, row):
        name = self.cell("name", row)
        place = self.cell("city", row)
        if not name or not place:
            return None
        return (
            Institution.objects.filter(name__iexact=name, city=place)
            .order_by("pk")
            .first()
        )

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["aliases"].column_name)
        instance._aliases = None
        if column in row:
            names = []
            for name in split_list(row[column]):
                if name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
            if any(len(name) > 300 for name in names):
                raise ValidationError({"aliases": _("An alternate name is too long.")})
            instance._aliases = names

    def stored_related(self, instance):
        if not instance.pk:
            return []
        return list(instance.aliases.values_list("name", flat=True))

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        if wanted is None or wanted == self.stored_related(instance):
            return
        for alias in instance.aliases.all():
            self.history_user(alias).delete()
        for name in wanted:
            self.history_user(InstitutionAlias(institution=instance, name=name)).save()

    def optimise(self, queryset):
        return queryset.select_related("city").prefetch_related("aliases")


# Collaborations -------------------------------------------------------------------


class AgreementWidget(ResourceWidget):
    """The agreement a row belongs to, from its home party, partner and kind."""

    def clean(self, value, row=None, **kwargs):
        resource = self.resource
        home = resource.cell("home_party_lookup", row)
        partner = resource.cell("partner_lookup", row)
        if home is None or partner is None:
            raise ValueError(_("Give the home party and the partner city."))
        kind_column = str(resource.fields["agreement_kind"].column_name)
        kind = ChoiceWidget(AgreementKind).clean(row.get(kind_column))
        found = Agreement.objects.filter(
            Q(home_party=home, partner=partner) | Q(home_party=partner, partner=home)
        )
        if kind:
            found = found.filter(kind=kind)
        found = list(found.order_by("pk")[:2])
        if not found:
            raise ValueError(
                _("No agreement between %(home)s and %(partner)s is recorded.")
                % {"home": home.name, "partner": partner.name}
            )
        if len(found) > 1:
            raise ValueError(
                _(
                    "%(home)s and %(partner)s have several agreements; give the "
                    "agreement kind."
                )
                % {"home": home.name, "partner": partner.name}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.home_party.name if value else ""


class SectorWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        found = SectorsWidget().clean(value)
        if not found:
            return None
        if len(found) > 1:
            raise ValueError(_("Give one sector."))
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


def format_participant(participant):
    side = str(Side(participant.side).label)
    who = (
        participant.institution.name
        if participant.institution_id
        else participant.description
    )
    return participant_line(side, who, participant.role)


def participant_line(side, who, role):
    """'Home: Institution — Role' (``side`` is the side's label)."""
    if role:
        who = f"{who}{NAME_TITLE_SEPARATOR}{role}"
    return f"{side}: {who}"


@register
class CollaborationResource(PartnershipResource):
    key_description = gettext_lazy("same agreement, sector and title")

    title = text("title", gettext_lazy("Title"))
    sector = fields.Field(
        attribute="sector", column_name=gettext_lazy("Sector"), widget=SectorWidget()
    )
    agreement = fields.Field(
        attribute="agreement",
        column_name=gettext_lazy("Home party"),
        widget=AgreementWidget(),
    )
    home_party_country = shown(
        "agreement__home_party__country",
        gettext_lazy("Home party country"),
        CountryWidget(),
    )
    partner = shown("agreement__partner__name", gettext_lazy("Partner city"))
    partner_country = shown(
        "agreement__partner__country", gettext_lazy("Partner country"), CountryWidget()
    )
    agreement_kind = shown(
        "agreement__kind", gettext_lazy("Agreement kind"), ChoiceWidget(AgreementKind)
    )
    status = choice("status", gettext_lazy("Status"), CollaborationStatus)
    started_on = date("started_on", gettext_lazy("Started on"))
    ended_on = date("ended_on", gettext_lazy("Ended on"))
    summary = text("summary", gettext_lazy("Summary"))
    focus_areas = fields.Field(
        attribute="focus_areas",
        column_name=gettext_lazy("Focus areas"),
        widget=FocusAreasWidget(),
    )
    participants = fields.Field(
        column_name=gettext_lazy("Participants"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_participants",
    )
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    # Not columns of their own: how the agreement widget reads the two cities.
    home_party_lookup = lookup(
        gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    partner_lookup = lookup(
        gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )

    required_columns = (
        gettext_lazy("Title"),
        gettext_lazy("Sector"),
        gettext_lazy("Home party"),
        gettext_lazy("Partner city"),
    )

    related_attribute = "_participants"

    class Meta(PartnershipResource.Meta):
        model = Collaboration
        fields = (
            "title",
            "sector",
            "agreement",
            "home_party_country",
            "partner",
            "partner_country",
            "agreement_kind",
            "status",
            "started_on",
            "ended_on",
            "summary",
            "focus_areas",
            "participants",
            "published",
            "internal_notes",
            "home_party_lookup",
            "partner_lookup",
        )
        export_order = fields[:15]
        import_order = fields[:15]

    def dehydrate_participants(self, collaboration):
        return "\n".join(
            format_participant(p) for p in collaboration.participants.all()
        )

    def preload(self, dataset):
        for column in (_("Home party"), _("Partner city")):
            if column in dataset.headers:
                self.index.preload_cities(dataset[column])

    def find_existing(self, row):
        agreement = self.cell("agreement", row)
        sector = self.cell("sector", row)
        title = self.cell("title", row)
        if not agreement or not sector or not title:
            return None
        return (
            Collaboration.objects.filter(
                agreement=agreement, sector=sector, title__iexact=title
            )
            .order_by("pk")
            .first()
        )

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["participants"].column_name)
        instance._participants = None
        if column not in row:
            return
        agreement = instance.agreement if instance.agreement_id else None
        sides = choice_lookup(Side)
        wanted, errors = [], []
        for number, line in enumerate(split_lines(row[column]), start=1):
            side = None
            body = line
            if ":" in line:
                prefix, rest = line.split(":", 1)
                side = sides.get(prefix.strip().casefold())
                body = rest.strip() if side else line
            if side is None:
                errors.append(
                    _(
                        "Line %(n)s: start with the side, e.g. “%(home)s: …” or "
                        "“%(partner)s: …”."
                    )
                    % {
                        "n": number,
                        "home": Side.HOME.label,
                        "partner": Side.PARTNER.label,
                    }
                )
                continue
            role = ""
            if NAME_TITLE_SEPARATOR in body:
                body, role = (
                    part.strip() for part in body.split(NAME_TITLE_SEPARATOR, 1)
                )
            institution = None
            if agreement is not None:
                place = agreement.home_party if side == Side.HOME else agreement.partner
                institution = find_institution(body, place)
            wanted.append(
                (
                    side,
                    institution.pk if institution else None,
                    "" if institution else body,
                    role,
                )
            )
        if errors:
            raise ValidationError({"participants": errors})
        instance._participants = wanted

    def stored_related(self, instance):
        if not instance.pk:
            return []
        return [
            (p.side, p.institution_id, p.description, p.role)
            for p in instance.participants.all()
        ]

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        if wanted is None or wanted == self.stored_related(instance):
            return
        for participant in instance.participants.all():
            self.history_user(participant).delete()
        for side, institution_id, description, role in wanted:
            participant = CollaborationParticipant(
                collaboration=instance,
                side=side,
                institution_id=institution_id,
                description=description,
                role=role,
            )
            participant.full_clean()
            self.history_user(participant).save()

    def optimise(self, queryset):
        return queryset.select_related(
            "sector", "agreement__home_party", "agreement__partner"
        ).prefetch_related("focus_areas", "participants__institution")


def find_institution(name, place):
    """An institution in ``place`` by its name or an alternate name."""
    return (
        Institution.objects.filter(city=place)
        .filter(Q(name__iexact=name) | Q(aliases__name__iexact=name))
        .order_by("pk")
        .first()
    )


# Activities -----------------------------------------------------------------------


class CollaborationRefWidget(ResourceWidget):
    def clean(self, value, row=None, **kwargs):
        title = force_str(value if value is not None else "").strip()
        if not title:
            return None
        partner = self.resource.cell("partner_lookup", row)
        found = Collaboration.objects.filter(title__iexact=title)
        if partner is not None:
            found = found.filter(
                Q(agreement__partner=partner) | Q(agreement__home_party=partner)
            )
        found = list(found.order_by("pk")[:2])
        if not found:
            raise ValueError(
                _("No collaboration titled “%(title)s” is recorded.") % {"title": title}
            )
        if len(found) > 1:
            raise ValueError(
                _(
                    "Several collaborations are titled “%(title)s”; give the "
                    "partner city."
                )
                % {"title": title}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class VisitRefWidget(ResourceWidget):
    def clean(self, value, row=None, **kwargs):
        direction = ChoiceWidget(Direction).clean(value)
        if not direction:
            return None
        resource = self.resource
        partner = resource.cell("partner_lookup", row)
        if partner is None:
            raise ValueError(_("Give the partner city of the visit."))
        found = Visit.objects.filter(
            partner_city=partner,
            direction=direction,
            start_date=resource.cell("visit_start", row),
            title=resource.cell("visit_title", row) or "",
        )
        home_party = resource.cell("visit_home_party", row)
        if home_party:
            found = found.filter(home_party__name__iexact=home_party)
        found = list(found.order_by("pk")[:2])
        if not found:
            raise ValueError(_("No such visit is recorded (check the visit columns)."))
        if len(found) > 1:
            # Taking one of them would attach the activity to a visit at random.
            home_column = str(resource.fields["visit_home_party"].column_name)
            if home_party:
                raise ValueError(
                    _(
                        "Several visits match the visit columns, with the same home "
                        "party; give those visits different titles first."
                    )
                )
            raise ValueError(
                _(
                    "Several visits match the visit columns; give the visit's home "
                    "party in the column “%(column)s”."
                )
                % {"column": home_column}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return ChoiceWidget(Direction).render(value.direction) if value else ""


@register
class ActivityResource(PartnershipResource):
    key_description = gettext_lazy("same title, start date, collaboration and visit")

    title = text("title", gettext_lazy("Title"))
    kind = choice("kind", gettext_lazy("Kind"), ActivityKind)
    start_date = date("start_date", gettext_lazy("Start date"))
    end_date = date("end_date", gettext_lazy("End date"))
    date_note = text("date_note", gettext_lazy("About the dates"))
    partner = fields.Field(
        column_name=gettext_lazy("Partner city"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_partner",
        readonly=True,
    )
    partner_country = fields.Field(
        column_name=gettext_lazy("Partner country"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_partner_country",
        readonly=True,
    )
    collaboration = fields.Field(
        attribute="collaboration",
        column_name=gettext_lazy("Collaboration"),
        widget=CollaborationRefWidget(),
    )
    visit = fields.Field(
        attribute="visit",
        column_name=gettext_lazy("Visit direction"),
        widget=VisitRefWidget(),
    )
    visit_start = fields.Field(
        attribute="visit__start_date",
        column_name=gettext_lazy("Visit start date"),
        widget=IsoDateWidget(),
        readonly=True,
    )
    visit_title = fields.Field(
        attribute="visit__title",
        column_name=gettext_lazy("Visit title"),
        widget=TextWidget(),
        readonly=True,
    )
    visit_home_party = fields.Field(
        attribute="visit__home_party__name",
        column_name=gettext_lazy("Visit home party"),
        widget=TextWidget(),
        readonly=True,
    )
    location = city("location", gettext_lazy("Where"), gettext_lazy("Where (country)"))
    location_country = shown(
        "location__country", gettext_lazy("Where (country)"), CountryWidget()
    )
    description = text("description", gettext_lazy("Description"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    partner_lookup = lookup(
        gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )

    required_columns = (gettext_lazy("Title"), gettext_lazy("Kind"))

    class Meta(PartnershipResource.Meta):
        model = Activity
        fields = (
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_note",
            "partner",
            "partner_country",
            "collaboration",
            "visit",
            "visit_start",
            "visit_title",
            "visit_home_party",
            "location",
            "location_country",
            "description",
            "published",
            "internal_notes",
            "partner_lookup",
        )
        export_order = fields[:17]
        import_order = fields[:17]

    def partner_of(self, activity):
        if activity.collaboration_id:
            return activity.collaboration.agreement.partner
        if activity.visit_id:
            return activity.visit.partner_city
        return None

    def dehydrate_partner(self, activity):
        partner = self.partner_of(activity)
        return partner.name if partner else ""

    def dehydrate_partner_country(self, activity):
        partner = self.partner_of(activity)
        return country_name(partner.country.code) if partner else ""

    def preload(self, dataset):
        for column in (_("Partner city"), _("Where")):
            if column in dataset.headers:
                self.index.preload_cities(dataset[column])

    def find_existing(self, row):
        title = self.cell("title", row)
        if not title:
            return None
        return (
            Activity.objects.filter(
                title__iexact=title,
                start_date=self.cell("start_date", row),
                collaboration=self.cell("collaboration", row),
                visit=self.cell("visit", row),
            )
            .order_by("pk")
            .first()
        )

    def optimise(self, queryset):
        return queryset.select_related(
            "collaboration__agreement__partner",
            "visit__partner_city",
            "visit__home_party",
            "location",
        )


RESOURCE_ORDER = [
    CityResource,
    InstitutionResource,
    AgreementResource,
    VisitResource,
    CollaborationResource,
    ActivityResource,
]


def resource_by_name(name):
    """A resource class from 'visits', 'visit', 'partnerships.Visit' or its path."""
    wanted = name.strip().casefold()
    for resource in RESOURCE_ORDER:
        model = resource._meta.model
        names = {
            model.__name__.casefold(),
            model._meta.model_name,
            f"{model._meta.app_label}.{model._meta.model_name}",
            str(model._meta.verbose_name).casefold(),
            str(model._meta.verbose_name_plural).casefold(),
            resource.__name__.casefold(),
            f"{resource.__module__}.{resource.__name__}".casefold(),
        }
        if wanted in names:
            return resource
    return None
