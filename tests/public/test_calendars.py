"""The public calendars: what is coming, as precisely as it is known, and nothing
unpublished."""

import datetime

from django.test import TestCase, override_settings
from django.utils import timezone
from icalendar import Calendar

from partnerships.models.choices import DatePrecision, VisitStatus
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_home,
    make_visit,
)

D = datetime.date


def events(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


@override_settings(LANGUAGE_CODE="en")
class CalendarTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.year = timezone.localdate().year
        home = make_home()
        cls.voronezh = make_city(name="Voronezh", slug="voronezh")
        agreement = make_agreement(
            home_party=home, partner=cls.voronezh, signed_on=D(1993, 10, 20)
        )
        next_year = cls.year + 1
        make_visit(
            partner_city=cls.voronezh,
            status=VisitStatus.PLANNED,
            start_date=D(next_year, 5, 14),
            end_date=D(next_year, 5, 16),
            public_summary="Talks on trade.",
            internal_notes="Budget not approved",
        )
        make_visit(
            partner_city=cls.voronezh,
            status=VisitStatus.PLANNED,
            start_date=D(next_year, 9, 1),
            date_precision=DatePrecision.MONTH,
        )
        make_visit(
            partner_city=cls.voronezh,
            status=VisitStatus.PLANNED,
            start_date=D(next_year, 1, 1),
            date_precision=DatePrecision.YEAR,
        )
        make_visit(
            partner_city=cls.voronezh,
            status=VisitStatus.PLANNED,
            start_date=D(next_year, 6, 1),
            published=False,
            title="Secret plan",
        )
        make_visit(partner_city=cls.voronezh, start_date=D(2019, 5, 14))
        make_activity(
            collaboration=make_collaboration(agreement=agreement),
            title="Photo exhibition",
            start_date=D(next_year, 7, 3),
            date_precision=DatePrecision.DAY,
        )
        # A published partner without an agreement has no page: not in the feed.
        make_visit(
            partner_city=make_city(name="Nowhere", slug="nowhere"),
            status=VisitStatus.PLANNED,
            start_date=D(next_year, 3, 3),
        )
        make_agreement(
            partner=make_city(name="Hidden", slug="hidden", published=False),
            signed_on=D(2000, 1, 1),
        )

    def test_the_coming_visits_activities_and_this_years_anniversaries(self):
        found = events(self.client.get("/calendar.ics"))
        next_year = self.year + 1
        day = found[f"Planned: delegation from Voronezh (14 May {next_year})"]
        self.assertEqual(day["dtstart"].dt, D(next_year, 5, 14))
        # An all-day event ends the day after its last day.
        self.assertEqual(day["dtend"].dt, D(next_year, 5, 17))
        self.assertEqual(str(day["description"]), "Talks on trade.")
        self.assertEqual(str(day["url"]), "http://testserver/partners/voronezh/")
        exhibition = found[f"Planned: Photo exhibition (3 July {next_year})"]
        self.assertEqual(exhibition["dtstart"].dt, D(next_year, 7, 3))
        years = self.year - 1993
        anniversary = found[
            f"Voronezh: {years} years since signing (Sister city, 20 October 1993)"
        ]
        self.assertEqual(anniversary["dtstart"].dt, D(self.year, 10, 20))

    def test_a_month_spans_the_month_and_a_year_is_left_out(self):
        found = events(self.client.get("/calendar.ics"))
        next_year = self.year + 1
        month = found[f"Planned: delegation from Voronezh (September {next_year})"]
        self.assertEqual(month["dtstart"].dt, D(next_year, 9, 1))
        self.assertEqual(month["dtend"].dt, D(next_year, 10, 1))
        self.assertFalse([s for s in found if f"({next_year})" in s])

    def test_nothing_unpublished_past_or_internal(self):
        text = self.client.get("/calendar.ics").content.decode()
        for private in ("Secret plan", "Budget not approved", "Hidden", "Nowhere"):
            self.assertNotIn(private, text)
        self.assertNotIn("2019", text)

    def test_a_partners_calendar_and_a_partner_without_a_page(self):
        found = events(self.client.get("/partners/voronezh/calendar.ics"))
        self.assertEqual(len(found), 4)
        self.assertEqual(
            self.client.get("/partners/nowhere/calendar.ics").status_code, 404
        )
        self.assertEqual(
            self.client.get("/partners/hidden/calendar.ics").status_code, 404
        )

    def test_in_the_readers_language(self):
        found = events(self.client.get("/zh-hans/calendar.ics"))
        self.assertTrue(any("计划" in summary for summary in found), list(found))

    def test_the_queries_do_not_grow_with_the_events(self):
        with self.assertNumQueries(3):
            self.client.get("/calendar.ics")
        for day in range(1, 6):
            make_visit(
                partner_city=self.voronezh,
                status=VisitStatus.PLANNED,
                start_date=D(self.year + 1, 2, day),
            )
        with self.assertNumQueries(3):
            self.client.get("/calendar.ics")
