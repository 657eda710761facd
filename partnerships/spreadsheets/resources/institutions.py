"""Institutions as a spreadsheet, with their other names."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from ...models import (
    Institution,
    InstitutionAlias,
)
from ...models.choices import (
    InstitutionKind,
)
from ..lookups import split_list
from ..widgets import LIST_SEPARATOR, CountryWidget, TextWidget
from .base import PartnershipResource, choice, city, shown, text, yes_no


class InstitutionResource(PartnershipResource):
    key_description = gettext_lazy("same name and city")

    name = text("name", gettext_lazy("Name"))
    name_local = text("name_local", gettext_lazy("Local name"))
    name_zh = text("name_zh", gettext_lazy("Chinese name"))
    name_ru = text("name_ru", gettext_lazy("Russian name"))
    kind = choice("kind", gettext_lazy("Kind"), InstitutionKind)
    city = city("city", gettext_lazy("City"), gettext_lazy("City country"))
    city_country = shown("city__country", gettext_lazy("City country"), CountryWidget())
    aliases = fields.Field(
        column_name=gettext_lazy("Alternate names"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_aliases",
    )
    website = text("website", gettext_lazy("Website"))
    description = text("description", gettext_lazy("Description"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (gettext_lazy("Name"), gettext_lazy("City"))

    related_attribute = "_aliases"

    class Meta(PartnershipResource.Meta):
        model = Institution
        fields = (
            "name",
            "name_local",
            "name_zh",
            "name_ru",
            "kind",
            "city",
            "city_country",
            "aliases",
            "website",
            "description",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def dehydrate_aliases(self, institution):
        return LIST_SEPARATOR.join(alias.name for alias in institution.aliases.all())

    def preload(self, dataset):
        column = str(self.fields["city"].column_name)
        if column in dataset.headers:
            self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        name = self.cell("name", row)
        place = self.cell("city", row)
        if not name or not place:
            return None
        return (
            Institution.objects.filter(name__iexact=name, city=place)
            .order_by("pk")
            .first()
        )

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["aliases"].column_name)
        instance._aliases = None
        if column in row:
            names = []
            for name in split_list(row[column]):
                if name.casefold() not in {n.casefold() for n in names}:
                    names.append(name)
            if any(len(name) > 300 for name in names):
                raise ValidationError({"aliases": _("An alternate name is too long.")})
            instance._aliases = names

    def stored_related(self, instance):
        if not instance.pk:
            return []
        return list(instance.aliases.values_list("name", flat=True))

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        if wanted is None or wanted == self.stored_related(instance):
            return
        for alias in instance.aliases.all():
            self.history_user(alias).delete()
        for name in wanted:
            self.history_user(InstitutionAlias(institution=instance, name=name)).save()

    def optimise(self, queryset):
        return queryset.select_related("city").prefetch_related("aliases")
