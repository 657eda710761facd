"""Activities: a dated thing done under a collaboration or during a visit."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from .base import Publishable
from .choices import ActivityKind
from .cities import City
from .collaborations import Collaboration
from .dated import (
    DATE_NOTE_HELP,
    DatedAsKnown,
    DatedAsKnownQuerySet,
    precision_known_iff_dated,
)
from .sources import Source
from .visits import Visit


class ActivityQuerySet(DatedAsKnownQuerySet):
    def published(self):
        """Published, and so is what it was done under or during. Checked per
        activity (``EXISTS``), not against every published visit and
        collaboration (``IN``): a partner page's few activities are found in
        milliseconds among 100,000 visits, not in the time to list them all."""
        collaboration = Collaboration.objects.published().filter(
            pk=OuterRef("collaboration_id")
        )
        visit = Visit.objects.published().filter(pk=OuterRef("visit_id"))
        return (
            self.filter(published=True)
            .filter(Q(collaboration__isnull=True) | Exists(collaboration))
            .filter(Q(visit__isnull=True) | Exists(visit))
        )

    def of_partner(self, city):
        """Done under a collaboration with ``city`` or during a visit with it."""
        return self.filter(
            Q(collaboration__agreement__partner=city) | Q(visit__partner_city=city)
        )

    def upcoming(self, today=None):
        """Dated activities starting today or later: what is planned (an
        activity has no status of its own; one known only by its month or year
        stays upcoming until that month or year is over)."""
        return self.starting_from(today)


class Activity(DatedAsKnown, Publishable):
    """A dated thing done under a collaboration or during a visit."""

    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("public description"), blank=True)
    collaboration = models.ForeignKey(
        Collaboration,
        verbose_name=_("collaboration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    location = models.ForeignKey(
        City,
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
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
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="activities"
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [("publish_activity", _("Can publish and unpublish activities"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(collaboration__isnull=False) | Q(visit__isnull=False),
                name="activity_belongs_somewhere",
                violation_error_message=_(
                    "An activity belongs to a collaboration, a visit or both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            precision_known_iff_dated(
                "activity_precision_known_iff_dated",
                _(
                    "An activity's dates are either written, to some precision, or "
                    "not known at all."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        self.settle_dates()
        if not self.collaboration_id and not self.visit_id:
            raise ValidationError(
                _("An activity belongs to a collaboration, a visit or both.")
            )
        if self.end_date and not self.start_date:
            raise ValidationError({"end_date": _("Give the start date too.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The activity cannot end before it starts.")}
            )
