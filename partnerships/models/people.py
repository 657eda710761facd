"""People: who signs agreements and who goes on delegations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Recorded, named
from .cities import City


class Person(named(), Recorded):
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

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("person")
        verbose_name_plural = _("people")


def describe_person(person, title):
    """'Name, Title', or only the one that is known."""
    parts = [part for part in (person.name if person else "", title) if part]
    return ", ".join(parts)
