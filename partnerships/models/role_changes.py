"""The audit of who changed whose roles (accounts/escalation.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleChange(models.Model):
    """A change of someone's roles: their groups and superuser status."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_changes",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    #: ``{"groups": [names], "superuser": bool}`` before and after.
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("change of roles")
        verbose_name_plural = _("changes of roles")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.user} ({self.changed_at:%Y-%m-%d %H:%M})"
