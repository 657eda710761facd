"""The office's records: cities, agreements, visits, collaborations, sources."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest, Least
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from . import dates, uploads
from .choices import (
    ActivityKind,
    AgreementKind,
    AgreementStatus,
    CityRole,
    CollaborationStatus,
    DatePrecision,
    DelegationRole,
    Direction,
    InstitutionKind,
    Side,
    VisitStatus,
)
from .querysets import (
    HOME_ROLES,
    ActivityQuerySet,
    AgreementQuerySet,
    CityQuerySet,
    CollaborationQuerySet,
    InstitutionQuerySet,
    ParticipantQuerySet,
    VisitQuerySet,
)

# The languages whose speakers read a city's local-script name as their own.
LOCAL_LANGUAGE_OF_COUNTRY = {
    "zh": {"CN", "TW", "HK", "MO", "SG"},
    "ru": {"RU", "BY", "KZ", "KG"},
}

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id is Q followed by digits, such as Q14886.")
)


def localized(obj, language=None):
    """The name of ``obj`` in the reader's language, where one is recorded."""
    language = (language or get_language() or "en").lower()
    for prefix in ("zh", "ru"):
        if language.startswith(prefix):
            own = getattr(obj, f"name_{prefix}", "")
            if own:
                return own
            country = getattr(obj, "country", None)
            local = getattr(obj, "name_local", "")
            if local and country and country.code in LOCAL_LANGUAGE_OF_COUNTRY[prefix]:
                return local
    return obj.name


class Recorded(models.Model):
    """Bookkeeping every record carries."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Publishable(Recorded):
    """A record the public may see once a Publisher has ticked ``published``."""

    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Shown on the public site. Only a Publisher can change this."),
    )
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("For the office only; never shown to the public."),
    )

    class Meta:
        abstract = True


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

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        if self.publisher:
            return f"{self.title} ({self.publisher})"
        return self.title


class SectorManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Sector(models.Model):
    """Reference data: the sectors collaborations and visits serve."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = SectorManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self):
        return self.localized_name

    def natural_key(self):
        return (self.code,)

    @property
    def localized_name(self):
        return localized(self)


class City(Publishable):
    """A city in a partnership: the home municipality, a district, or a partner."""

    name = models.CharField(_("name (English)"), max_length=200)
    name_local = models.CharField(
        _("name (local script)"),
        max_length=200,
        blank=True,
        help_text=_("As the city writes it, e.g. Воронеж."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, allow_unicode=False)
    role = models.CharField(
        _("role"), max_length=20, choices=CityRole.choices, default=CityRole.PARTNER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        help_text=_("For a district or county: the municipality it belongs to."),
    )
    country = CountryField(_("country"))
    region = models.CharField(
        _("region"),
        max_length=200,
        blank=True,
        help_text=_("Province, oblast, state or region."),
    )
    founded_year = models.SmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(2100)],
        help_text=_("Negative for a year before the common era."),
    )
    description = models.TextField(_("public description"), blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population counted in"), null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    wikidata_id = models.CharField(
        _("Wikidata id"),
        max_length=20,
        blank=True,
        validators=[wikidata_id_validator],
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=uploads.photo_path,
        blank=True,
        validators=[
            uploads.validate_photo,
            uploads.MaxSizeValidator("PARTNERSHIPS_PHOTO_MAX_BYTES"),
        ],
        help_text=_("JPEG, PNG or WebP. Shown on the public page once published."),
    )
    photo_caption = models.CharField(_("photo caption"), max_length=300, blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=300, blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="cities"
    )

    objects = CityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["name", "country"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [("publish_city", _("Can publish and unpublish cities"))]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "country", "region"],
                name="city_unique_name_country_region",
                violation_error_message=_(
                    "A city with this name already exists in this country and region."
                ),
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(role=CityRole.HOME),
                name="city_one_home_municipality",
                violation_error_message=_("There is already a home municipality."),
            ),
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="city_unique_wikidata_id",
                violation_error_message=_("Another city has this Wikidata id."),
            ),
            models.CheckConstraint(
                condition=~Q(role=CityRole.DISTRICT) | Q(parent__isnull=False),
                name="city_district_has_parent",
                violation_error_message=_(
                    "A district or county must name the municipality it is part of."
                ),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True)
                | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
            ),
        ]
        indexes = [models.Index(fields=["role", "published"])]

    def __str__(self):
        return f"{self.name} ({self.country.name})" if self.country else self.name

    def get_absolute_url(self):
        return reverse("partnerships:city-detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A city cannot be part of itself.")})
        if self.role == CityRole.DISTRICT and self.parent_id is None:
            raise ValidationError(
                {"parent": _("Name the municipality this district belongs to.")}
            )
        if self.role == CityRole.PARTNER and self.parent_id is not None:
            raise ValidationError(
                {"parent": _("Only a district or county is part of a municipality.")}
            )
        if (self.latitude is None) != (self.longitude is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))

    @property
    def localized_name(self):
        return localized(self)

    @property
    def photo_url(self):
        """The photo's address: a view that checks who may see it."""
        return reverse("city-photo", kwargs={"pk": self.pk}) if self.photo else ""

    @property
    def is_home_party(self):
        return self.role in HOME_ROLES


