"""Institutions taking part in collaborations, with the other names they go by."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Publishable, named
from .choices import HOME_ROLES, InstitutionKind, Side
from .cities import City
from .known_names import KnownByNames, KnownByNamesQuerySet, OtherName
from .sources import Source


class InstitutionQuerySet(KnownByNamesQuerySet):
    def published(self):
        return self.filter(published=True, city__published=True)


class Institution(named(300), KnownByNames, Publishable):
    """A hospital, university, school, media outlet, body or firm in a city."""

    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("public description"), blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="institutions"
    )

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [
            ("publish_institution", _("Can publish and unpublish institutions"))
        ]
        constraints = [
            models.UniqueConstraint(
                # English, named explicitly: see City's constraint.
                fields=["name_en", "city"],
                name="institution_unique_name_city",
                violation_error_message=_(
                    "An institution with this name already exists in this city."
                ),
            )
        ]

    @property
    def side(self):
        return Side.HOME if self.city.role in HOME_ROLES else Side.PARTNER


class InstitutionAlias(OtherName):
    """Another name an institution is known by."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(_("alternate name"), max_length=300)

    history = HistoricalRecords()

    OWNER = "institution"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alternate name")
        verbose_name_plural = _("alternate names")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="alias_unique_per_institution"
            )
        ]
