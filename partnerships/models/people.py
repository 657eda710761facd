"""People: who signs agreements and who goes on delegations, by every name and
title they have had."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Recorded, named
from .choices import DatePrecision
from .cities import City
from .dated import precision_field, precisions_known_iff_dated
from .known_names import KnownByNames, KnownByNamesQuerySet, OtherName
from .partial_dates import period, settle, span_text


class Person(named(), KnownByNames, Recorded):
    """Someone who signs, leads or joins a delegation."""

    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The city the person represents."),
    )
    current_title = models.CharField(_("current title"), max_length=300, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)

    objects = KnownByNamesQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def position_on(self, start, end=None, precision=DatePrecision.DAY):
        """The position held all through a time (a visit's dates, as precisely as
        they are known); ``None`` if the record does not say, or names two."""
        return position_held(self.positions.all(), start, end, precision)


class PersonAlias(OtherName):
    """Another spelling a person's name is written in (Sergei, Sergey, Serguei)."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(_("other spelling"), max_length=200)

    history = HistoricalRecords()

    OWNER = "person"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("other spelling")
        verbose_name_plural = _("other spellings")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "name"], name="alias_unique_per_person"
            )
        ]


class Position(models.Model):
    """A post a person held, from when to when, as precisely as known."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(
        _("post"),
        max_length=300,
        help_text=_("E.g. 'Deputy Mayor of Voronezh'."),
    )
    start_date = models.DateField(_("from"), null=True, blank=True)
    start_precision = precision_field(_("from: precision"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_precision = precision_field(_("until: precision"))

    class Meta:
        ordering = ["start_date", "pk"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            precisions_known_iff_dated(
                "position_precision_known_iff_dated",
                _("Each date is written, to some precision, or not known at all."),
                ("start_date", "start_precision"),
                ("end_date", "end_precision"),
            )
        ]

    def __str__(self):
        when = self.when()
        return f"{self.title} ({when})" if when else self.title

    def save(self, *args, **kwargs):
        self.start_date, self.start_precision = settle(
            self.start_date, self.start_precision
        )
        self.end_date, self.end_precision = settle(self.end_date, self.end_precision)
        super().save(*args, **kwargs)

    def when(self):
        """Its dates for people: "2019 – 2023", "since May 2021"…"""
        return span_text(
            self.start_date, self.start_precision, self.end_date, self.end_precision
        )

    def held_through(self, first, last):
        """Whether the record says it was held from ``first`` to ``last``: begun
        by then (or with no start recorded) and not ended before."""
        began = period(self.start_date, None, self.start_precision)
        ended = period(self.end_date, None, self.end_precision)
        if began is not None and began[1] > first:
            return False
        if ended is not None and ended[0] < last:
            return False
        return began is not None or ended is not None


def position_held(positions, start, end=None, precision=DatePrecision.DAY):
    """Of ``positions``, the one held all through ``start``–``end`` (as precisely
    as known); ``None`` if none is, or two posts are."""
    when = period(start, end, precision)
    if when is None:
        return None
    held = [position for position in positions if position.held_through(*when)]
    return held[0] if len({position.title_en for position in held}) == 1 else None


def describe_person(person, title):
    """'Name, Title', or only the one that is known."""
    parts = [part for part in (person.name if person else "", title) if part]
    return ", ".join(parts)
