"""Cities as a spreadsheet."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from import_export import fields

from ...models import (
    City,
)
from ...models.choices import (
    CityRole,
)
from ..widgets import CountryWidget, DecimalWidget, IntegerWidget
from .base import PartnershipResource, choice, city, text, yes_no


class CityResource(PartnershipResource):
    key_description = gettext_lazy("same name, country and region")

    name = text("name", gettext_lazy("Name"))
    name_local = text("name_local", gettext_lazy("Local name"))
    name_zh = text("name_zh", gettext_lazy("Chinese name"))
    name_ru = text("name_ru", gettext_lazy("Russian name"))
    country = fields.Field(
        attribute="country", column_name=gettext_lazy("Country"), widget=CountryWidget()
    )
    region = text("region", gettext_lazy("Region"))
    role = choice("role", gettext_lazy("Role"), CityRole)
    parent = city("parent", gettext_lazy("Part of"), gettext_lazy("Country"))
    founded_year = fields.Field(
        attribute="founded_year",
        column_name=gettext_lazy("Year founded"),
        widget=IntegerWidget(),
    )
    population = fields.Field(
        attribute="population",
        column_name=gettext_lazy("Population"),
        widget=IntegerWidget(),
    )
    population_year = fields.Field(
        attribute="population_year",
        column_name=gettext_lazy("Population counted in"),
        widget=IntegerWidget(),
    )
    latitude = fields.Field(
        attribute="latitude",
        column_name=gettext_lazy("Latitude"),
        widget=DecimalWidget(),
    )
    longitude = fields.Field(
        attribute="longitude",
        column_name=gettext_lazy("Longitude"),
        widget=DecimalWidget(),
    )
    wikidata_id = text("wikidata_id", gettext_lazy("Wikidata id"))
    description = text("description", gettext_lazy("Description"))
    photo_caption = text("photo_caption", gettext_lazy("Photo caption"))
    photo_credit = text("photo_credit", gettext_lazy("Photo credit"))
    slug = text("slug", gettext_lazy("Slug"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (gettext_lazy("Name"), gettext_lazy("Country"))

    class Meta(PartnershipResource.Meta):
        model = City
        fields = (
            "name",
            "name_local",
            "name_zh",
            "name_ru",
            "country",
            "region",
            "role",
            "parent",
            "founded_year",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "wikidata_id",
            "description",
            "photo_caption",
            "photo_credit",
            "slug",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def preload(self, dataset):
        column = str(self.fields["parent"].column_name)
        if column in dataset.headers:
            self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        name = self.cell("name", row)
        country = self.cell("country", row)
        region = self.cell("region", row) or ""
        if not name or not country:
            return None
        return (
            City.objects.filter(name__iexact=name, country=country, region=region)
            .order_by("pk")
            .first()
        )

    def import_instance(self, instance, row, **kwargs):
        slug = instance.slug
        try:
            super().import_instance(instance, row, **kwargs)
        finally:
            if not instance.slug:
                instance.slug = slug or self.unique_slug(instance)

    def unique_slug(self, city):
        base = slugify(city.name) or "city"
        if city.country:
            base = f"{base}-{city.country.code.lower()}"
        base = base[:190]
        taken = set(
            City.objects.filter(slug__startswith=base)
            .exclude(pk=city.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug

    def after_save_instance(self, instance, row, **kwargs):
        self.lookups.forget_city(
            instance.name, instance.name_local, instance.name_zh, instance.name_ru
        )

    def optimise(self, queryset):
        # Home and districts first, so a re-import finds each district's parent.
        rank = Case(
            When(role=CityRole.HOME, then=Value(0)),
            When(role=CityRole.DISTRICT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return queryset.select_related("parent").order_by(rank, "name", "country")
