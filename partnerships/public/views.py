"""Public pages: they read only what ``published()`` lets through.

Each page runs a fixed set of queries whatever the size of the records (prefetches
and subqueries, no per-row lookups), so it stays fast, and is cached whole for
anonymous readers (``partnerships/cache.py``; any change to a record renews it).
"""

from django.core.paginator import Paginator
from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from ..models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    Source,
    Visit,
)
from ..models.choices import HOME_ROLES, DelegationRole, Side
from .cache import cached_page, city_scopes, list_scopes
from .filters import PartnerCityFilterSet, canonical_filters, home_agreements

PAGE_SIZE = 24
# "name" reads in the reader's language, with the fallback (modeltranslation's
# values() does it).
MAP_FIELDS = ("name", "latitude", "longitude")


def partner_list_queryset():
    """Published partners with their first signing, its kind and the latest visit."""
    first = home_agreements().order_by(F("signed_on").asc(nulls_last=True), "pk")
    latest = (
        Visit.objects.published()
        .contacts()
        .filter(partner_city=OuterRef("pk"), home_party__role__in=HOME_ROLES)
        .order_by("-contact_date")
    )
    return City.objects.partners_of_home().annotate(
        first_signed=Subquery(first.values("signed_on")[:1]),
        first_kind=Subquery(first.values("kind")[:1]),
        latest_visit=Subquery(latest.values("contact_date")[:1]),
        # A visit known only by its year or month is shown no more exactly.
        latest_visit_precision=Subquery(latest.values("date_precision")[:1]),
    )


def filtered_partners(request):
    """The FilterSet for the request's query string over the published partners."""
    return PartnerCityFilterSet(request.GET or None, queryset=partner_list_queryset())


def map_points(queryset):
    """Cities with coordinates as SVG points (x = longitude, y = -latitude)."""
    rows = (
        queryset.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values(*MAP_FIELDS)
    )
    return [
        {
            "x": round(float(row["longitude"]), 2),
            "y": round(-float(row["latitude"]), 2),
            "name": row["name"],
        }
        for row in rows
    ]


@method_decorator(cached_page(list_scopes, canonical_filters), name="dispatch")
class PartnerListView(TemplateView):
    template_name = "partnerships/city_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = filtered_partners(self.request)
        partners = filterset.qs
        page = Paginator(partners, PAGE_SIZE).get_page(self.request.GET.get("page"))
        points = map_points(partners)
        context.update(
            filter=filterset,
            invalid_filters=filterset.invalid_fields(),
            page_obj=page,
            cities=page.object_list,
            total=page.paginator.count,
            map_points=points,
            unmapped=page.paginator.count - len(points),
            filtered=any(
                value
                for key, value in self.request.GET.items()
                if key not in ("page", "sort")
            ),
        )
        return context


def partner_page_context(city):
    """Everything the partner page shows, in a fixed number of queries."""
    agreements = list(
        Agreement.objects.published()
        .of_home()
        .filter(partner=city)
        .select_related("home_party")
        .order_by(F("signed_on").asc(nulls_last=True), "pk")
    )
    visits = list(
        Visit.objects.published()
        .filter(partner_city=city, home_party__role__in=HOME_ROLES)
        .select_related("home_party", "partner_city")
        .order_by(F("start_date").desc(nulls_last=True), "pk")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=DelegationMember.objects.select_related("person"),
            ),
            "sectors",
        )
    )
    collaborations = list(
        Collaboration.objects.published()
        .filter(agreement__partner=city, agreement__home_party__role__in=HOME_ROLES)
        .select_related("sector", "agreement__home_party")
        .prefetch_related(
            "focus_areas",
            Prefetch(
                "participants",
                queryset=CollaborationParticipant.objects.published()
                .select_related("institution")
                .prefetch_related("institution__aliases")
                .order_by("side", "pk"),
            ),
        )
        .order_by("sector__position", "sector__name_en", "title_en", "pk")
    )
    activities = list(
        Activity.objects.published()
        .filter(Q(collaboration__agreement__partner=city) | Q(visit__partner_city=city))
        # Where it took place is named only if that city is published itself.
        .annotate(
            public_location=FilteredRelation(
                "location", condition=Q(location__published=True)
            )
        )
        .select_related("public_location")
    )

    by_visit, by_collaboration = {}, {}
    for activity in activities:
        if activity.collaboration_id:
            by_collaboration.setdefault(activity.collaboration_id, []).append(activity)
        elif activity.visit_id:
            by_visit.setdefault(activity.visit_id, []).append(activity)
    for visit in visits:
        members = list(visit.members.all())
        visit.head = next((m for m in members if m.role == DelegationRole.HEAD), None)
        visit.other_members = [m for m in members if m.role != DelegationRole.HEAD]
        visit.public_activities = by_visit.get(visit.pk, [])
    for collaboration in collaborations:
        participants = list(collaboration.participants.all())
        collaboration.home_side = [p for p in participants if p.side == Side.HOME]
        collaboration.partner_side = [p for p in participants if p.side == Side.PARTNER]
        collaboration.public_activities = by_collaboration.get(collaboration.pk, [])

    return {
        "agreements": agreements,
        "visits": visits,
        "collaborations": collaborations,
        "sources": list(page_sources(city)),
    }


def page_sources(city):
    """The sources of the city and of every published record on its page."""
    agreements = Agreement.objects.published().of_home().filter(partner=city)
    visits = Visit.objects.published().filter(partner_city=city)
    collaborations = Collaboration.objects.published().filter(agreement__partner=city)
    activities = Activity.objects.published().filter(
        Q(collaboration__agreement__partner=city) | Q(visit__partner_city=city)
    )
    return Source.objects.filter(
        Q(pk__in=city.sources.values("pk"))
        | Q(pk__in=Source.objects.filter(agreements__in=agreements).values("pk"))
        | Q(pk__in=Source.objects.filter(visits__in=visits).values("pk"))
        | Q(
            pk__in=Source.objects.filter(collaborations__in=collaborations).values("pk")
        )
        | Q(pk__in=Source.objects.filter(activities__in=activities).values("pk"))
    ).order_by(F("published_on").desc(nulls_last=True), "title", "pk")


@method_decorator(cached_page(city_scopes), name="dispatch")
class PartnerDetailView(DetailView):
    template_name = "partnerships/city_detail.html"
    context_object_name = "city"

    def get_queryset(self):
        return City.objects.partners_of_home()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(partner_page_context(self.object))
        return context
