"""The partner page's blocks (coming up, the timeline by year) and its pages of
visits, at any number of visits (``public/views.py``, ``public/timeline.py``)."""

import datetime
import re

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from partnerships import confirmations
from partnerships.models.choices import DatePrecision, DelegationRole, VisitStatus
from partnerships.public.timeline import TIMELINE_SIZE, VISITS_PAGE_SIZE
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_contact,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_user,
    make_visit,
)
from tests.public import test_views

D = datetime.date


def partner_with_visits(home, count, today):
    """A partner with ``count`` past visits over the years (each with a head, a
    member, sectors and an activity), two planned ones, and collaborations."""
    city = make_city()
    agreement = make_agreement(home_party=home, partner=city)
    for sector in ("economy", "healthcare"):
        collaboration = make_collaboration(
            agreement=agreement,
            sector=sector,
            participants=[make_institution(city=city, aliases=["Also"])],
        )
        make_activity(collaboration=collaboration)
        make_activity(collaboration=collaboration, start_date=today.replace(day=1))
    for number in range(count):
        visit = make_visit(
            partner_city=city,
            home_party=home,
            start_date=D(1990 + number % 35, 1 + number % 12, 1 + number % 28),
            sectors=["economy", "culture"],
            members=[("Deputy Mayor", DelegationRole.MEMBER)],
        )
        make_head(visit, person=make_person())
        make_activity(visit=visit)
    for months in (5, 9):
        planned = make_visit(
            partner_city=city,
            home_party=home,
            status=VisitStatus.PLANNED,
            start_date=D(today.year + 1, months, 1),
            date_precision=DatePrecision.MONTH,
        )
        make_head(planned)
        make_activity(visit=planned, start_date=D(today.year + 1, months, 1))
    return city


class ConstantCostTests(TestCase):
    """The partner page and its pages of visits take the same queries whether
    the partner has 10 or 100 visits, and show no more than a page of them."""

    @classmethod
    def setUpTestData(cls):
        home = make_home()
        today = timezone.localdate()
        cls.ten = partner_with_visits(home, 10, today)
        cls.hundred = partner_with_visits(home, 100, today)

    def test_partner_page_with_10_and_100_visits(self):
        for city, shown in ((self.ten, 10), (self.hundred, TIMELINE_SIZE)):
            with self.assertNumQueries(test_views.QueryCountTests.PAGE_QUERIES):
                response = self.client.get(city.get_absolute_url())
            content = response.content.decode()
            timeline = content.split('id="visits-heading"')[1]
            self.assertEqual(timeline.count('<li class="visit '), shown, city)
            coming_up = content.split('id="coming-up-heading"')[1]
            coming_up = coming_up.split('id="visits-heading"')[0]
            self.assertEqual(coming_up.count('<li class="visit '), 2)
        self.assertContains(response, "All 100 visits, newest first")

    def test_visits_pages_with_10_and_100_visits(self):
        for city, page, shown in (
            (self.ten, 1, 10),
            (self.hundred, 1, VISITS_PAGE_SIZE),
            (self.hundred, 2, 100 - VISITS_PAGE_SIZE),
        ):
            url = reverse("partnerships:city-visits", args=[city.slug])
            with self.assertNumQueries(test_views.QueryCountTests.VISITS_PAGE_QUERIES):
                response = self.client.get(url, {"page": page})
            self.assertEqual(
                response.content.decode().count('<li class="visit '), shown
            )


