"""Where a record's facts come from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Recorded


class Source(Recorded):
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    credit = models.CharField(
        _("credit line"),
        max_length=300,
        blank=True,
        help_text=_("How a public page credits it, e.g. 'Source: Foreign Affairs …'."),
    )
    notes = models.TextField(_("internal notes"), blank=True)

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        if self.publisher:
            return f"{self.title} ({self.publisher})"
        return self.title
