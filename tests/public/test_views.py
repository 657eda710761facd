"""The public pages: the partner list, the partner page, sitemap, robots, errors."""

import datetime
import re

from django.template.loader import render_to_string
from django.test import TestCase

from partnerships.models import Agreement, City, CollaborationParticipant
from partnerships.models.choices import (
    DatePrecision,
    DelegationRole,
    Direction,
)
from partnerships.models.partial_dates import format_date
from partnerships.public.views import PAGE_SIZE
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_district,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_source,
    make_visit,
)

D = datetime.date
LIST = "/partners/"
VORONEZH = "/partners/voronezh/"


class SeedPartnerPageTests(TestCase):
    """Voronezh's page says what the source article says, no more."""

    fixtures = ["seed"]

    def setUp(self):
        self.response = self.client.get(VORONEZH)

    def test_names_country_and_description(self):
        self.assertEqual(self.response.status_code, 200)
        self.assertContains(self.response, "<h1>Voronezh</h1>", html=True)
        for text in ("Воронеж", "沃罗涅日", "Russia", "1586"):
            self.assertContains(self.response, text)
        self.assertContains(self.response, "one of the earliest centers of Slavic")

    def test_sister_city_since_with_years_lasted(self):
        agreement = Agreement.objects.get()
        years = agreement.years_since_signing()
        self.assertContains(
            self.response, "Sister city of Chongqing since 20 October 1993"
        )
        self.assertContains(self.response, f"{years} years")

    def test_visits_both_ways_without_invented_dates(self):
        content = self.response.content.decode()
        self.assertIn("Voronezh leaders&#x27; visits to Chongqing", content)
        self.assertIn("Leadership delegations from Chongqing to Voronezh", content)
        self.assertIn("From Voronezh to Chongqing", content)
        self.assertIn("From Chongqing to Voronezh", content)
        # Two visits and four activities, in the public's words.
        self.assertEqual(content.count("date not published"), 2 + 4)
        self.assertIn("Reciprocal visits", content)
        for phrase in ("not recorded", "gives no dates", "Head of delegation"):
            # The article names no head: the line is left out.
            self.assertNotIn(phrase, content)
        for title in (
            "Chairman of the Voronezh City Duma",
            "Vice Chairman of the Voronezh City Duma",
            "Deputy Mayors of Voronezh",
        ):
            self.assertIn(title, content)
        self.assertNotIn("<time", content.split('id="collaborations-heading"')[0])

    def test_collaborations_grouped_by_sector_with_paired_institutions(self):
        content = self.response.content.decode()
        sectors = re.findall(r'<h3 id="sector-([a-z]+)">', content)
        self.assertEqual(
            sectors, ["economy", "healthcare", "education", "culture", "media"]
        )
        healthcare = content.split('id="sector-healthcare"')[1].split("<h3")[0]
        home, partner = healthcare.split('class="side"')[1:3]
        self.assertIn("Chongqing Third People&#x27;s Hospital", home)
        self.assertIn("Chongqing China-Russia Friendship Hospital", home)
        self.assertIn("Voronezh Eighth Hospital", partner)
        self.assertIn("Russia-China Friendship Hospital", partner)
        media = content.split('id="sector-media"')[1]
        self.assertIn("Voronezh news agencies", media.split('class="side"')[2])
        self.assertIn("Liquefied natural gas (LNG) storage technology", content)

    def test_activities_and_source_credit(self):
        for title in (
            "Trade promotion events in Voronezh",
            "Exhibitions in Voronezh",
            "Expert training programmes",
        ):
            self.assertContains(self.response, title)
        sources = self.response.content.decode().split('class="sources"')[1]
        self.assertIn(
            "Source: Foreign Affairs Office of Chongqing Municipal People&#x27;s "
            "Government",
            sources,
        )
        self.assertIn("iChongqing", sources)
        self.assertIn("Yan Deng", sources)

    def test_facts_box(self):
        facts = self.response.content.decode().split('class="facts-box"')[1]
        facts = facts.split("</aside>")[0]
        agreement = Agreement.objects.get()
        day, years = agreement.next_round_anniversary()
        for text in (
            "At a glance",
            "<dt>Country</dt><dd>Russia</dd>",
            "<dt>Founded</dt><dd>1586</dd>",
            # The seed's coordinates are Wikidata's, to two decimals.
            "<dt>Distance from Chongqing</dt><dd>about 5,950 km",
            "<dt>Sister city</dt>",
            "signed 20 October 1993",
            f"Next round anniversary: {years} years, on {format_date(day)}",
        ):
            self.assertIn(text, facts)
        # The article gives neither the population nor the region.
        self.assertNotIn("Population", facts)
        self.assertNotIn("Region", facts)

    def test_coordinates_credited_to_wikidata(self):
        sources = self.response.content.decode().split('class="sources"')[1]
        self.assertIn("Coordinates: Wikidata (CC0)", sources)
        self.assertIn('href="https://www.wikidata.org/wiki/Q18190"', sources)

    def test_nothing_planned_no_coming_up(self):
        self.assertNotContains(self.response, "Coming up")
        # The two undated visits are the only year of the timeline, open.
        self.assertContains(
            self.response, '<details class="year" id="year-undated" open>'
        )
        self.assertNotContains(self.response, "/partners/voronezh/visits/")

    def test_no_photo_file_no_figure(self):
        # Caption and credit describe a photo; without the file they would mislead.
        self.assertNotContains(self.response, "partner-photo")
        self.assertNotContains(self.response, "Voronezh City Government")

    def test_photo_shown_with_caption_and_credit(self):
        City.objects.filter(slug="voronezh").update(photo="cities/voronezh.jpg")
        response = self.client.get(VORONEZH)
        photo_url = City.objects.get(slug="voronezh").photo_url
        self.assertContains(response, f'<img src="{photo_url}"')
        self.assertContains(response, 'alt="Voronezh City Government"')
        self.assertContains(
            response,
            "Photo: Foreign Affairs Office of Chongqing Municipal People&#x27;s",
        )

    def test_title_description_canonical_skip_link(self):
        self.assertContains(self.response, "<title>Voronezh (Russia)")
        self.assertContains(
            self.response, '<meta name="description" content="Voronezh, founded in'
        )
        self.assertContains(
            self.response,
            '<link rel="canonical" href="http://testserver/partners/voronezh/">',
        )
        self.assertContains(self.response, 'href="#content"')
        self.assertContains(self.response, 'id="content"')

    def test_list_shows_voronezh_count_and_downloads(self):
        response = self.client.get(LIST)
        self.assertContains(response, "1 partner city")
        self.assertContains(response, f'href="{VORONEZH}"')
        self.assertContains(response, 'href="/partners.csv"')
        self.assertContains(response, 'href="/partners.json"')
        self.assertContains(response, "signed 20 October 1993")

    def test_home_redirects_to_list(self):
        response = self.client.get("/")
        self.assertRedirects(response, LIST)


