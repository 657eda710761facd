"""Collaborations in a sector under an agreement, and who takes part on each side."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .agreements import Agreement
from .base import Publishable, named, unique_names
from .choices import CollaborationStatus, Side
from .dated import precision_field, precisions_known_iff_dated
from .institutions import Institution
from .partial_dates import settle, span_text
from .sectors import Sector
from .sources import Source


class FocusArea(named(local=False)):
    """A subject a collaboration concentrates on (e.g. LNG storage technology)."""

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = unique_names("focusarea")


class CollaborationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            published=True,
            agreement__published=True,
            agreement__home_party__published=True,
            agreement__partner__published=True,
        )

    def active(self):
        return self.filter(status=CollaborationStatus.ACTIVE)


class ParticipantQuerySet(models.QuerySet):
    def published(self):
        """Participants a public page may name: unnamed or published institutions."""
        return self.filter(
            Q(institution__isnull=True)
            | Q(institution__published=True, institution__city__published=True)
        )


class Collaboration(Publishable):
    """Work together in one sector under an agreement."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="collaborations",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="collaborations",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("public summary"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("focus areas"),
        blank=True,
        related_name="collaborations",
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    started_precision = precision_field(_("started on: precision"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    ended_precision = precision_field(_("ended on: precision"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CollaborationStatus,
        default=CollaborationStatus.ACTIVE,
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="collaborations"
    )

    objects = CollaborationQuerySet.as_manager()

    class Meta:
        ordering = ["sector__position", "title_en"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [
            ("publish_collaboration", _("Can publish and unpublish collaborations"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="collaboration_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            precisions_known_iff_dated(
                "collaboration_precisions_known_iff_dated",
                _("Each date is written, to some precision, or not known at all."),
                ("started_on", "started_precision"),
                ("ended_on", "ended_precision"),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.settle_dates()
        super().save(*args, **kwargs)

    def settle_dates(self):
        """Each date as its first day, its precision known iff it is there."""
        self.started_on, self.started_precision = settle(
            self.started_on, self.started_precision
        )
        self.ended_on, self.ended_precision = settle(
            self.ended_on, self.ended_precision
        )

    def period_text(self):
        """ "since May 2019", "2019 – March 2024": its dates as known; "" if none."""
        return span_text(
            self.started_on, self.started_precision, self.ended_on, self.ended_precision
        )

    def clean(self):
        self.settle_dates()
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The collaboration cannot end before it starts.")}
            )


class CollaborationParticipant(models.Model):
    """An institution taking part in a collaboration, on one side."""

    collaboration = models.ForeignKey(
        Collaboration,
        verbose_name=_("collaboration"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_(
            "For participants the source does not name, e.g. 'Voronezh news agencies'."
        ),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(description=""),
                name="participant_institution_or_description",
                violation_error_message=_(
                    "Choose an institution or describe the participant."
                ),
            ),
            models.UniqueConstraint(
                fields=["collaboration", "institution"],
                name="participant_unique_institution",
                violation_error_message=_("This institution already takes part."),
            ),
        ]

    def __str__(self):
        return self.institution.name if self.institution_id else self.description

    def clean(self):
        if self.institution_id and self.side and self.institution.side != self.side:
            raise ValidationError(
                {
                    "side": _(
                        "%(institution)s is in %(city)s, which is not on this side."
                    )
                    % {
                        "institution": self.institution.name,
                        "city": self.institution.city.name,
                    }
                }
            )
