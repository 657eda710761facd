"""Cities as a spreadsheet."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from ...models import City
from ...models.choices import CityRole
from .base import PartnershipResource
from .columns import per_language


class CityResource(PartnershipResource):
    key_description = gettext_lazy("same name, country and region")
    columns = {
        "role": gettext_lazy("Role"),
        "parent": gettext_lazy("Part of"),
        "founded_year": gettext_lazy("Year founded"),
        "population": gettext_lazy("Population"),
        "population_year": gettext_lazy("Population counted in"),
        "latitude": gettext_lazy("Latitude"),
        "longitude": gettext_lazy("Longitude"),
        "wikidata_id": gettext_lazy("Wikidata id"),
        "website": gettext_lazy("Official website"),
        "photo_caption": gettext_lazy("Photo caption"),
        "photo_credit": gettext_lazy("Photo credit"),
        "slug": gettext_lazy("Slug"),
    }
    required_columns = (gettext_lazy("Name"), gettext_lazy("Country"))

    class Meta(PartnershipResource.Meta):
        model = City
        fields = (
            "name_en",
            "name_local",
            "name_zh_hans",
            "name_ru",
            "country",
            *per_language("region"),
            "role",
            "parent",
            "founded_year",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "wikidata_id",
            "website",
            *per_language("description", "photo_caption"),
            "photo_credit",
            "slug",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields
        widgets = {"parent": {"country_column": gettext_lazy("Country")}}

    def preload(self, dataset):
        column = str(self.fields["parent"].column_name)
        if column in dataset.headers:
            self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        name = self.cell("name_en", row)
        country = self.cell("country", row)
        region = self.cell("region_en", row) or ""
        if not name or not country:
            return None
        return (
            City.objects.filter(name_en__iexact=name, country=country, region_en=region)
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
        base = slugify(city.name_en or city.name) or "city"
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
        super().after_save_instance(instance, row, **kwargs)
        # Later rows may name this city (a district its municipality).
        self.lookups.forget_city(*(getattr(instance, name) for name in City.NAMES))

    def optimise(self, queryset):
        # Home and districts first, so a re-import finds each district's parent.
        rank = Case(
            When(role=CityRole.HOME, then=Value(0)),
            When(role=CityRole.DISTRICT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return queryset.select_related("parent").order_by(rank, "name_en", "country")
