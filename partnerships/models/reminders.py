"""Reminders already e-mailed, so none is sent twice."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SentReminder(models.Model):
    """A reminder already e-mailed, so a daily run never sends it twice."""

    key = models.CharField(
        _("event"),
        max_length=200,
        unique=True,
        help_text=_("What the reminder was about, e.g. 'anniversary:12:2028-10-20'."),
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self):
        return self.key
