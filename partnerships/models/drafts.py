"""Changes to what the public sees of a live record, waiting for a Publisher.

A live (published) record stays as a Publisher approved it; someone without
the publish permission who changes its public content makes a ``Draft``
instead (``partnerships/publication.py``). A record has at most one pending
draft; a second edit adds to it.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DraftStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    SENT_BACK = "sent_back", _("Sent back")


class DraftQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=DraftStatus.PENDING)

    def of(self, record):
        """The drafts of ``record``."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
        )


class Draft(models.Model):
    """A change to a live record's public content, kept until a Publisher
    approves it or sends it back."""

    content_type = models.ForeignKey(
        ContentType, verbose_name=_("kind of record"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("record"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DraftStatus,
        default=DraftStatus.PENDING,
    )
    #: ``{"fields": {column: value}, "m2m": {field: [ids]}, "children":
    #: {accessor: [{column: value}]}}``: what the record would become.
    proposed = models.JSONField(encoder=DjangoJSONEncoder)
    #: The live values of the same keys when the draft began: what it changes.
    base = models.JSONField(encoder=DjangoJSONEncoder)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="drafts",
    )
    #: Everyone who added to it, the author first (user ids).
    contributors = models.JSONField(default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    comment = models.TextField(_("reviewer's comment"), blank=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        default_permissions = ("view",)
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="pending"),
                name="draft_one_pending_per_record",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.content_type.name} #{self.object_id}"

    def record(self):
        """The live record, or ``None`` if it is gone."""
        model = self.content_type.model_class()
        return model._default_manager.filter(pk=self.object_id).first()