class Person(Recorded):
    """Someone who signs, leads or joins a delegation."""

    name = models.CharField(_("name (English)"), max_length=200)
    name_local = models.CharField(_("name (local script)"), max_length=200, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("The city the person represents."),
    )
    current_title = models.CharField(_("current title"), max_length=300, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name


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
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["-signed_on", "partner__name"]
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
        if hasattr(self, "last_contact"):
            return self.last_contact
        latest = (
            Visit.objects.contacts()
            .filter(partner_city_id=self.partner_id)
            .order_by("-contact_date")
            .values_list("contact_date", flat=True)
            .first()
        )
        return latest

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
        when = self.changed_on.isoformat() if self.changed_on else _("date unknown")
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

    history = HistoricalRecords()

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


def describe_person(person, title):
    """'Name, Title', or only the one that is known."""
    parts = [part for part in (person.name if person else "", title) if part]
    return ", ".join(parts)


class Visit(Publishable):
    """A delegation visit, inbound or outbound."""

    direction = models.CharField(_("direction"), max_length=10, choices=Direction)
    partner_city = models.ForeignKey(
        City,
        verbose_name=_("partner city"),
        on_delete=models.PROTECT,
        related_name="visits",
        help_text=_(
            "Where an outbound delegation went, or where an inbound one came from."
        ),
    )
    home_party = models.ForeignKey(
        City,
        verbose_name=_("home party"),
        on_delete=models.PROTECT,
        related_name="home_visits",
        help_text=_("The home municipality or district that sent or received it."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("A short public headline; left empty, one is made from the facts."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=VisitStatus,
        default=VisitStatus.PLANNED,
    )
    start_date = models.DateField(
        _("start date"),
        null=True,
        blank=True,
        help_text=_("Leave empty when the source gives no date; never guess one."),
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision,
        default=DatePrecision.DAY,
        help_text=_("How much of the start date is known."),
    )
    date_note = models.CharField(
        _("about the dates"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Several trips; the source gives no dates.'"),
    )
    head_unrecorded = models.BooleanField(
        _("head of delegation not recorded"),
        default=False,
        help_text=_("Tick when the source does not say who led the delegation."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    programme = models.TextField(_("programme"), blank=True)
    outcomes = models.TextField(
        _("outcomes"),
        blank=True,
        help_text=_("Agreements signed, projects started."),
    )
    public_summary = models.TextField(_("public summary"), blank=True)
    sectors = models.ManyToManyField(
        Sector, verbose_name=_("sectors"), blank=True, related_name="visits"
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="visits"
    )

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sectors, sources])

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "-pk"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [("publish_visit", _("Can publish and unpublish visits"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="visit_ends_after_start",
                violation_error_message=_(
                    "The end date is before the start date, or has no start date."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(partner_city=F("home_party")),
                name="visit_parties_differ",
                violation_error_message=_("The partner and home party must differ."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"]),
            models.Index(fields=["partner_city", "status", "start_date"]),
        ]

    def __str__(self):
        return self.display_title

    def clean(self):
        errors = {}
        if self.end_date and not self.start_date:
            errors["end_date"] = _("Give the start date too, or neither.")
        elif self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The visit cannot end before it starts.")
        if (
            self.status == VisitStatus.COMPLETED
            and self.start_date
            and self.start_date > timezone.localdate()
        ):
            errors["status"] = _(
                "A visit that starts in the future cannot be marked as completed."
            )
        if self.home_party_id and self.home_party_id == self.partner_city_id:
            errors["partner_city"] = _("The partner and home party must differ.")
        # The sides are not interchangeable: the direction is read from them.
        if self.home_party_id and self.home_party.role not in HOME_ROLES:
            errors["home_party"] = _(
                "The home party must be the home municipality or one of its districts."
            )
        if self.partner_city_id and self.partner_city.role != CityRole.PARTNER:
            errors["partner_city"] = _("The partner city must be a partner city.")
        if errors:
            raise ValidationError(errors)

    @property
    def display_title(self):
        if self.title:
            return self.title
        partner = self.partner_city.name if self.partner_city_id else "?"
        home = self.home_party.name if self.home_party_id else "?"
        if self.direction == Direction.INBOUND:
            route = _("Delegation from %(partner)s to %(home)s")
        else:
            route = _("Delegation from %(home)s to %(partner)s")
        text = route % {"partner": partner, "home": home}
        if self.start_date:
            text = f"{text}, {self.start_date.isoformat()}"
        return text

    @property
    def contact_day(self):
        """The day this visit counts as contact: its last day, if it is dated."""
        return self.end_date or self.start_date


class DelegationMember(models.Model):
    """A member of a visiting delegation, with the title they held at the time."""

    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="members",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegations",
        help_text=_("Leave empty when the person is known only by title."),
    )
    title_at_time = models.CharField(
        _("title at the time"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Chairman of the Voronezh City Duma'."),
    )
    role = models.CharField(
        _("role"), max_length=10, choices=DelegationRole, default=DelegationRole.MEMBER
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(title_at_time=""),
                name="member_person_or_title",
                violation_error_message=_("Name the person or at least their title."),
            ),
            models.UniqueConstraint(
                fields=["visit"],
                condition=Q(role=DelegationRole.HEAD),
                name="visit_one_head",
                violation_error_message=_("A delegation has one head."),
            ),
        ]

    def __str__(self):
        return describe_person(self.person, self.title_at_time)


class Institution(Publishable):
    """A hospital, university, school, media outlet, body or firm in a city."""

    name = models.CharField(_("name (English)"), max_length=300)
    name_local = models.CharField(_("name (local script)"), max_length=300, blank=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=300, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=InstitutionKind)
    city = models.ForeignKey(
        City,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("public description"), blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="institutions"
    )

    objects = InstitutionQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [
            ("publish_institution", _("Can publish and unpublish institutions"))
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "city"],
                name="institution_unique_name_city",
                violation_error_message=_(
                    "An institution with this name already exists in this city."
                ),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        return localized(self)

    @property
    def side(self):
        return Side.HOME if self.city.role in HOME_ROLES else Side.PARTNER


class InstitutionAlias(models.Model):
    """Another name an institution is known by."""

    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(_("alternate name"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("alternate name")
        verbose_name_plural = _("alternate names")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name"], name="alias_unique_per_institution"
            )
        ]

    def __str__(self):
        return self.name


class FocusArea(models.Model):
    """A subject a collaboration concentrates on (e.g. LNG storage technology)."""

    name = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def __str__(self):
        return self.name

    @property
    def localized_name(self):
        return localized(self)


class Collaboration(Publishable):
    """Work together in one sector under an agreement."""

    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.PROTECT,
        related_name="collaborations",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="collaborations",
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("public summary"), blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea,
        verbose_name=_("focus areas"),
        blank=True,
        related_name="collaborations",
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CollaborationStatus,
        default=CollaborationStatus.ACTIVE,
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="collaborations"
    )

    objects = CollaborationQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[focus_areas, sources])

    class Meta:
        ordering = ["sector__position", "title"]
        verbose_name = _("collaboration")
        verbose_name_plural = _("collaborations")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [
            ("publish_collaboration", _("Can publish and unpublish collaborations"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="collaboration_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The collaboration cannot end before it starts.")}
            )


class CollaborationParticipant(models.Model):
    """An institution taking part in a collaboration, on one side."""

    collaboration = models.ForeignKey(
        Collaboration,
        verbose_name=_("collaboration"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_(
            "For participants the source does not name, e.g. 'Voronezh news agencies'."
        ),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)

    objects = ParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["side", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | ~Q(description=""),
                name="participant_institution_or_description",
                violation_error_message=_(
                    "Choose an institution or describe the participant."
                ),
            ),
            models.UniqueConstraint(
                fields=["collaboration", "institution"],
                name="participant_unique_institution",
                violation_error_message=_("This institution already takes part."),
            ),
        ]

    def __str__(self):
        return self.institution.name if self.institution_id else self.description

    def clean(self):
        if self.institution_id and self.side and self.institution.side != self.side:
            raise ValidationError(
                {
                    "side": _(
                        "%(institution)s is in %(city)s, which is not on this side."
                    )
                    % {
                        "institution": self.institution.name,
                        "city": self.institution.city.name,
                    }
                }
            )


class Activity(Publishable):
    """A dated thing done under a collaboration or during a visit."""

    kind = models.CharField(_("kind"), max_length=30, choices=ActivityKind)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("public description"), blank=True)
    collaboration = models.ForeignKey(
        Collaboration,
        verbose_name=_("collaboration"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    location = models.ForeignKey(
        City,
        verbose_name=_("where"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    date_note = models.CharField(_("about the dates"), max_length=300, blank=True)
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), blank=True, related_name="activities"
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[sources])

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [("publish_activity", _("Can publish and unpublish activities"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(collaboration__isnull=False) | Q(visit__isnull=False),
                name="activity_belongs_somewhere",
                violation_error_message=_(
                    "An activity belongs to a collaboration, a visit or both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.collaboration_id and not self.visit_id:
            raise ValidationError(
                _("An activity belongs to a collaboration, a visit or both.")
            )
        if self.end_date and not self.start_date:
            raise ValidationError({"end_date": _("Give the start date too.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The activity cannot end before it starts.")}
            )


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
