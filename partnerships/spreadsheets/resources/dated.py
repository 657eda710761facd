"""The columns of records dated as precisely as known: visits and activities (one
precision for both dates), collaborations (one for each).

Each date goes out as its own text ("2027-05", "2027", "2027-05-14"), and beside
it as a real spreadsheet date where it is known to the day ("Start day (exact
dates only)"); only the text is read back, and the record's precision follows
from how the row writes it (models/dated.py).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from ...models.choices import DatePrecision
from ...models.partial_dates import DateError, parse
from ..fields import DateAsKnownField
from ..widgets import ExactDayWidget, PartialDateWidget
from .base import PartnershipResource


class DatesAsKnownResource(PartnershipResource):
    start_day = DateAsKnownField(
        attribute="start_date",
        column_name=gettext_lazy("Start day (exact dates only)"),
        widget=ExactDayWidget(),
        readonly=True,
    )
    end_day = DateAsKnownField(
        attribute="end_date",
        column_name=gettext_lazy("End day (exact dates only)"),
        widget=ExactDayWidget(),
        readonly=True,
    )
    #: Written as precisely as known; the precision follows from them.
    partial_dates = ("start_date", "end_date")

    class Meta(PartnershipResource.Meta):
        pass

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if field_name not in cls.partial_dates:
            return field
        return as_known(field, readonly, "date_precision")

    def get_export_fields(self, selected_fields=None):
        # The precision is in how each date is written; a file from before this
        # said it in a column of its own, which is still read.
        fields = super().get_export_fields(selected_fields)
        return [field for field in fields if field.attribute != "date_precision"]

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        self.read_precision(instance, row)

    def read_precision(self, instance, row):
        """The record's precision, from how the row writes its dates."""
        written = {}
        for name in self.partial_dates:
            column = self.fields[name].column_name
            if column in row:
                try:
                    written[name] = parse(row[column])[1]
                except DateError:
                    written[name] = None  # reported by the date's own cell
        if "start_date" not in written:
            return
        precision = written["start_date"]
        stated = (
            self.cell("date_precision", row)
            if "date_precision" in self.fields
            else None
        )
        if stated and precision == DatePrecision.DAY:
            # A file from before: the date as a day, how much of it is true aside.
            precision = stated
        end = written.get("end_date")
        if end not in (None, DatePrecision.UNKNOWN, precision):
            raise ValidationError(
                {
                    "end_date": gettext(
                        "Write both dates to the same precision: 2027-05-14 and "
                        "2027-05-17, or 2027-05 and 2027-06."
                    )
                }
            )
        if precision is not None:
            instance.date_precision = precision
            instance.settle_dates()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        before = instance._import_original
        return unchanged and instance.date_precision == before.date_precision


class EachDateAsKnownResource(PartnershipResource):
    """Dates each with a precision of its own (``dates_as_known``: date field to
    precision field); subclasses declare an exact-day column for each, with
    ``exact_day``."""

    dates_as_known = {}

    class Meta(PartnershipResource.Meta):
        pass

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if field_name not in cls.dates_as_known:
            return field
        return as_known(field, readonly, cls.dates_as_known[field_name])

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        for name, precision in self.dates_as_known.items():
            column = self.fields[name].column_name
            if column not in row:
                continue
            try:
                day, known = parse(row[column])
            except DateError:
                continue  # reported by the date's own cell
            setattr(instance, name, day)
            setattr(instance, precision, known)
        instance.settle_dates()

    def skip_row(self, instance, original, row, import_validation_errors=None):
        unchanged = super().skip_row(instance, original, row, import_validation_errors)
        before = instance._import_original
        return unchanged and all(
            getattr(instance, precision) == getattr(before, precision)
            for precision in self.dates_as_known.values()
        )


def as_known(field, readonly, precision):
    """A date column of ``field`` written as precisely as the record's field
    ``precision`` says, and read back the same way."""
    return DateAsKnownField(
        attribute=field.attribute,
        column_name=field.column_name,
        widget=PartialDateWidget(precision=precision),
        readonly=readonly,
        saves_null_values=field.saves_null_values,
    )


def exact_day(attribute, precision, column_name):
    """A column with the date as a real spreadsheet date where it is exact."""
    return DateAsKnownField(
        attribute=attribute,
        column_name=column_name,
        widget=ExactDayWidget(precision=precision),
        readonly=True,
    )
