"""Cities in the admin."""

from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import (
    Agreement,
    City,
)
from ..spreadsheets.resources import CityResource
from .base import PublishableAdmin, link_list
from .filters import CountryFilter
from .spreadsheets import SpreadsheetAdminMixin


def agreement_count(side):
    """A subquery counting the agreements where the city is on ``side``.

    A subquery rather than ``Count`` over joins: no GROUP BY, so the list keeps
    its ordering and stays fast with thousands of cities.
    """
    counts = (
        Agreement.objects.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


@admin.register(City)
class CityAdmin(SpreadsheetAdminMixin, PublishableAdmin):
    resource_classes = [CityResource]
    list_display = (
        "name",
        "name_local",
        "name_zh_hans",
        "country",
        "region",
        "role",
        "agreements",
        "published",
    )
    list_filter = ("role", "published", CountryFilter)
    list_select_related = ("parent",)
    search_fields = (*City.NAMES, "region", "slug", "wikidata_id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "sources")
    readonly_fields = ("agreements_list",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    City.NAMES,
                    "slug",
                    ("role", "parent"),
                    ("country", "region"),
                )
            },
        ),
        (
            _("About the city"),
            {
                "fields": (
                    "description",
                    "website",
                    ("founded_year", "population", "population_year"),
                    ("latitude", "longitude", "wikidata_id"),
                    "photo",
                    ("photo_caption", "photo_credit"),
                )
            },
        ),
        (_("Agreements"), {"fields": ("agreements_list",)}),
        (_("Publication"), {"fields": ("published", "internal_notes", "sources")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                home_count=agreement_count("home_party"),
                partner_count=agreement_count("partner"),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        # Autocomplete offers only the cities that fit the field's side.
        field = request.GET.get("field_name")
        if field in {"partner", "partner_city"}:
            queryset = queryset.filter(pk__in=City.objects.partners())
        elif field == "home_party":
            queryset = queryset.filter(pk__in=City.objects.home_parties())
        return queryset, may_have_duplicates

    @admin.display(description=_("agreements"))
    def agreements(self, obj):
        return obj.home_count + obj.partner_count

    @admin.display(description=_("agreements"))
    def agreements_list(self, obj):
        if obj.pk is None:
            return "—"
        agreements = Agreement.objects.involving(obj).select_related(
            "home_party", "partner"
        )
        return link_list(list(agreements), gettext("No agreements recorded."))
