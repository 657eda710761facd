"""Reference data: the sectors collaborations and visits serve."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import named, unique_names


class SectorManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Sector(named(100, local=False)):
    """Reference data: the sectors collaborations and visits serve."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SectorManager()

    class Meta:
        ordering = ["position", "name_en"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = unique_names("sector")

    def natural_key(self):
        return (self.code,)
