"""Records with a start and an end known to one precision: visits, activities.

The dates are stored as the first day of what is known (1 May for "May 2027")
and ``date_precision`` says how much of them is true; ``partial_dates.py``
writes them for people.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import DatePrecision
from .partial_dates import normalise, period

#: Each dated field of a record, and the field that says how precisely it is
#: known (a visit's and an activity's two share one).
PRECISION_OF = {
    "start_date": "date_precision",
    "end_date": "date_precision",
    "started_on": "started_precision",
    "ended_on": "ended_precision",
}


def precision_field(verbose_name, **options):
    """How much of a date (or of a record's dates) is known."""
    return models.CharField(
        verbose_name,
        max_length=10,
        choices=DatePrecision,
        default=DatePrecision.UNKNOWN,
        **options,
    )


class DatedAsKnownQuerySet(models.QuerySet):
    def dated(self):
        return self.filter(start_date__isnull=False)

    def undated(self):
        return self.filter(start_date__isnull=True)

    def in_period(self, first, last):
        """Dated records overlapping ``first``..``last`` (both inclusive)."""
        return self.filter(start_date__lte=last).filter(
            Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)
        )

    def starting_from(self, today=None):
        """Records starting today or later. One known only by its month (or
        year) may still be ahead until that month (or year) is over."""
        return self.filter(starting_from_condition(today))


def starting_from_condition(today=None):
    """The condition of ``DatedAsKnownQuerySet.starting_from``, to filter or
    exclude by."""
    today = today or timezone.localdate()
    return (
        Q(start_date__gte=today)
        | Q(date_precision=DatePrecision.MONTH, start_date__gte=today.replace(day=1))
        | Q(
            date_precision=DatePrecision.YEAR,
            start_date__gte=today.replace(month=1, day=1),
        )
    )


#: Every "about the dates" note's help: the public reads it.
DATE_NOTE_HELP = _(
    "Shown to the public beside the dates, so write it for them: e.g. "
    "'Several trips during the year.'"
)


class DatedAsKnown(models.Model):
    """``start_date`` and ``end_date`` (declared by each model) at one precision."""

    date_precision = precision_field(
        _("date precision"),
        help_text=_(
            "How much of the dates is known: it follows from how they are written "
            "(2027-05-14, 2027-05, 2027)."
        ),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.settle_dates()
        super().save(*args, **kwargs)

    def settle_dates(self):
        """The precision as the dates have it: "unknown" without a start; a day
        if a start was given without one. Month and year dates are kept as their
        first day."""
        if self.start_date is None:
            # An end without a start is left for clean() and the database to
            # refuse, not dropped.
            self.date_precision = DatePrecision.UNKNOWN
            return
        if self.date_precision == DatePrecision.UNKNOWN:
            self.date_precision = DatePrecision.DAY
        self.start_date = normalise(self.start_date, self.date_precision)
        self.end_date = normalise(self.end_date, self.date_precision)

    def period(self):
        """``(first day, last day)`` the dates could mean; ``None`` if undated."""
        return period(self.start_date, self.end_date, self.date_precision)


def precisions_known_iff_dated(name, message, *pairs):
    """The constraint for dates that each have their own precision: ``pairs``
    of ``(date field, precision field)``."""
    condition = Q()
    for day, precision in pairs:
        condition &= Q(**{f"{day}__isnull": True, precision: "unknown"}) | Q(
            **{f"{day}__isnull": False}
        ) & ~Q(**{precision: "unknown"})
    return models.CheckConstraint(
        condition=condition, name=name, violation_error_message=message
    )


def precision_known_iff_dated(name, message):
    """The constraint: dates are written to some precision, or not known at all."""
    return precisions_known_iff_dated(name, message, ("start_date", "date_precision"))