class ComingUpTests(TestCase):
    """Planned visits and activities are under "Coming up", labelled so."""

    @classmethod
    def setUpTestData(cls):
        today = timezone.localdate()
        cls.next_year = today.year + 1
        cls.home = make_home()
        cls.city = make_city(name="Kazan", slug="kazan")
        agreement = make_agreement(partner=cls.city)
        cls.fair = make_visit(
            partner_city=cls.city,
            status=VisitStatus.PLANNED,
            start_date=D(cls.next_year, 5, 1),
            date_precision=DatePrecision.MONTH,
            title="Delegation to the spring fair",
        )
        make_activity(
            visit=cls.fair, title="Fair opening", start_date=D(cls.next_year, 5, 2)
        )
        make_visit(
            partner_city=cls.city,
            status=VisitStatus.PLANNED,
            start_date=D(today.year - 1, 3, 4),
            title="A plan whose day has gone by",
        )
        make_visit(partner_city=cls.city, title="A visit that took place")
        collaboration = make_collaboration(agreement=agreement, title="Schools")
        make_activity(
            collaboration=collaboration,
            title="Summer school",
            start_date=D(cls.next_year, 7, 1),
            date_precision=DatePrecision.MONTH,
        )

    def sections(self):
        content = self.client.get("/partners/kazan/").content.decode()
        coming_up = content.split('id="coming-up-heading"')[1]
        coming_up, rest = coming_up.split('id="visits-heading"')
        timeline, collaborations = rest.split('id="collaborations-heading"')
        return coming_up, timeline, collaborations

    def test_planned_visits_and_activities_are_coming_up(self):
        coming_up, timeline, _collaborations = self.sections()
        self.assertIn("Delegation to the spring fair", coming_up)
        self.assertIn("Summer school", coming_up)
        self.assertNotIn("Delegation to the spring fair", timeline)
        self.assertIn("A visit that took place", timeline)
        # A plan whose day has passed is not ahead: it stays in the timeline,
        # with its status.
        self.assertIn("A plan whose day has gone by", timeline)
        self.assertNotIn("A plan whose day has gone by", coming_up)

    def test_labelled_planned_and_dated_as_precisely_as_known(self):
        coming_up, _timeline, collaborations = self.sections()
        self.assertEqual(coming_up.count('<span class="tag tag--planned">'), 3)
        self.assertIn(
            f'<time datetime="{self.next_year}-05">May {self.next_year}', coming_up
        )
        self.assertNotIn(f"1 May {self.next_year}", coming_up)
        self.assertIn(f"July {self.next_year}", coming_up)
        # Listed under its collaboration too, marked there as well.
        summer = collaborations.split("Summer school")[0].rsplit("<li", 1)[1]
        self.assertIn("tag--planned", summer)

    def test_an_activity_of_a_planned_visit_is_shown_with_it_once(self):
        coming_up, _timeline, _collaborations = self.sections()
        self.assertEqual(coming_up.count("Fair opening"), 1)
        fair = coming_up.split("Delegation to the spring fair")[1].split(
            "</li>\n</ol>"
        )[0]
        self.assertIn("Fair opening", fair)

    def test_what_is_unpublished_is_not_coming_up(self):
        make_visit(
            partner_city=self.city,
            status=VisitStatus.PLANNED,
            start_date=D(self.next_year, 6, 1),
            published=False,
            title="Draft plan",
        )
        make_activity(
            collaboration=make_collaboration(
                agreement=make_agreement(partner=self.city, kind="memorandum"),
                published=False,
            ),
            start_date=D(self.next_year, 6, 1),
            title="Activity of a draft collaboration",
        )
        response = self.client.get("/partners/kazan/")
        self.assertNotContains(response, "Draft plan")
        self.assertNotContains(response, "Activity of a draft collaboration")


class TimelineByYearTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        cls.city = make_city(name="Kazan", slug="kazan")
        make_agreement(partner=cls.city)
        for year, count in ((2024, 2), (2021, 1), (2019, 3)):
            for number in range(count):
                make_visit(
                    partner_city=cls.city,
                    start_date=D(year, 1 + number, 1),
                    title=f"Visit {year}-{number}",
                )
        make_visit(partner_city=cls.city, start_date=None, title="Undated visit")

    def test_latest_years_open_older_folded_undated_last(self):
        content = self.client.get("/partners/kazan/").content.decode()
        years = re.findall(r'<details class="year" id="([^"]+)"( open)?>', content)
        self.assertEqual(
            years,
            [
                ("year-2024", " open"),
                ("year-2021", " open"),
                ("year-2019", ""),
                ("year-undated", ""),
            ],
        )
        self.assertIn('<span class="year__count">3 visits</span>', content)
        self.assertIn('<span class="year__label">Date not published</span>', content)
        # Every visit is on the page: no link to the rest.
        self.assertNotIn("/partners/kazan/visits/", content)

    def test_years_in_the_readers_language(self):
        content = self.client.get("/zh-hans/partners/kazan/").content.decode()
        self.assertIn('<span class="year__label">2024年</span>', content)

    def test_beyond_the_page_the_years_link_to_all_visits(self):
        for number in range(TIMELINE_SIZE):
            make_visit(partner_city=self.city, start_date=D(2025, 1, 1 + number))
        response = self.client.get("/partners/kazan/")
        content = response.content.decode()
        total = TIMELINE_SIZE + 7
        self.assertContains(response, f"All {total} visits, newest first")
        # 2025's twenty fill the page; the older years are a link away, to the
        # page of all visits where each begins.
        self.assertIn(
            'href="/partners/kazan/visits/#year-2024">See the 2 visits of that year',
            content,
        )
        self.assertIn('href="/partners/kazan/visits/#year-undated"', content)
        self.assertEqual(content.count('<li class="visit '), TIMELINE_SIZE)


class VisitsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        cls.city = make_city(name="Kazan", slug="kazan")
        make_agreement(partner=cls.city)
        for number in range(VISITS_PAGE_SIZE + 5):
            make_visit(
                partner_city=cls.city,
                start_date=D(2000 + number // 20, 1, 1 + number % 20),
                title=f"Visit number {number:03d}",
            )
        make_visit(
            partner_city=cls.city,
            status=VisitStatus.PLANNED,
            start_date=D(timezone.localdate().year + 1, 1, 1),
            title="Planned visit",
        )
        cls.url = "/partners/kazan/visits/"

    def test_paged_at_50_newest_first_by_year(self):
        first = self.client.get(self.url)
        self.assertContains(first, "Delegation visits: Kazan")
        content = first.content.decode()
        self.assertEqual(content.count('<li class="visit '), VISITS_PAGE_SIZE)
        self.assertLess(
            content.index("Visit number 054"), content.index("Visit number 040")
        )
        self.assertEqual(
            re.findall(r'<h2 id="(year-\d+)-heading">', content),
            ["year-2002", "year-2001", "year-2000"],
        )
        self.assertContains(first, 'href="?page=2">Next page</a>')
        second = self.client.get(self.url, {"page": 2})
        self.assertEqual(second.content.decode().count('<li class="visit '), 5)
        self.assertContains(second, "Page 2 of 2")
        self.assertContains(second, "<title>Delegation visits: Kazan · page 2")

    def test_planned_visits_are_on_the_partners_page_not_here(self):
        self.assertNotContains(self.client.get(self.url), "Planned visit")

    def test_any_page_number_is_a_page(self):
        for page, number in (("abc", 1), ("999", 2), ("", 1)):
            response = self.client.get(self.url, {"page": page})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.context["page_obj"].number, number, page)

    def test_only_a_published_partners(self):
        hidden = make_city(slug="hidden", published=False)
        make_agreement(partner=hidden)
        for slug in ("hidden", "nowhere"):
            response = self.client.get(f"/partners/{slug}/visits/")
            self.assertEqual(response.status_code, 404)

    def test_breadcrumbs_lead_back_to_the_partner(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<a href="/partners/kazan/">Kazan</a>')


class ConfirmedVisitTests(TestCase):
    """A visit the partner's office confirmed says so on the public page."""

    @classmethod
    def setUpTestData(cls):
        make_home()
        city = make_city(name="Kazan", slug="kazan")
        make_agreement(partner=city)
        cls.visit = make_visit(partner_city=city, title="Duma delegation")
        request = confirmations.send(cls.visit, make_contact(city=city), make_user())
        confirmations.answer(request, "confirmed", "Ирина Петрова", "Мэрия Казани")

    def test_confirmed_by_the_office_without_the_persons_name(self):
        response = self.client.get("/partners/kazan/")
        self.assertContains(response, "Confirmed by Мэрия Казани,")
        self.assertNotContains(response, "Ирина Петрова")
