"""Institutions as a spreadsheet, with their other names."""

from django.utils.translation import gettext_lazy

from ...models import Institution
from ..children import ALTERNATE_NAMES
from ..fields import ChildrenField
from .base import PartnershipResource
from .columns import per_language


class InstitutionResource(PartnershipResource):
    key_description = gettext_lazy("same name and city")
    columns = {
        "city": gettext_lazy("City"),
        "city__country": gettext_lazy("City country"),
        "website": gettext_lazy("Website"),
    }
    required_columns = (gettext_lazy("Name"), gettext_lazy("City"))

    aliases = ChildrenField(ALTERNATE_NAMES, gettext_lazy("Alternate names"))

    class Meta(PartnershipResource.Meta):
        model = Institution
        fields = (
            "name_en",
            "name_local",
            "name_zh_hans",
            "name_ru",
            "kind",
            "city",
            "city__country",
            "aliases",
            "website",
            *per_language("description"),
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields
        widgets = {"city": {"country_column": gettext_lazy("City country")}}

    def preload(self, dataset):
        column = str(self.fields["city"].column_name)
        if column in dataset.headers:
            self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        name = self.cell("name_en", row)
        place = self.cell("city", row)
        if not name or not place:
            return None
        return (
            Institution.objects.filter(name_en__iexact=name, city=place)
            .order_by("pk")
            .first()
        )

    def optimise(self, queryset):
        return queryset.select_related("city").prefetch_related("aliases")
