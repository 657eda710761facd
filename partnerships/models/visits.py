"""Delegation visits, inbound and outbound, and who went."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import dates
from .base import Publishable
from .choices import (
    HOME_ROLES,
    CityRole,
    DatePrecision,
    DelegationRole,
    Direction,
    VisitStatus,
)
from .cities import City
from .partial_dates import format_date, normalise, period
from .people import Person, describe_person
from .sectors import Sector
from .sources import Source


class VisitQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            published=True, partner_city__published=True, home_party__published=True
        )

    def inbound(self):
        return self.filter(direction=Direction.INBOUND)

    def outbound(self):
        return self.filter(direction=Direction.OUTBOUND)

    def upcoming(self, today=None):
        """Planned visits starting today or later; undated plans are not upcoming.

        A visit known only by its month (or year) is upcoming until that month
        (or year) is over: it may still be ahead.
        """
        today = today or timezone.localdate()
        return self.filter(status=VisitStatus.PLANNED).filter(
            Q(start_date__gte=today)
            | Q(
                date_precision=DatePrecision.MONTH, start_date__gte=today.replace(day=1)
            )
            | Q(
                date_precision=DatePrecision.YEAR,
                start_date__gte=today.replace(month=1, day=1),
            )
        )

    def completed(self):
        return self.filter(status=VisitStatus.COMPLETED)

    def dated(self):
        return self.filter(start_date__isnull=False)

    def undated(self):
        return self.filter(start_date__isnull=True)

    def likely_same_as(self, visit):
        """Other visits to or from the same partner, in the same direction, whose
        dates overlap ``visit``'s at the precision each is known: a visit
        perhaps recorded twice. Undated visits are not compared."""
        mine = visit.period()
        if mine is None or not visit.partner_city_id:
            return []
        first, last = mine
        # No visit lasts a year: anything starting earlier cannot reach ``first``.
        candidates = (
            self.filter(
                partner_city_id=visit.partner_city_id,
                direction=visit.direction,
                start_date__lte=last,
                start_date__gte=first.replace(year=first.year - 1, day=1),
            )
            .exclude(pk=visit.pk)
            .select_related("partner_city", "home_party")
        )
        return [other for other in candidates if other.period()[1] >= first]

    def in_period(self, first, last):
        """Dated visits overlapping ``first``..``last`` (both inclusive)."""
        return self.filter(start_date__lte=last).filter(
            Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first)
        )

    def contacts(self):
        """Completed, dated visits annotated with ``contact_date`` (their last day)."""
        return (
            self.completed()
            .dated()
            .annotate(contact_date=Coalesce("end_date", "start_date"))
        )


class Visit(Publishable):
    """A delegation visit, inbound or outbound."""

    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    partner_city = models.ForeignKey(
        City,
        verbose_name=_("partner city"),
        on_delete=models.PROTECT,
        related_name="visits",
        help_text=_(
            "Where an outbound delegation went, or where an inbound one came from."
        ),
    )
    home_party = models.ForeignKey(
        City,
        verbose_name=_("home party"),
        on_delete=models.PROTECT,
        related_name="home_visits",
        help_text=_("The home municipality or district that sent or received it."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("A short public headline; left empty, one is made from the facts."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=VisitStatus,
        default=VisitStatus.PLANNED,
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the source gives no date; never guess one."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision,
        default=DatePrecision.UNKNOWN,
        help_text=_(
            "How much of the dates is known: it follows from how they are written "
            "(2027-05-14, 2027-05, 2027)."
        ),
    )
    date_note = models.CharField(
        _("about the dates"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Several trips; the source gives no dates.'"),
    )
    head_unrecorded = models.BooleanField(
        _("head of delegation not recorded"),
        default=False,
        help_text=_("Tick when the source does not say who led the delegation."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    outcomes = models.TextField(
        _("outcomes"),
        blank=True,
        help_text=_("Agreements signed, projects started."),
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="visits"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="visits"
    )

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [("publish_visit", _("Can publish and unpublish visits"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="visit_ends_after_start",
                violation_error_message=_(
                    "The end date is before the start date, or has no start date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True, date_precision="unknown")
                | Q(start_date__isnull=False) & ~Q(date_precision="unknown"),
                name="visit_precision_known_iff_dated",
                violation_error_message=_(
                    "A visit's dates are either written, to some precision, or not "
                    "known at all."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(partner_city=F("home_party")),
                name="visit_parties_differ",
                violation_error_message=_("The partner and home party must differ."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["partner_city", "status", "start_date"]),
        ]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        self.settle_dates()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        self.settle_dates()
        if self.end_date and not self.start_date:
            errors["end_date"] = _("Give the start date too, or neither.")
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The visit cannot end before it starts.")
        if (
            self.status == VisitStatus.COMPLETED
            and self.start_date
            and dates.is_after_today(self.start_date)
        ):
            errors["status"] = _(
                "A visit that starts in the future cannot be marked as completed."
            )
        if self.home_party_id and self.home_party_id == self.partner_city_id:
            errors["partner_city"] = _("The partner and home party must differ.")
        # The sides are not interchangeable: the direction is read from them.
        if self.home_party_id and self.home_party.role not in HOME_ROLES:
            errors["home_party"] = _(
                "The home party must be the home municipality or one of its districts."
            )
        if self.partner_city_id and self.partner_city.role != CityRole.PARTNER:
            errors["partner_city"] = _("The partner city must be a partner city.")
        if errors:
            raise ValidationError(errors)

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

    @property
    def display_title(self):
        title = self.title
        if title:
            return title
        partner = self.partner_city.name if self.partner_city_id else "?"
        home = self.home_party.name if self.home_party_id else "?"
        if self.direction == Direction.INBOUND:
            route = _("Delegation from %(partner)s to %(home)s")
        else:
            route = _("Delegation from %(home)s to %(partner)s")
        text = route % {"partner": partner, "home": home}
        if self.start_date:
            text = f"{text}, {format_date(self.start_date, self.date_precision)}"
        return text

    @property
    def contact_day(self):
        """The day this visit counts as contact: its last day, if it is dated."""
        return self.end_date or self.start_date


class DelegationMember(models.Model):
    """A member of a visiting delegation, with the title they held at the time."""

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text=_("Leave empty when the person is known only by title."),
    )
    title_at_time = models.CharField(
        _("title at the time"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Chairman of the Voronezh City Duma'."),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=DelegationRole, default=DelegationRole.MEMBER
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(title_at_time=""),
                name="member_person_or_title",
                violation_error_message=_("Name the person or at least their title."),
            ),
            models.UniqueConstraint(
                fields=["visit"],
                condition=Q(role=DelegationRole.HEAD),
                name="visit_one_head",
                violation_error_message=_("A delegation has one head."),
            ),
        ]

    def __str__(self):
        return describe_person(self.person, self.title_at_time)
