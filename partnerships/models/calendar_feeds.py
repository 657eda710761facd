"""Staff members' private calendar feeds: one per person, its link's token kept
only as a hash, so the link can be revoked and a copy of the database gives no
one a working link."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A staff member's private feed of upcoming visits, anniversaries and
    renewals due, read by their calendar program through a secret link."""

    # The feed is the person's own credential, not a record of the office: it
    # goes with them.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_read_at = models.DateTimeField(_("last read"), null=True, blank=True)

    class Meta:
        verbose_name = _("private calendar feed")
        verbose_name_plural = _("private calendar feeds")
        default_permissions = ()

    def __str__(self):
        return str(self.user)
