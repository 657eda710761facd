"""Partner cities' own offices, and the requests sent to them to confirm a visit
or a collaboration through a signed link (issue 19).

A request keeps only the hash of its link's token, so a copy of the database
gives no one a working link, and a link can be revoked. What the partner answers
is kept on the request; it changes the record only once a clerk accepts it
(``partnerships/confirmations.py``).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import Recorded
from .choices import ConfirmationAnswer, ConfirmationStatus, ContactLanguage
from .cities import City
from .collaborations import Collaboration
from .visits import Visit


class PartnerContact(Recorded):
    """An office (or a person in it) of a partner city that can confirm records."""

    city = models.ForeignKey(
        City,
        verbose_name=_("partner city"),
        on_delete=models.PROTECT,
        related_name="partner_contacts",
    )
    office = models.CharField(
        _("office"),
        max_length=300,
        help_text=_("E.g. 'International Relations Department of Voronezh'."),
    )
    person = models.CharField(
        _("person"),
        max_length=200,
        blank=True,
        help_text=_("Someone in that office, if the office named one."),
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=ContactLanguage,
        default=ContactLanguage.EN,
        help_text=_("The e-mail and the page they are sent are in this language."),
    )
    notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the office only; never shown to the partner."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["office", "pk"]
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")

    def __str__(self):
        return f"{self.office} ({self.person})" if self.person else self.office


class ConfirmationRequestQuerySet(models.QuerySet):
    def of(self, record):
        """The requests about ``record`` (a visit or a collaboration)."""
        return self.filter(**{RECORD_FIELDS[type(record)]: record})

    def awaiting(self, moment=None):
        """Sent, not answered nor revoked, and not expired."""
        return self.filter(
            status=ConfirmationStatus.AWAITING,
            expires_at__gt=moment or timezone.now(),
        )

    def expired(self, moment=None):
        return self.filter(
            status=ConfirmationStatus.AWAITING,
            expires_at__lte=moment or timezone.now(),
        )

    def confirmed(self):
        """Answers that confirm the record as correct, the latest first."""
        return self.filter(
            status=ConfirmationStatus.ANSWERED, answer=ConfirmationAnswer.CONFIRMED
        ).order_by("-used_at", "-pk")


class ConfirmationRequest(models.Model):
    """One record sent to one partner contact to confirm, through one link."""

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmation_requests",
    )
    collaboration = models.ForeignKey(
        Collaboration,
        verbose_name=_("collaboration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="confirmation_requests",
    )
    contact = models.ForeignKey(
        PartnerContact,
        verbose_name=_("partner contact"),
        on_delete=models.PROTECT,
        related_name="confirmation_requests",
    )
    # The contact's language when it was sent: the page stays in the language
    # of the e-mail even if the contact's changes later.
    language = models.CharField(_("language"), max_length=10, choices=ContactLanguage)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    message = models.TextField(_("message to the partner"), blank=True)
    #: sha256 of the link's token, in hex; the token itself is never kept.
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConfirmationStatus,
        default=ConfirmationStatus.AWAITING,
    )
    opened_at = models.DateTimeField(_("first opened"), null=True, blank=True)
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=ConfirmationAnswer, blank=True
    )
    respondent_name = models.CharField(
        _("respondent's name"), max_length=200, blank=True
    )
    respondent_office = models.CharField(
        _("respondent's office"), max_length=300, blank=True
    )
    comment = models.TextField(_("partner's comment"), blank=True)
    #: ``{field: text}``: the corrections proposed, each in ``language``.
    corrections = models.JSONField(
        _("proposed corrections"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    #: ``[{"member": id or None, "name": text, "title": text}]``: delegation
    #: members corrected (``member``: the row's id) or added (None).
    members = models.JSONField(
        _("proposed delegation changes"), default=list, blank=True
    )
    #: ``{key: "accepted" | "rejected"}``: a field's name, or ``member:<index>``.
    decisions = models.JSONField(_("decisions"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ConfirmationRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("confirmation request")
        verbose_name_plural = _("confirmation requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, collaboration__isnull=True)
                | Q(visit__isnull=True, collaboration__isnull=False),
                name="confirmation_one_record",
                violation_error_message=_(
                    "A request is about one visit or one collaboration."
                ),
            ),
            models.UniqueConstraint(
                fields=["visit", "contact"],
                condition=Q(status=ConfirmationStatus.AWAITING),
                name="confirmation_one_awaiting_per_visit_contact",
            ),
            models.UniqueConstraint(
                fields=["collaboration", "contact"],
                condition=Q(status=ConfirmationStatus.AWAITING),
                name="confirmation_one_awaiting_per_collaboration_contact",
            ),
        ]
        indexes = [models.Index(fields=["status", "sent_at"])]

    def __str__(self):
        return f"#{self.pk} {self.record} → {self.contact}"

    @property
    def record(self):
        return self.visit if self.visit_id else self.collaboration

    def is_expired(self, moment=None):
        return self.status == ConfirmationStatus.AWAITING and self.expires_at <= (
            moment or timezone.now()
        )


#: The request's field that points to each kind of record it can be about.
RECORD_FIELDS = {Visit: "visit", Collaboration: "collaboration"}
