"""The public partner list's filters: every lookup goes through ``published()``.

A filter never matches on unpublished records, so it cannot reveal that an
unpublished institution or agreement exists by what it lets through.
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.http import QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from ..models import Agreement, City, Collaboration, Institution, Sector
from ..models.choices import HOME_ROLES, AgreementKind

#: The highest page number a list's address keeps; any beyond is the last page.
MAX_PAGE = 10_000
#: What a page built for the cache shows of a value it ignored.
IGNORED = "?"

SORTS = {
    "name": ("name_en", "pk"),
    "signed": (F("first_signed").asc(nulls_last=True), "name_en", "pk"),
    "-signed": (F("first_signed").desc(nulls_last=True), "name_en", "pk"),
    "-visit": (F("latest_visit").desc(nulls_last=True), "name_en", "pk"),
}


def home_agreements():
    """Published agreements a home party signed with the outer query's city."""
    return Agreement.objects.published().of_home().filter(partner=OuterRef("pk"))


class YearFilter(django_filters.NumberFilter):
    """A whole year: "2010.5" is not one (and would make a page of its own)."""

    field_class = forms.IntegerField


def year_filter(label):
    """A year an agreement was signed in (the terms are applied together)."""
    return YearFilter(
        label=label,
        method="filter_agreement_terms",
        min_value=1,
        max_value=9999,
        # Text, not type=number: a browser would refuse to show back a value it
        # cannot parse, and the page says which value was ignored.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )


class PartnerCityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        help_text=_("Any name of the city or of an institution, in any language."),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=[], empty_label=_("Any country")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of agreement"),
        choices=AgreementKind.choices,
        method="filter_agreement_terms",
        empty_label=_("Any kind"),
    )
    sector = django_filters.ChoiceFilter(
        label=_("Sector of collaboration"),
        choices=[],
        method="filter_sector",
        empty_label=_("Any sector"),
    )
    signed_from = year_filter(_("Signed in or after (year)"))
    signed_to = year_filter(_("Signed in or before (year)"))
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("name", _("Name")),
            ("-signed", _("Date signed, newest first")),
            ("signed", _("Date signed, oldest first")),
            ("-visit", _("Latest visit")),
        ],
        method="filter_sort",
        empty_label=None,
    )

    class Meta:
        model = City
        fields = ["q", "country", "kind", "sector", "signed_from", "signed_to", "sort"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        # Choices are read once per request here, so rendering and validating the
        # form do not query again.
        self.filters["country"].extra["choices"] = country_choices()
        # Only the sectors a published collaboration is in: a sector no one
        # published is not the public's to see (nor would it find anything).
        shown = Sector.objects.filter(
            collaborations__in=Collaboration.objects.published()
        ).distinct()
        self.filters["sector"].extra["choices"] = [
            (sector.code, sector.name) for sector in shown
        ]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        institutions = Institution.objects.published().filter(
            Q(city=OuterRef("pk"))
            & (Institution.any_name("fold", value) | Q(aliases__name__fold=value))
        )
        return queryset.filter(City.any_name("fold", value) | Exists(institutions))

    def filter_agreement_terms(self, queryset, name, value):
        """Kind and years are applied together, in ``filter_queryset``."""
        return queryset

    def filter_sector(self, queryset, name, value):
        collaborations = Collaboration.objects.published().filter(
            agreement__partner=OuterRef("pk"),
            agreement__home_party__role__in=HOME_ROLES,
            sector__code=value,
        )
        return queryset.filter(Exists(collaborations))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # One agreement must meet every term: a city with a 1990 sister-city
        # agreement and a 2010 memorandum is not "a sister city since 2010".
        data = self.form.cleaned_data
        terms = {}
        if data.get("kind"):
            terms["kind"] = data["kind"]
        if data.get("signed_from") is not None:
            terms["signed_on__year__gte"] = int(data["signed_from"])
        if data.get("signed_to") is not None:
            terms["signed_on__year__lte"] = int(data["signed_to"])
        if terms:
            queryset = queryset.filter(Exists(home_agreements().filter(**terms)))
        return queryset

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.is_bound else None
        if not sort:
            queryset = queryset.order_by(*SORTS["name"])
        return queryset

    def invalid_fields(self):
        """Labels of the filters whose values were not understood and were ignored."""
        if not self.is_bound:
            return []
        return [str(self.form.fields[name].label) for name in self.form.errors]


def country_choices():
    """The countries of the published partners, named in the reader's language."""
    codes = (
        City.objects.partners_of_home()
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )
    return sorted(
        ((code, countries.name(code) or code) for code in codes),
        key=lambda choice: choice[1],
    )


def canonical_filters(request):
    """The list's query as its page reads it, and its canonical text for the
    page cache: the known parameters only (the last value of each), valid
    values as the filters read them, and the names of the ignored ones."""
    asked = {
        name: request.GET[name]
        for name in PartnerCityFilterSet.base_filters
        if name in request.GET
    }
    # The page is built from these values alone, so a cached page repeats
    # nothing of what one visitor typed to the next who shares its entry.
    known = QueryDict(mutable=True)
    parts = []
    if asked:
        form = PartnerCityFilterSet(asked, queryset=City.objects.none()).form
        form.is_valid()
        for name, value in form.cleaned_data.items():
            if value not in (None, ""):
                known[name] = str(value)
                parts.append((name, str(value)))
        for name in form.errors:
            known[name] = IGNORED
            parts.append(("ignored", name))
    if "page" in request.GET:
        page = page_number(request.GET["page"])
        known["page"] = page
        parts.append(("page", page))
    return known, urlencode(sorted(parts))


def page_number(value):
    """A ``page`` parameter as the paginator reads it: not a number is the first
    page, past the end the last one (a bound keeps the keys few)."""
    value = value.strip()
    number = value.isascii() and value.isdigit() and len(value) <= 6
    return str(min(max(int(value), 1), MAX_PAGE) if number else 1)


def canonical_page(request):
    """For a page that reads ``page`` alone (a partner's visits): that, as the
    paginator reads it; any other parameter shares the canonical entry."""
    known = QueryDict(mutable=True)
    if "page" not in request.GET:
        return known, ""
    known["page"] = page_number(request.GET["page"])
    return known, urlencode([("page", known["page"])])
