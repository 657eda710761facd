"""People: who signs agreements and who goes on delegations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Recorded, named
from .cities import City
from .search import name_key


class PersonQuerySet(models.QuerySet):
    def namesakes(self, person):
        """The people of ``person``'s city (or of none) who go by one of their
        names, in any language or script, compared as ``name_key`` does: the
        same person, perhaps, recorded twice."""
        keys = {name_key(getattr(person, field)) for field in Person.NAMES} - {""}
        if not keys:
            return self.none()
        people = self.filter(city_id=person.city_id).exclude(pk=person.pk)
        found = [
            pk
            for pk, *names in people.values_list("pk", *Person.NAMES)
            if keys & {name_key(name) for name in names if name}
        ]
        return self.filter(pk__in=found)


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

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("person")
        verbose_name_plural = _("people")


def describe_person(person, title):
    """'Name, Title', or only the one that is known."""
    parts = [part for part in (person.name if person else "", title) if part]
    return ", ".join(parts)