class NoInlineCodeTests(TestCase):
    """A Content-Security-Policy without 'unsafe-inline' must not break the pages."""

    fixtures = ["seed"]

    def test_no_inline_scripts_styles_or_handlers(self):
        for url in (LIST, VORONEZH, "/partners/missing/", "/ru/partners/?q=x"):
            content = self.client.get(url).content.decode()
            # One script element: the office's schema.org data, never run.
            self.assertEqual(
                re.findall(r"<script[^>]*>", content),
                ['<script type="application/ld+json">'],
                url,
            )
            self.assertNotIn("<style", content, url)
            self.assertIsNone(re.search(r"\sstyle=", content), url)
            self.assertIsNone(re.search(r"\son[a-z]+=", content), url)


class PartnerPageRulesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.city = make_city(name="Kazan", slug="kazan")
        cls.agreement = make_agreement(partner=cls.city)
        cls.visit = make_visit(
            partner_city=cls.city,
            start_date=D(2019, 5, 14),
            end_date=D(2019, 5, 17),
            title="Spring delegation",
        )
        make_head(cls.visit, title="Mayor of Kazan", person=make_person(name="Ilsur M"))
        cls.month_visit = make_visit(
            partner_city=cls.city,
            direction=Direction.OUTBOUND,
            start_date=D(2021, 9, 1),
            date_precision=DatePrecision.MONTH,
            title="Autumn delegation",
        )

    def test_signing_place_and_status_when_recorded(self):
        Agreement.objects.filter(pk=self.agreement.pk).update(
            signed_place="Kazan Kremlin", status="suspended"
        )
        response = self.client.get("/partners/kazan/")
        self.assertContains(response, "signed in Kazan Kremlin")
        self.assertContains(response, '<span class="status">Suspended</span>')

    def test_head_of_delegation_left_out_when_unknown(self):
        content = self.client.get("/partners/kazan/").content.decode()
        spring, autumn = (
            content.split("Spring delegation")[1].split("</li>")[0],
            content.split("Autumn delegation")[1].split("</li>")[0],
        )
        self.assertIn("Head of delegation", spring)
        self.assertNotIn("Head of delegation", autumn)
        self.assertNotIn("not recorded", content)
        # Nothing at all to say of the delegation: no empty list.
        self.assertNotIn('class="delegation"', autumn)

    def test_facts_with_population_region_and_no_distance_unplaced(self):
        City.objects.filter(pk=self.city.pk).update(
            population=1308660, population_year=2021, region="Tatarstan"
        )
        facts = self.client.get("/partners/kazan/").content.decode()
        facts = facts.split('class="facts-box"')[1].split("</aside>")[0]
        self.assertIn("<dd>1,308,660 (in 2021)</dd>", facts)
        self.assertIn("<dt>Region</dt><dd>Tatarstan</dd>", facts)
        # Only the partner is placed: no distance.
        City.objects.filter(pk=self.city.pk).update(latitude=55.79, longitude=49.12)
        facts = self.client.get("/partners/kazan/").content.decode()
        self.assertNotIn("Distance from", facts)
        City.objects.filter(pk=self.home.pk).update(latitude=29.56, longitude=106.55)
        self.assertContains(
            self.client.get("/partners/kazan/"),
            "<dt>Distance from Chongqing</dt><dd>about 5,320 km",
        )

    def test_the_partners_official_website_in_facts(self):
        facts = self.client.get("/partners/kazan/").content.decode()
        self.assertNotIn("Official website", facts)
        City.objects.filter(pk=self.city.pk).update(website="https://kzn.ru/")
        facts = self.client.get("/partners/kazan/").content.decode()
        facts = facts.split('class="facts-box"')[1].split("</aside>")[0]
        self.assertIn(
            '<dt>Official website</dt><dd><a href="https://kzn.ru/" '
            'rel="external noopener">kzn.ru</a></dd>',
            facts,
        )

    def test_agreement_of_a_district_and_without_date_in_facts(self):
        district = make_district(name="Yuzhong District")
        make_agreement(
            home_party=district,
            partner=self.city,
            kind="friendly_exchange",
            signed_on=None,
            status="suspended",
        )
        facts = self.client.get("/partners/kazan/").content.decode()
        facts = facts.split('class="facts-box"')[1].split("</aside>")[0]
        self.assertIn("<dt>Friendly-exchange city</dt>", facts)
        self.assertIn("date of signing not published (with Yuzhong District)", facts)
        self.assertIn("· Suspended", facts)
        # Only an active agreement has anniversaries ahead.
        self.assertEqual(facts.count("Next round anniversary"), 1)

    def test_known_dates_and_head_with_title(self):
        response = self.client.get("/partners/kazan/")
        self.assertContains(response, "14 May 2019 – 17 May 2019")
        self.assertContains(response, "September 2021")
        self.assertNotContains(response, "1 September 2021")
        self.assertContains(response, "Ilsur M, Mayor of Kazan")

    def test_an_activity_known_to_the_month_or_year_says_no_more(self):
        make_activity(
            visit=self.month_visit,
            title="Tea ceremony",
            start_date=D(2021, 9, 1),
            date_precision=DatePrecision.MONTH,
        )
        make_activity(
            visit=self.visit,
            title="Exhibition",
            start_date=D(2019, 1, 1),
            date_precision=DatePrecision.YEAR,
        )
        for prefix, month, year in (
            ("", "September 2021", ">2019<"),
            ("/zh-hans", "2021年9月", ">2019年<"),
        ):
            response = self.client.get(f"{prefix}/partners/kazan/")
            activities = re.findall(
                r'<span class="when">([^<]*)</span>', response.content.decode()
            )
            self.assertIn(month, activities)
            self.assertIn(year.strip("<>"), activities)
            self.assertNotContains(response, "1 September 2021")
            self.assertNotContains(response, "1 January 2019")

    def test_timeline_newest_first(self):
        content = self.client.get("/partners/kazan/").content.decode()
        self.assertLess(
            content.index("Autumn delegation"), content.index("Spring delegation")
        )

    def test_unpublished_or_missing_city_is_404(self):
        hidden = make_city(slug="hidden", published=False)
        make_agreement(partner=hidden)
        no_agreement = make_city(slug="lonely")
        draft = make_city(slug="draft")
        make_agreement(partner=draft, published=False)
        for slug in ("hidden", "lonely", "draft", "nowhere"):
            response = self.client.get(f"/partners/{slug}/")
            self.assertEqual(response.status_code, 404, slug)
            self.assertContains(response, "Page not found", status_code=404)
        self.assertTrue(no_agreement.published)

    def test_home_municipality_has_no_partner_page(self):
        home = City.objects.get(pk=self.home.pk)
        self.assertEqual(self.client.get(f"/partners/{home.slug}/").status_code, 404)

    def test_sources_of_published_records_only(self):
        shown = make_source(title="Visible source", credit="Source: City press office")
        hidden = make_source(title="Draft visit source")
        self.visit.sources.add(shown)
        draft_visit = make_visit(partner_city=self.city, published=False)
        draft_visit.sources.add(hidden)
        response = self.client.get("/partners/kazan/")
        self.assertContains(response, "Source: City press office")
        self.assertNotContains(response, "Draft visit source")


class ListPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        for number in range(PAGE_SIZE + 3):
            make_agreement(
                partner=make_city(name=f"Town {number:02d}", slug=f"town-{number:02d}")
            )
        located = City.objects.get(slug="town-00")
        located.latitude, located.longitude = 51.67, 39.21
        located.save()

    def test_paginated_with_count(self):
        response = self.client.get(LIST)
        self.assertContains(response, f"{PAGE_SIZE + 3} partner cities")
        self.assertEqual(len(response.context["cities"]), PAGE_SIZE)
        page_two = self.client.get(LIST, {"page": 2})
        self.assertEqual(len(page_two.context["cities"]), 3)

    def test_bad_page_number_is_not_an_error(self):
        for page in ("999", "abc", "-1"):
            self.assertEqual(self.client.get(LIST, {"page": page}).status_code, 200)

    def test_pagination_keeps_filters_in_the_url(self):
        response = self.client.get(LIST, {"q": "Town", "sort": "-signed"})
        self.assertContains(response, 'href="?q=Town&amp;sort=-signed&amp;page=2"')

    def test_map_plots_cities_with_coordinates(self):
        response = self.client.get(LIST)
        self.assertContains(
            response, '<circle class="map-dot map-dot--partner" cx="39.21" cy="-51.67"'
        )
        self.assertContains(response, f"{PAGE_SIZE + 2} cities in this list have no")
        self.assertContains(response, "partnerships/world.svg")

    def test_map_coordinates_are_not_localized(self):
        response = self.client.get("/ru/partners/")
        self.assertContains(response, 'cx="39.21" cy="-51.67"')


