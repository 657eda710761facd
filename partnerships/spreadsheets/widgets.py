"""How each kind of cell is read from a file and written to one (the related
records' widgets are in ``record_widgets``).

Each widget is django-import-export's: ``clean`` reads a cell, ``render`` writes one
for a record. Each also knows its ``export_column``: the same rendering for a whole
chunk of an export at once, over plain values (``partnerships.spreadsheets.exports``);
a widget without one sends its resource down the library's own export path.
"""

import datetime
import decimal
import re

from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django_countries.fields import Country
from import_export import widgets

from ..models import partial_dates
from ..models.choices import DatePrecision
from .exports import Memo, Unsupported, blank_none, mapped, resolve
from .lookups import (
    LookupCache,
    choice_table,
    country_code,
    country_name,
)

LIST_SEPARATOR = "; "


class Widget(widgets.Widget):
    """A widget of ours: it can reach its resource (its look-ups, the row's cells)."""

    resource = None

    def lookups(self):
        return self.resource.lookups if self.resource else LookupCache()

    def export_column(self, plan, path):
        """The column of ``path`` for a chunk of plain values (see exports.Plan)."""
        raise Unsupported(path)

    def rendered_column(self, plan, path):
        """The column as ``render`` writes each value."""
        return mapped(plan.render(self), plan.index(path))

    def remembered_column(self, plan, path):
        """The column of a few distinct values (choices, countries) rendered once."""
        return mapped(Memo(plan.render(self)).__getitem__, plan.index(path))

    def record_column(self, plan, path, field):
        """A related record shown by one of its (required) text fields."""
        full = f"{path}__{field}"
        if resolve(plan.model, full).null:
            raise Unsupported(full)
        return blank_none(plan.index(full))


class TextWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        if type(value) is str:
            return value.strip()
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return force_str(value).strip()

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else force_str(value)

    def export_column(self, plan, path):
        found, render = plan.index(path), plan.render(self)

        def column(values, lists):
            texts = values[found]
            # Most text columns hold nothing else, which a set of types tells in C.
            if set(map(type, texts)) == {str}:
                return texts
            return [v if v.__class__ is str else render(v) for v in texts]

        return column


class IntegerWidget(Widget):
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

    export_column = Widget.rendered_column


class DecimalWidget(Widget):
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

    export_column = Widget.rendered_column


ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MIDNIGHT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]00:00(:00)?")


class IsoDateWidget(Widget):
    """A day: YYYY-MM-DD, another way the office writes one, or a real
    spreadsheet date; nothing that could be swapped."""

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
        if MIDNIGHT.fullmatch(text):
            text = text[:10]
        match = ISO_DATE.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return datetime.date(year, month, day)
            except ValueError:
                raise ValueError(
                    _("“%(value)s” is not a real date (no such day in that month).")
                    % {"value": text}
                ) from None
        # The office's other ways of writing a day (2024年3月5日, 2024/3/5,
        # 05.03.2024), as partial_dates reads them; a day, nothing less.
        try:
            day, precision = partial_dates.parse(text)
        except partial_dates.DateError as error:
            raise ValueError(str(error)) from None
        if precision != DatePrecision.DAY:
            raise ValueError(
                _(
                    "“%(value)s” is not a whole date: this column needs the day, "
                    "for example 1993-10-20."
                )
                % {"value": text}
            )
        return day

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        if kwargs.get("force_native_type"):
            return value
        return value.isoformat()

    def export_column(self, plan, path):
        found = plan.index(path)
        if plan.native:
            return blank_none(found)

        def column(values, lists):
            return ["" if v is None else v.isoformat() for v in values[found]]

        return column


class PartialDateWidget(IsoDateWidget):
    """A date as precisely as it is known, as its own text: 2027-05-14, 2027-05
    or 2027 (models/partial_dates.py); the record's ``date_precision`` (or the
    one at ``precision``, a path: an activity's ``visit__date_precision``) says
    how much of it there is. Reads the office's forms and real spreadsheet dates."""

    def __init__(self, precision="date_precision", **kwargs):
        self.precision = precision
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.date):
            return super().clean(value, row, **kwargs)
        return partial_dates.parse(value)[0]

    def render(self, value, obj=None, **kwargs):
        return partial_dates.iso(value, precision_of(obj, self.precision))

    def export_column(self, plan, path):
        found, precision = plan.index(path), plan.index(self.precision)

        def column(values, lists):
            return list(map(partial_dates.iso, values[found], values[precision]))

        return column


class ExactDayWidget(IsoDateWidget):
    """A date as a real spreadsheet date, where it is known to the day; else empty.
    The precision is the record's ``date_precision``, or the one at ``precision``."""

    def __init__(self, precision="date_precision", **kwargs):
        self.precision = precision
        super().__init__(**kwargs)

    def render(self, value, obj=None, **kwargs):
        if precision_of(obj, self.precision) != DatePrecision.DAY:
            return ""
        return super().render(value, obj, **kwargs)

    def export_column(self, plan, path):
        found, precision = plan.index(path), plan.index(self.precision)
        native = plan.native

        def column(values, lists):
            return [
                ""
                if day is None or known != DatePrecision.DAY
                else day
                if native
                else day.isoformat()
                for day, known in zip(values[found], values[precision], strict=True)
            ]

        return column


def precision_of(record, path="date_precision"):
    """The precision at ``path`` from ``record``: a day where none is said."""
    for part in path.split("__"):
        record = getattr(record, part, None)
    return record or DatePrecision.DAY


class YesNoWidget(Widget):
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

    def export_column(self, plan, path):
        found = plan.index(path)

        def column(values, lists):
            return ["yes" if v else "no" for v in values[found]]

        return column


class ChoiceWidget(Widget):
    """A choice written as its label (in any site language) or its code.

    ``choices`` is a model field's ``choices`` (or a ``TextChoices``).
    """

    def __init__(self, choices, **kwargs):
        super().__init__(**kwargs)
        self.choices = list(getattr(choices, "choices", choices))
        self.labels = dict(self.choices)
        self.table = None

    def lookup(self):
        """Codes and labels in every site language, casefolded, to the code."""
        if self.table is None:
            self.table = choice_table(self.choices)
        return self.table

    def clean(self, value, row=None, **kwargs):
        text = force_str(value if value is not None else "").strip()
        if not text:
            return None
        code = self.lookup().get(text.casefold())
        if code is None:
            allowed = ", ".join(str(label) for _value, label in self.choices)
            raise ValueError(
                _("“%(value)s” is not one of: %(allowed)s.")
                % {"value": text, "allowed": allowed}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        return str(self.labels.get(value, value))

    export_column = Widget.remembered_column


class CountryWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        return country_code(value)

    def render(self, value, obj=None, **kwargs):
        code = value.code if isinstance(value, Country) else value
        return country_name(code)

    export_column = Widget.remembered_column
