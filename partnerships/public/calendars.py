"""What is coming, as iCalendar feeds a reader subscribes to (RFC 5545, written
by the icalendar library): the published planned visits and activities, and this
year's anniversaries of the published agreements; every partner's, or one's.

Dates are as precise as they are known: a day is an all-day event; "May 2027"
spans May, its title saying the day is not fixed; a plan known only by its year
is left out (a year-long event would say nothing useful). Everything comes
through the records' ``published()`` QuerySets, in a fixed number of queries.
"""

import datetime

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ..models import Activity, Agreement, City, Visit
from ..models.choices import HOME_ROLES, DatePrecision, Direction
from ..models.dates import anniversary_in_year
from ..models.partial_dates import format_date, period

#: How the feed names itself to calendar programs.
PRODUCT = "-//Foreign affairs office//Partnerships//EN"


def calendar_response(request, events, name):
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for uid, first, last, summary, url, description in events:
        event = Event()
        event.add("uid", f"{uid}@{request.get_host()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", first)
        # An all-day event ends the day after its last day (RFC 5545).
        event.add("dtend", last + datetime.timedelta(days=1))
        event.add("summary", summary)
        event.add("url", request.build_absolute_uri(url))
        if description:
            event.add("description", description)
        calendar.add_component(event)
    response = HttpResponse(
        calendar.to_ical(), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="partnerships.ics"'
    return response


def dated(record):
    """``(first, last, when)`` of a planned record, or None if its dates say too
    little for a calendar."""
    if record.date_precision not in (DatePrecision.DAY, DatePrecision.MONTH):
        return None
    first, last = period(record.start_date, record.end_date, record.date_precision)
    when = format_date(record.start_date, record.date_precision)
    return first, last, when


def visit_events(visits):
    for visit in visits:
        dates = dated(visit)
        if dates is None:
            continue
        first, last, when = dates
        if visit.direction == Direction.INBOUND:
            summary = _("Planned: delegation from %(partner)s (%(when)s)")
        else:
            summary = _("Planned: delegation to %(partner)s (%(when)s)")
        summary %= {"partner": visit.partner_city.name, "when": when}
        yield (
            f"visit-{visit.pk}",
            first,
            last,
            summary,
            visit.partner_city.get_absolute_url(),
            visit.public_summary,
        )


def activity_events(activities):
    for activity in activities:
        dates = dated(activity)
        partner = activity_partner(activity)
        if dates is None or partner is None:
            continue
        first, last, when = dates
        yield (
            f"activity-{activity.pk}",
            first,
            last,
            _("Planned: %(title)s (%(when)s)")
            % {"title": activity.title, "when": when},
            partner.get_absolute_url(),
            activity.description,
        )


def activity_partner(activity):
    """The partner city an activity is with: its collaboration's, else its visit's."""
    if activity.collaboration_id:
        return activity.collaboration.agreement.partner
    return activity.visit.partner_city if activity.visit_id else None


def anniversary_events(agreements, year):
    for agreement in agreements:
        day = anniversary_in_year(agreement.signed_on, year)
        if day is None or day <= agreement.signed_on:
            continue
        yield (
            f"anniversary-{agreement.pk}-{year}",
            day,
            day,
            _("%(partner)s: %(years)s years since signing (%(kind)s, %(signed)s)")
            % {
                "years": year - agreement.signed_on.year,
                "kind": agreement.get_kind_display(),
                "partner": agreement.partner.name,
                "signed": format_date(agreement.signed_on, DatePrecision.DAY),
            },
            agreement.partner.get_absolute_url(),
            "",
        )


def events(partner=None):
    """The feed's events, every partner's or ``partner``'s, by date."""
    today = timezone.localdate()
    visits = Visit.objects.published().upcoming(today).select_related("partner_city")
    activities = (
        Activity.objects.published()
        .upcoming(today)
        .select_related("collaboration__agreement__partner", "visit__partner_city")
    )
    agreements = (
        Agreement.objects.published()
        .of_home()
        .filter(signed_on__isnull=False)
        .select_related("partner")
    )
    # Only what a partner page shows: partners with a published agreement.
    partners = City.objects.partners_of_home()
    if partner is not None:
        partners = partners.filter(pk=partner.pk)
    visits = visits.filter(partner_city__in=partners, home_party__role__in=HOME_ROLES)
    activities = activities.filter(
        Q(collaboration__agreement__partner__in=partners)
        | Q(visit__partner_city__in=partners)
    )
    agreements = agreements.filter(partner__in=partners)
    found = [
        *visit_events(visits),
        *activity_events(activities),
        *anniversary_events(agreements, today.year),
    ]
    return sorted(found, key=lambda event: (event[1], event[0]))


def calendar(request):
    """Every published partner's coming visits and activities, and anniversaries."""
    return calendar_response(request, events(), _("Partnerships: what is coming"))


def partner_calendar(request, slug):
    """One published partner's."""
    partner = get_object_or_404(City.objects.partners_of_home(), slug=slug)
    name = _("%(partner)s: what is coming") % {"partner": partner.name}
    return calendar_response(request, events(partner), name)
