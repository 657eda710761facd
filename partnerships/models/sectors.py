"""Reference data: the sectors collaborations and visits serve."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import named


class SectorManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Sector(named(100, local=False, unique=True)):
    """Reference data: the sectors collaborations and visits serve."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SectorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.localized_name

    def natural_key(self):
        return (self.code,)
