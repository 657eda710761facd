"""A merge of records that were one person or one institution, kept for undoing."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class MergeQuerySet(models.QuerySet):
    def into(self, record):
        """The merges that kept ``record``, newest first."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(record),
            kept_id=record.pk,
        )


class Merge(models.Model):
    """Records merged into one; what ``merges.undo`` needs to part them again."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    kept_id = models.PositiveBigIntegerField(_("record kept"))
    merged_ids = models.JSONField(_("records merged into it"))
    description = models.TextField(_("what was merged"))
    #: The merged records and rows as they were, the links moved, the names
    #: added, and the kept record's fields before and after (merges.py).
    snapshot = models.JSONField(encoder=DjangoJSONEncoder)
    merged_at = models.DateTimeField(_("merged"), auto_now_add=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("merged by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = MergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        default_permissions = ("view",)

    def __str__(self):
        return self.description
