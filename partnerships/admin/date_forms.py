"""Admin forms for dates typed as precisely as they are known.

``PartialDateField`` reads what a clerk types ("2027-05-14", "2027-05",
"2027年5月", "May 2027") as ``(first day, precision)``;
``DatesAsKnownForm`` gives a record its one precision for both dates (visits,
activities), ``EachDateAsKnownForm`` one per date (collaborations, positions).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..models.choices import DatePrecision
from ..models.partial_dates import DateError, iso, parse, period


class PartialDateField(forms.CharField):
    """A date typed as precisely as it is known; cleans to ``(day, precision)``.

    ``2027-05-14``, ``2027-05``, ``2027``, ``2027年5月``, "May 2027" or nothing
    (models/partial_dates.py): the clerk does not choose the precision, it is
    what they wrote.
    """

    widget = forms.TextInput(
        attrs={"size": 20, "placeholder": "2027-05-14 / 2027-05 / 2027"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        try:
            return parse(text)
        except DateError as error:
            raise ValidationError(str(error), code="invalid") from None


class DatesAsKnownForm(forms.ModelForm):
    """A visit or an activity: its dates typed as precisely as known, the
    record's ``date_precision`` following from them (models/dated.py)."""

    start_date = PartialDateField(
        label=_("start date"),
        help_text=_(
            "As precisely as the source says: 2027-05-14, 2027-05 (a month) or "
            "2027 (a year). Leave empty when it gives no date; never guess one."
        ),
    )
    end_date = PartialDateField(
        label=_("end date"),
        help_text=_("To the same precision as the start; empty for a single day."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The dates as they are known, written back the way they are typed.
        for name in ("start_date", "end_date"):
            self.initial[name] = iso(
                getattr(self.instance, name), self.instance.date_precision
            )

    def clean(self):
        cleaned_data = super().clean()
        self.clean_dates(cleaned_data)
        return cleaned_data

    def clean_dates(self, cleaned_data):
        """Each date as its first day; the record's precision from how they were
        written, the same for both."""
        written = {}
        for name in ("start_date", "end_date"):
            if name in cleaned_data:
                written[name] = cleaned_data[name]
                cleaned_data[name] = written[name][0]
        if len(written) < 2:
            return
        start, precision = written["start_date"]
        end, end_precision = written["end_date"]
        # An end without a start is the model's to refuse (its clean()).
        if start is not None and end is not None and end_precision != precision:
            self.add_error(
                "end_date",
                _(
                    "Write both dates to the same precision: 2027-05-14 and "
                    "2027-05-17, or 2027-05 and 2027-06."
                ),
            )
        self.instance.date_precision = precision or DatePrecision.UNKNOWN


class EachDateAsKnownForm(forms.ModelForm):
    """Dates each typed as precisely as known, each with its own precision (a
    post held "2019 – March 2024", a collaboration "since May 2019")."""

    #: ``{form field: (date attribute, precision attribute)}``, start first.
    dates_as_known = {}
    ends_before_start = _("The end is before the start.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (day, precision) in self.dates_as_known.items():
            self.initial[name] = iso(
                getattr(self.instance, day), getattr(self.instance, precision)
            )

    def clean(self):
        cleaned_data = super().clean()
        spans = []
        for name, (day_attr, precision_attr) in self.dates_as_known.items():
            if name not in cleaned_data:
                spans.append(None)
                continue
            day, precision = cleaned_data[name]
            cleaned_data[name] = day
            setattr(self.instance, day_attr, day)
            setattr(self.instance, precision_attr, precision)
            spans.append(period(day, None, precision))
        start, end = spans
        if start and end and end[1] < start[0]:
            self.add_error(list(self.dates_as_known)[1], self.ends_before_start)
        return cleaned_data
