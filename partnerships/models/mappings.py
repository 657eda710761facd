"""A file's own column names matched to a list's columns, saved under a name."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def header_key(header):
    """A column name as two files of the same office compare it."""
    return " ".join(str(header).split()).casefold()


def headers_signature(headers):
    """What two files with the same column names, in any order, share."""
    keys = sorted({header_key(h) for h in headers if str(h).strip()})
    return hashlib.sha256("\x1f".join(keys).encode("utf-8")).hexdigest()


class ColumnMapping(models.Model):
    """Which of a list's columns each column of an office's own file fills."""

    name = models.CharField(_("name"), max_length=100)
    records = models.CharField(
        _("list"),
        max_length=50,
        help_text=_("The list the files are imported into (its model's name)."),
    )
    headers = models.JSONField(
        _("the file's column names"), default=list, help_text=_("In the file's order.")
    )
    signature = models.CharField(max_length=64, db_index=True, editable=False)
    columns = models.JSONField(
        _("columns"),
        default=dict,
        help_text=_(
            "Each of the file's column names to the list's field, or '' to ignore it."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        ordering = ["records", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["records", "name"], name="unique_mapping_name_per_list"
            )
        ]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.signature = headers_signature(self.headers)
        super().save(*args, **kwargs)