class SiteFilesTests(TestCase):
    fixtures = ["seed"]

    def test_robots_points_to_sitemap(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain")
        self.assertContains(response, "Sitemap: http://testserver/sitemap.xml")
        self.assertContains(response, "Disallow: /admin/")

    def test_sitemap_lists_partner_pages_in_every_language(self):
        hidden = make_city(slug="hidden-town", published=False)
        make_agreement(partner=hidden, home_party=City.objects.get(slug="chongqing"))
        content = self.client.get("/sitemap.xml").content.decode()
        for url in ("/partners/voronezh/", "/zh-hans/partners/voronezh/", "/ru/"):
            self.assertIn(f"http://testserver{url}", content)
        self.assertIn("<loc>http://testserver/partners/</loc>", content)
        self.assertNotIn("hidden-town", content)
        self.assertNotIn("/partners/chongqing/", content)

    def test_404_page(self):
        response = self.client.get("/partners/nowhere/")
        self.assertContains(response, "Page not found", status_code=404)
        self.assertContains(
            response, 'name="robots" content="noindex"', status_code=404
        )


def build_partner(home, size):
    """A partner city with ``size`` visits, collaborations, institutions, activities."""
    city = make_city()
    agreement = make_agreement(home_party=home, partner=city)
    for number in range(size):
        visit = make_visit(
            partner_city=city,
            home_party=home,
            start_date=D(2000 + number, 1, 1),
            sectors=["economy", "culture"],
            members=[("Deputy Mayor", DelegationRole.MEMBER)],
        )
        make_head(visit, person=make_person())
        make_activity(visit=visit)
        partner_side = make_institution(city=city, aliases=["Also", "Aka"])
        home_side = make_institution(city=home, aliases=["Alias"])
        collaboration = make_collaboration(
            agreement=agreement,
            sector=["economy", "healthcare", "media"][number % 3],
            participants=[home_side, partner_side],
        )
        CollaborationParticipant.objects.create(
            collaboration=collaboration, side="partner", description="News agencies"
        )
        collaboration.focus_areas.create(name=f"Focus {city.pk}-{number}")
        make_activity(collaboration=collaboration)
        collaboration.sources.add(make_source())
    return city


class QueryCountTests(TestCase):
    """Each public page takes the same number of queries at any size of records."""

    # Each counts the office's site settings once (base.html's header, footer
    # and structured data: partnerships/office.py). The list reads the home
    # city for its map; the partner page the planned visits and activities,
    # the latest visits and the number of each year's (public/timeline.py).
    LIST_QUERIES = 7
    PAGE_QUERIES = 16
    VISITS_PAGE_QUERIES = 8

    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.small = build_partner(home, 1)
        cls.large = build_partner(home, 6)
        for _ in range(5):
            build_partner(home, 2)

    def test_partner_page(self):
        for city in (self.small, self.large):
            with self.assertNumQueries(self.PAGE_QUERIES):
                response = self.client.get(city.get_absolute_url())
            self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content.decode().count('class="collaboration"'), 6)

    def test_partner_list(self):
        with self.assertNumQueries(self.LIST_QUERIES):
            self.client.get(LIST)
        for _ in range(4):
            build_partner(City.objects.get(role="home"), 3)
        with self.assertNumQueries(self.LIST_QUERIES):
            response = self.client.get(LIST, {"sector": "media", "q": "City"})
        self.assertEqual(response.status_code, 200)


class ServerErrorPageTests(TestCase):
    def test_500_page_renders_without_a_request_or_the_database(self):
        with self.assertNumQueries(0):
            html = render_to_string("500.html")
        self.assertIn("Something went wrong", html)
        self.assertIn('href="/partners/"', html)
        self.assertIn("/static/partnerships/site.css", html)
