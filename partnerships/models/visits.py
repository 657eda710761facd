"""Delegation visits, inbound and outbound, and who went."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from . import dates
from .base import Publishable
from .choices import (
    HOME_ROLES,
    CityRole,
    DelegationLevel,
    DelegationRole,
    Direction,
    VisitStatus,
)
from .cities import City
from .dated import (
    DATE_NOTE_HELP,
    DatedAsKnown,
    DatedAsKnownQuerySet,
    precision_known_iff_dated,
    starting_from_condition,
)
from .partial_dates import format_date
from .people import Person, describe_person
from .sectors import Sector
from .sources import Source


def upcoming_condition(today=None):
    """What makes a visit upcoming (``VisitQuerySet.upcoming``), to filter or
    exclude by."""
    return Q(status=VisitStatus.PLANNED) & starting_from_condition(today)


class VisitQuerySet(DatedAsKnownQuerySet):
    def published(self):
        return self.filter(
            published=True, partner_city__published=True, home_party__published=True
        )

    def inbound(self):
        return self.filter(direction=Direction.INBOUND)

    def outbound(self):
        return self.filter(direction=Direction.OUTBOUND)

    def of_partner(self, city):
        """The visits between ``city`` and the home municipality or a district."""
        return self.filter(partner_city=city, home_party__role__in=HOME_ROLES)

    def upcoming(self, today=None):
        """Planned visits starting today or later; undated plans are not upcoming.

        A visit known only by its month (or year) is upcoming until that month
        (or year) is over: it may still be ahead.
        """
        return self.filter(upcoming_condition(today))

    def past(self, today=None):
        """Every visit that is not upcoming: done, cancelled, undated, or planned
        for a time gone by (a partner page's timeline)."""
        return self.exclude(upcoming_condition(today))

    def completed(self):
        return self.filter(status=VisitStatus.COMPLETED)

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

    def contacts(self):
        """Completed, dated visits annotated with ``contact_date`` (their last day)."""
        return (
            self.completed()
            .dated()
            .annotate(contact_date=Coalesce("end_date", "start_date"))
        )


class Visit(DatedAsKnown, Publishable):
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
    date_note = models.CharField(
        _("about the dates"),
        max_length=300,
        blank=True,
        help_text=DATE_NOTE_HELP,
    )
    head_unrecorded = models.BooleanField(
        _("head of delegation not recorded"),
        default=False,
        help_text=_("Tick when the source does not say who led the delegation."),
    )
    head_level = models.CharField(
        _("level of the head of delegation"),
        max_length=12,
        choices=DelegationLevel,
        blank=True,
        default=DelegationLevel.NOT_RECORDED,
        # Rows written outside Django (COPY) are "not recorded" too.
        db_default=DelegationLevel.NOT_RECORDED,
        help_text=_(
            "The rank of the post the head held at the time: a mayor, party "
            "secretary or governor is at mayor level or above, a vice-mayor or "
            "deputy mayor at vice-mayor level. Leave it not recorded when the "
            "source does not say."
        ),
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
            precision_known_iff_dated(
                "visit_precision_known_iff_dated",
                _(
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
