"""A partner's delegation visits as the public reads them: by year, in pages.

The partner page shows the latest ``TIMELINE_SIZE`` visits that are not
upcoming (``VisitQuerySet.past``; what is planned is under "Coming up"), grouped
by year, the latest ``OPEN_YEARS`` years open and the older ones folded. Every
year is listed with its number of visits, read by one grouped query, so a year
whose visits are not on the page links to the page of "all visits" where they
are (``VISITS_PAGE_SIZE`` to a page, in the same order). Visits with no date
come last, under "date not published". The queries and the length of the page
do not grow with the number of visits.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, prefetch_related_objects
from django.db.models.functions import ExtractYear
from django.utils import timezone

from .. import confirmations
from ..models import DelegationMember, Visit
from ..models.choices import DelegationRole

#: Visits on the partner page's timeline; the rest are a link away.
TIMELINE_SIZE = 20
#: Years open on the partner page; older ones are folded.
OPEN_YEARS = 2
#: Visits to a page of "all visits".
VISITS_PAGE_SIZE = 50
#: Planned visits (and activities) under "Coming up", the soonest first.
UPCOMING_SIZE = 20

NEWEST_FIRST = (F("start_date").desc(nulls_last=True), "pk")


def published_visits(city):
    """The published visits between ``city`` and a home party."""
    return (
        Visit.objects.published()
        .of_partner(city)
        .select_related("home_party", "partner_city")
    )


def timeline_visits(city, today=None):
    """The visits of the timeline, newest first, undated last."""
    return published_visits(city).past(today).order_by(*NEWEST_FIRST)


def upcoming_visits(city, today=None):
    """Planned visits still ahead, the soonest first."""
    return published_visits(city).upcoming(today).order_by("start_date", "pk")


def year_counts(visits):
    """``[(year, visits)]`` of a timeline, newest first; ``None`` for no date."""
    rows = (
        visits.annotate(year=ExtractYear("start_date"))
        .order_by()
        .values("year")
        .annotate(count=Count("pk"))
        .order_by(F("year").desc(nulls_last=True))
    )
    return [(row["year"], row["count"]) for row in rows]


def prepare(visits, activities):
    """Each visit's delegation (head apart), sectors and the partner's latest
    confirmation, in three queries for all, and its published activities from
    ``activities`` (already read)."""
    prefetch_related_objects(
        visits,
        Prefetch("members", queryset=DelegationMember.objects.select_related("person")),
        "sectors",
    )
    confirmed_answers = confirmations.confirmations_of(visits)
    by_visit = {}
    for activity in activities:
        if activity.visit_id and not activity.collaboration_id:
            by_visit.setdefault(activity.visit_id, []).append(activity)
    for visit in visits:
        members = list(visit.members.all())
        visit.head = next((m for m in members if m.role == DelegationRole.HEAD), None)
        visit.other_members = [m for m in members if m.role != DelegationRole.HEAD]
        visit.public_activities = by_visit.get(visit.pk, [])
        # "Confirmed by <office>, <date>": the office as the partner named it.
        confirmed = confirmed_answers.get(visit.pk)
        visit.confirmed_by = confirmed and confirmed.respondent_office
        visit.confirmed_on = confirmed and timezone.localdate(confirmed.used_at)
    return visits


def year_of(visit):
    return visit.start_date.year if visit.start_date else None


@dataclass
class Year:
    """One year of a timeline (``year`` is ``None`` for the undated visits)."""

    year: int | None
    count: int
    #: Where its first visit is in the whole timeline (0 is the newest).
    first: int = 0
    visits: list = field(default_factory=list)
    open: bool = True

    @property
    def anchor(self):
        return f"year-{self.year}" if self.year is not None else "year-undated"

    @property
    def more(self):
        """Its visits not on this page."""
        return self.count - len(self.visits)

    @property
    def page(self):
        """The page of "all visits" where its first visit not shown here is."""
        return (self.first + len(self.visits)) // VISITS_PAGE_SIZE + 1


def by_year(visits, counts, open_years=OPEN_YEARS):
    """Every year of ``counts`` with those of ``visits`` (the newest, in order)
    it holds; the first ``open_years`` open."""
    shown = {}
    for visit in visits:
        shown.setdefault(year_of(visit), []).append(visit)
    years, position = [], 0
    for number, (year, count) in enumerate(counts):
        years.append(
            Year(
                year=year,
                count=count,
                first=position,
                visits=shown.get(year, []),
                open=number < open_years,
            )
        )
        position += count
    return years


def grouped(visits):
    """A page of visits (in order) as its years, every one open."""
    years = []
    for visit in visits:
        year = year_of(visit)
        if not years or years[-1].year != year:
            years.append(Year(year=year, count=0))
        years[-1].visits.append(visit)
        years[-1].count += 1
    return years
