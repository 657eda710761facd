"""List filters of the admin's changelists."""

import re

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country

from ..models import (
    TRANSLATED_INTO,
    City,
    missing_translation,
)
from .changelists import (
    cached_year_range,
)

# List filters


def year_value(value):
    """The year a filter asks for, or ``None`` unless it is 1 to 9999 in digits."""
    if value and re.fullmatch(r"[0-9]{1,4}", value) and int(value) >= 1:
        return int(value)
    return None


def id_value(value):
    """The record id a filter asks for, or ``None`` unless it is a 64-bit id."""
    if value and re.fullmatch(r"[0-9]{1,18}", value):
        return int(value)
    return None


class MissingTranslationFilter(admin.SimpleListFilter):
    """Records with a text written in English and not in the chosen language."""

    title = _("missing translation")
    parameter_name = "missing"

    def lookups(self, request, model_admin):
        return list(TRANSLATED_INTO)

    def queryset(self, request, queryset):
        if self.value() in dict(TRANSLATED_INTO):
            return queryset.filter(missing_translation(queryset.model, self.value()))
        return queryset


class YearFilter(admin.SimpleListFilter):
    """Filter by the year of a date field (``date_field`` on the subclass)."""

    title = _("year")
    parameter_name = "year"
    date_field = "start_date"

    def lookups(self, request, model_admin):
        # Every year from the first to the last, read from the index; a year
        # without records lists nothing when chosen.
        years = cached_year_range(
            request, model_admin.get_queryset(request), self.date_field
        )
        if years is None:
            return []
        first, last = years
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        year = year_value(self.value())
        if year is not None:
            return queryset.filter(**{f"{self.date_field}__year": year})
        return queryset


class SignedYearFilter(YearFilter):
    title = _("year signed")
    date_field = "signed_on"


class StartedYearFilter(YearFilter):
    title = _("year started")
    date_field = "started_on"


class PartnerCityListFilter(admin.SimpleListFilter):
    """Filter by partner city, listing the partners that have records here.

    With more partners than fit a sidebar the list is left out (search finds a
    city by any of its names); a link with ``?partner=`` still filters.
    """

    title = _("partner city")
    parameter_name = "partner"
    field = "partner_city"
    max_choices = 60

    def lookups(self, request, model_admin):
        pks = model_admin.get_queryset(request).order_by().values(self.field)
        partners = (
            City.objects.filter(pk__in=pks)
            .order_by("name_en")
            .values_list("pk", "name")[: self.max_choices + 1]
        )
        choices = [(str(pk), name) for pk, name in partners]
        if len(choices) <= self.max_choices:
            return choices
        # Too many to list: offer only the one chosen, so the filter still applies
        # and shows what the list is filtered by.
        pk = id_value(self.value())
        if pk is not None:
            return [
                (str(pk), name)
                for pk, name in City.objects.filter(pk=pk).values_list("pk", "name")
            ]
        return []

    def queryset(self, request, queryset):
        pk = id_value(self.value())
        if pk is not None:
            return queryset.filter(**{f"{self.field}_id": pk})
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Filter by country, listing only the countries that have cities."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = City.objects.order_by().values_list("country", flat=True).distinct()
        countries = [(code, Country(code).name) for code in codes if code]
        return sorted(countries, key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


class AgreementPartnerCityListFilter(PartnerCityListFilter):
    field = "partner"


class CollaborationPartnerCityListFilter(PartnerCityListFilter):
    field = "agreement__partner"
