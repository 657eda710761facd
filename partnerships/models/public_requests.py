"""Requests the public sends the office (the contact form), and their log.

A request is never public: no public page, export or sitemap reads it. Its
personal data (who wrote, how to reach them, what they wrote) is kept for the
retention period the privacy notice states, then erased by ``manage.py
purge_requests``; the row stays, anonymous, for the counts (when, in which
language, about which partner and sector, how it ended).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import RequestEventKind, RequestStatus
from .site import telephone_validator

#: What a request can still be doing: waiting for someone, or being answered.
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED)
#: The fields that say who wrote and what: erased once the retention is over.
PERSONAL_FIELDS = (
    "organisation",
    "name",
    "email",
    "telephone",
    "other_city",
    "message",
    "fingerprint",
)


class PublicRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def personal(self):
        """Requests whose personal data is still kept."""
        return self.filter(erased_at__isnull=True)

    def received_before(self, moment):
        return self.filter(received_at__lt=moment)


class PublicRequest(models.Model):
    """A message to the office from the contact form: a question, or a
    proposal of an exchange with a partner city."""

    MESSAGE_MAX_LENGTH = 5000

    # NULL for the moment between the row's insert and its numbering (its
    # number is its key): two requests arriving at once are both unnumbered.
    reference = models.CharField(  # noqa: DJ001
        _("reference"), max_length=20, unique=True, null=True, editable=False
    )
    received_at = models.DateTimeField(
        _("received"), default=timezone.now, db_index=True
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        help_text=_("The language the request was written from; replies use it."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    telephone = models.CharField(
        _("telephone"), max_length=50, blank=True, validators=[telephone_validator]
    )
    partner_city = models.ForeignKey(
        "partnerships.City",
        verbose_name=_("partner city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_requests",
    )
    other_city = models.CharField(
        _("another city"),
        max_length=200,
        blank=True,
        help_text=_("A city that is not yet a partner, as the sender named it."),
    )
    sector = models.ForeignKey(
        "partnerships.Sector",
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_requests",
    )
    message = models.TextField(_("message"), blank=True)
    consented_at = models.DateTimeField(
        _("consent given"),
        help_text=_("When the sender agreed to the privacy notice."),
    )
    #: The message's digest, to refuse an exact repeat (``public/spam.py``).
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus,
        default=RequestStatus.NEW,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        # A colleague who still holds requests is not deleted unnoticed.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_requests",
    )
    acknowledged_at = models.DateTimeField(
        _("acknowledged"), null=True, blank=True, editable=False
    )
    erased_at = models.DateTimeField(
        _("personal data erased"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublicRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("public request")
        verbose_name_plural = _("public requests")
        # Nobody adds a request but the public, and none is deleted: its
        # personal data is erased (``erase``), the anonymous row kept.
        default_permissions = ("change", "view")
        permissions = [
            ("erase_publicrequest", _("Can erase a request's personal data")),
        ]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self):
        return self.reference or str(_("request (not yet numbered)"))

    @property
    def city_text(self):
        """The partner city, or the other city the sender named."""
        if self.partner_city_id:
            return str(self.partner_city)
        return self.other_city


class RequestEvent(models.Model):
    """One step in a request's handling: acknowledged, assigned, a note, a
    reply, a change of status, its personal data erased."""

    request = models.ForeignKey(
        PublicRequest,
        verbose_name=_("request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("what"), max_length=20, choices=RequestEventKind)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    #: A note's or a reply's text; erased with the request's personal data.
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("step in a request's handling")
        verbose_name_plural = _("steps in a request's handling")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.request}: {self.get_kind_display()}"
