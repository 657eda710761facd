"""Cities: the home municipality, its districts and counties, and the partners."""

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from . import uploads
from .base import Publishable, named
from .choices import HOME_ROLES, CityRole
from .sources import Source

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", _("A Wikidata id is Q followed by digits, such as Q14886.")
)


class CityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def home_municipality(self):
        return self.filter(role=CityRole.HOME)

    def home_parties(self):
        """The home municipality and its districts: who can sign for the home side."""
        return self.filter(role__in=HOME_ROLES)

    def partners(self):
        return self.filter(role=CityRole.PARTNER)

    def partners_of_home(self):
        """Partner cities with a published agreement signed by a home party."""
        from .agreements import Agreement

        agreements = Agreement.objects.published().filter(
            partner=OuterRef("pk"), home_party__role__in=HOME_ROLES
        )
        return self.published().partners().filter(models.Exists(agreements))


class City(named(local_help=_("As the city writes it, e.g. Воронеж.")), Publishable):
    """A city in a partnership: the home municipality, a district, or a partner."""

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
    website = models.URLField(
        _("official website"),
        blank=True,
        help_text=_("The city's own site, linked from its public page."),
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

    class Meta:
        ordering = ["name_en", "country"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        default_permissions = ("add", "change", "delete", "view", "import", "export")
        permissions = [("publish_city", _("Can publish and unpublish cities"))]
        constraints = [
            models.UniqueConstraint(
                # On the English texts (required), named explicitly: on "name",
                # modeltranslation would add one per language, and cities
                # without a Chinese name would clash on the empty ones.
                fields=["name_en", "country", "region_en"],
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
    def photo_url(self):
        """The photo's address: a view that checks who may see it."""
        return reverse("city-photo", kwargs={"pk": self.pk}) if self.photo else ""
