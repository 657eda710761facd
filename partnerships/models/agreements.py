"""Twinning agreements, their status over time and who signed them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import dates, uploads
from .base import Publishable
from .choices import HOME_ROLES, AgreementKind, AgreementStatus, DatePrecision, Side
from .cities import City
from .partial_dates import format_date
from .people import Person, describe_person
from .sources import Source
from .visits import Visit


class AgreementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            published=True, home_party__published=True, partner__published=True
        )

    def active(self):
        return self.filter(status=AgreementStatus.ACTIVE)

    def of_home(self):
        return self.filter(home_party__role__in=HOME_ROLES)

    def involving(self, city):
        return self.filter(Q(home_party=city) | Q(partner=city))

    def with_last_contact(self, published_only=False):
        """Annotate ``last_contact``: the latest day of a completed, dated visit,
        and ``last_contact_precision``: how much of it is known."""
        visits = Visit.objects.contacts()
        if published_only:
            visits = visits.published()
        latest = visits.filter(partner_city=OuterRef("partner")).order_by(
            "-contact_date", "-pk"
        )
        return self.annotate(
            last_contact=Subquery(latest.values("contact_date")[:1]),
            last_contact_precision=Subquery(latest.values("date_precision")[:1]),
        )


class Agreement(Publishable):
    """A twinning agreement between a home party and a partner city."""

    home_party = models.ForeignKey(
        City,
        verbose_name=_("home party"),
        on_delete=models.PROTECT,
        related_name="agreements_as_home",
        help_text=_("The home municipality or the district that signed."),
    )
    partner = models.ForeignKey(
        City,
        verbose_name=_("partner city"),
        on_delete=models.PROTECT,
        related_name="agreements_as_partner",
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=AgreementKind.choices,
        default=AgreementKind.SISTER_CITY,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AgreementStatus.choices,
        default=AgreementStatus.ACTIVE,
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_place = models.CharField(_("signed at"), max_length=200, blank=True)
    term_years = models.PositiveSmallIntegerField(
        _("term (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for an agreement without a fixed term."),
    )
    renewal_due_on = models.DateField(_("renewal due"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason it ended"), blank=True)
    origin = models.TextField(
        _("how it began"),
        blank=True,
        help_text=_("Why and how the partnership began (public)."),
    )
    document = models.FileField(
        _("signed document"),
        upload_to=uploads.document_path,
        blank=True,
        validators=[
            uploads.validate_pdf,
            uploads.MaxSizeValidator("PARTNERSHIPS_DOCUMENT_MAX_BYTES"),
        ],
        help_text=_("The signed agreement as a PDF; only staff can open it."),
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="agreements"
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "partner__name_en"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [
            ("publish_agreement", _("Can publish and unpublish agreements")),
            ("view_report", _("Can see and download the period report")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(home_party=F("partner")),
                name="agreement_parties_differ",
                violation_error_message=_(
                    "A city cannot sign an agreement with itself."
                ),
            ),
            # One agreement per pair and kind, whichever side is recorded as home.
            models.UniqueConstraint(
                Least("home_party", "partner"),
                Greatest("home_party", "partner"),
                "kind",
                name="agreement_unique_pair_kind",
                violation_error_message=_(
                    "These two cities already have an agreement of this kind."
                ),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(ended_on__gte=F("signed_on")),
                name="agreement_ends_after_signing",
                violation_error_message=_(
                    "An agreement cannot end before it is signed."
                ),
            ),
            models.CheckConstraint(
                condition=Q(renewal_due_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(renewal_due_on__gte=F("signed_on")),
                name="agreement_renewal_after_signing",
                violation_error_message=_("A renewal cannot fall before the signing."),
            ),
        ]
        indexes = [models.Index(fields=["status", "published"])]

    def __str__(self):
        return (
            f"{self.home_party.name} – {self.partner.name} ({self.get_kind_display()})"
        )

    def clean(self):
        errors = {}
        if self.home_party_id and self.home_party_id == self.partner_id:
            errors["partner"] = _("A city cannot sign an agreement with itself.")
        if self.status == AgreementStatus.ENDED and not self.end_reason:
            errors["end_reason"] = _("Say why the agreement ended.")
        if self.status != AgreementStatus.ENDED and self.ended_on:
            errors["ended_on"] = _("Only an ended agreement has an end date.")
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = _("The signing date cannot be in the future.")
        if self.signed_on and self.ended_on and self.ended_on < self.signed_on:
            errors["ended_on"] = _("The end date is before the signing date.")
        if (
            self.signed_on
            and self.renewal_due_on
            and self.renewal_due_on < self.signed_on
        ):
            errors["renewal_due_on"] = _("The renewal falls before the signing date.")
        if errors:
            raise ValidationError(errors)

    @property
    def document_url(self):
        """The signed document's address: a view for staff who may see agreements."""
        if not self.document:
            return ""
        return reverse("agreement-document", kwargs={"pk": self.pk})

    # Derived facts. ``today`` is a parameter so reports can ask "as of" a day.

    def years_since_signing(self, today=None):
        return dates.whole_years_between(self.signed_on, today or timezone.localdate())

    def next_round_anniversary(self, today=None):
        """``(date, years)`` of the next round anniversary, or ``None``."""
        return dates.next_round_anniversary(
            self.signed_on,
            today or timezone.localdate(),
            settings.PARTNERSHIPS_ROUND_ANNIVERSARY_STEP,
        )

    def get_last_contact(self):
        """The last day of the latest completed visit with the partner, if dated."""
        return self.last_contact_and_precision()[0]

    def last_contact_and_precision(self):
        """``(day, precision)`` of the last contact; ``(None, None)`` if none."""
        if hasattr(self, "last_contact"):
            return self.last_contact, getattr(self, "last_contact_precision", None)
        latest = (
            Visit.objects.contacts()
            .filter(partner_city_id=self.partner_id)
            .order_by("-contact_date", "-pk")
            .values_list("contact_date", "date_precision")
            .first()
        )
        return latest or (None, None)

    def last_contact_text(self):
        """The last contact for people, as precisely as known; "" if none."""
        day, precision = self.last_contact_and_precision()
        return format_date(day, precision or DatePrecision.DAY)

    def has_gone_quiet(self, today=None):
        if self.status != AgreementStatus.ACTIVE:
            return False
        return dates.has_gone_quiet(
            self.get_last_contact(),
            today or timezone.localdate(),
            settings.PARTNERSHIPS_QUIET_AFTER_YEARS,
            since=self.signed_on,
        )


class AgreementStatusChange(models.Model):
    """One step in an agreement's status history."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    status = models.CharField(_("status"), max_length=20, choices=AgreementStatus)
    changed_on = models.DateField(
        _("from"), null=True, blank=True, help_text=_("Empty if the date is unknown.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = [F("changed_on").asc(nulls_first=True), "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")

    def __str__(self):
        when = format_date(self.changed_on) if self.changed_on else _("date unknown")
        return f"{self.get_status_display()} ({when})"


class Signatory(models.Model):
    """Who signed an agreement, with the title they held then."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        related_name="signatories",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    title_at_time = models.CharField(_("title at the time"), max_length=300, blank=True)

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(title_at_time=""),
                name="signatory_person_or_title",
                violation_error_message=_("Name the person or at least their title."),
            )
        ]

    def __str__(self):
        return describe_person(self.person, self.title_at_time)
