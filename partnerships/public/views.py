"""Public pages: they read only what ``published()`` lets through.

Each page runs a fixed set of queries whatever the size of the records (prefetches
and subqueries, no per-row lookups, and no more visits than a page shows), so it
stays fast, and is cached whole for anonymous readers (``cache.py``; any change
to a record renews it).
"""

from django.core.paginator import Paginator
from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from ..models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    Source,
    Visit,
)
from ..models.choices import HOME_ROLES, AgreementStatus, CityRole, Side
from ..models.distances import between
from . import timeline
from .cache import cached_page, city_scopes, list_scopes
from .filters import (
    PartnerCityFilterSet,
    canonical_filters,
    canonical_page,
    home_agreements,
)
from .maps import world_map

PAGE_SIZE = 24
#: A distance is shown to the nearest ten kilometres: coordinates name a city's
#: centre, not the places two delegations met.
DISTANCE_STEP_KM = 10


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


@method_decorator(cached_page(list_scopes, canonical_filters), name="dispatch")
class PartnerListView(TemplateView):
    template_name = "partnerships/city_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = filtered_partners(self.request)
        partners = filterset.qs
        page = Paginator(partners, PAGE_SIZE).get_page(self.request.GET.get("page"))
        drawn = world_map(partners)
        context.update(
            filter=filterset,
            invalid_filters=filterset.invalid_fields(),
            page_obj=page,
            cities=page.object_list,
            total=page.paginator.count,
            map=drawn,
            unmapped=page.paginator.count - drawn["partners"],
            filtered=any(
                value
                for key, value in self.request.GET.items()
                if key not in ("page", "sort")
            ),
        )
        return context


def partner_page_context(city, today=None):
    """Everything the partner page shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    agreements = list(
        Agreement.objects.published()
        .of_home()
        .filter(partner=city)
        .select_related("home_party__parent")
        .order_by(F("signed_on").asc(nulls_last=True), "pk")
    )
    for agreement in agreements:
        active = agreement.status == AgreementStatus.ACTIVE
        agreement.anniversary = active and agreement.next_round_anniversary(today)

    upcoming = list(timeline.upcoming_visits(city, today)[: timeline.UPCOMING_SIZE])
    upcoming_activities = list(
        public_activities()
        .of_partner(city)
        .upcoming(today)
        .order_by("start_date", "title_en", "pk")[: timeline.UPCOMING_SIZE]
    )
    past = timeline.timeline_visits(city, today)
    recent = list(past[: timeline.TIMELINE_SIZE])
    counts = timeline.year_counts(past)

    collaborations = list(partner_collaborations(city))
    # The activities of the collaborations and of the visits shown, no others:
    # a thousand visits' activities would not be on the page anyway.
    shown = [visit.pk for visit in (*upcoming, *recent)]
    activities = list(
        public_activities().filter(
            Q(collaboration__agreement__partner=city) | Q(visit__in=shown)
        )
    )
    # What is planned is marked so wherever it is listed.
    planned = {activity.pk for activity in upcoming_activities}
    for activity in (*activities, *upcoming_activities):
        activity.planned = activity.pk in planned
    timeline.prepare([*upcoming, *recent], activities)
    prepare_collaborations(collaborations, activities)

    home = home_municipality(agreements)
    distance = between(city, home)
    # An activity of a visit listed under "Coming up" is shown with that visit.
    nested = {visit.pk for visit in upcoming}
    return {
        "agreements": agreements,
        "home": home,
        "distance_km": (
            None
            if distance is None
            else round(distance / DISTANCE_STEP_KM) * DISTANCE_STEP_KM
        ),
        "upcoming_visits": upcoming,
        "upcoming_activities": [
            activity
            for activity in upcoming_activities
            if activity.collaboration_id or activity.visit_id not in nested
        ],
        "years": timeline.by_year(recent, counts),
        "visits_total": sum(count for _year, count in counts),
        "visits_shown": len(recent),
        "collaborations": collaborations,
        "sources": list(page_sources(city)),
    }


def partner_collaborations(city):
    """The published collaborations with ``city``, by sector, with their focus
    areas and published participants (in three queries more)."""
    return (
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


def prepare_collaborations(collaborations, activities):
    """Each collaboration's two sides, and its activities from ``activities``."""
    by_collaboration = {}
    for activity in activities:
        if activity.collaboration_id:
            by_collaboration.setdefault(activity.collaboration_id, []).append(activity)
    for collaboration in collaborations:
        participants = list(collaboration.participants.all())
        collaboration.home_side = [p for p in participants if p.side == Side.HOME]
        collaboration.partner_side = [p for p in participants if p.side == Side.PARTNER]
        collaboration.public_activities = by_collaboration.get(collaboration.pk, [])


def public_activities():
    """Published activities, with where they took place if that city is
    published itself."""
    return (
        Activity.objects.published()
        .annotate(
            public_location=FilteredRelation(
                "location", condition=Q(location__published=True)
            )
        )
        .select_related("public_location")
    )


def home_municipality(agreements):
    """The home municipality, from the agreements already read (a district's
    is its parent), if it is published."""
    for agreement in agreements:
        party = agreement.home_party
        home = party if party.role == CityRole.HOME else party.parent
        if home is not None and home.published:
            return home
    return None


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


class PublishedPartnerMixin:
    """A page about one published partner, found by its slug."""

    context_object_name = "city"

    def get_queryset(self):
        return City.objects.partners_of_home()


@method_decorator(cached_page(city_scopes), name="dispatch")
class PartnerDetailView(PublishedPartnerMixin, DetailView):
    template_name = "partnerships/city_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(partner_page_context(self.object))
        return context


@method_decorator(cached_page(city_scopes, canonical_page), name="dispatch")
class PartnerVisitsView(PublishedPartnerMixin, DetailView):
    """Every visit of a partner's timeline, ``VISITS_PAGE_SIZE`` to a page."""

    template_name = "partnerships/city_visits.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        visits = timeline.timeline_visits(self.object)
        page = Paginator(visits, timeline.VISITS_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        rows = list(page.object_list)
        activities = public_activities().filter(
            visit__in=[visit.pk for visit in rows], collaboration__isnull=True
        )
        timeline.prepare(rows, list(activities))
        context.update(
            page_obj=page,
            years=timeline.grouped(rows),
            visits_total=page.paginator.count,
        )
        return context
