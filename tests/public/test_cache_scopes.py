"""The page cache's keys and renewal: one entry per page as its view reads it,
and a change renews the pages it shows on, not the whole site."""

from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings

from partnerships.models import Visit
from partnerships.public import cache as page_cache
from tests.factories import make_agreement, make_city, make_home, make_visit

PAGE_CACHE = override_settings(PARTNERSHIPS_PAGE_CACHE_SECONDS=600)


def cache_state(response):
    return response["X-Page-Cache"]


@PAGE_CACHE
class CanonicalKeyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.city = make_city(name="Kazan", slug="kazan")
        make_agreement(home_party=home, partner=cls.city)

    def test_unknown_parameters_share_the_canonical_entry(self):
        self.assertEqual(cache_state(self.client.get("/partners/")), "miss")
        for number in range(3):
            with self.subTest(number=number):
                response = self.client.get(f"/partners/?utm_source={number}")
                self.assertEqual(cache_state(response), "hit")
                # The page was built from the canonical query, not the first
                # asker's: no stray parameter in its links.
                self.assertNotContains(response, "utm_source")
        json = self.client.get("/partners.json?x=1")
        self.assertEqual(cache_state(json), "miss")
        self.assertEqual(cache_state(self.client.get("/partners.json?y=2")), "hit")

    def test_known_parameters_are_normalised(self):
        first = self.client.get("/partners/?country=RU&sort=name&q=%20kazan%20")
        self.assertEqual(cache_state(first), "miss")
        same = self.client.get("/partners/?q=kazan&sort=name&country=RU&ref=x")
        self.assertEqual(cache_state(same), "hit")
        # A value the page ignores shares the entry of any other it ignores,
        # and the page still says which filter was ignored.
        bad = self.client.get("/partners/?signed_from=abc")
        self.assertEqual(cache_state(bad), "miss")
        self.assertContains(bad, "could not be understood")
        worse = self.client.get("/partners/?signed_from=Robert%27s+year")
        self.assertEqual(cache_state(worse), "hit")
        self.assertContains(worse, "could not be understood")
        # Built from the canonical query: one visitor's text is never shown to
        # the next who shares the entry.
        self.assertNotContains(bad, "abc")
        self.assertNotContains(worse, "Robert")
        # A year is a whole number: 2010.5 is ignored, not a page of its own.
        self.assertEqual(
            cache_state(self.client.get("/partners/?signed_from=2010.5")), "hit"
        )
        # Page numbers as the paginator reads them.
        self.assertEqual(cache_state(self.client.get("/partners/?page=abc")), "miss")
        self.assertEqual(cache_state(self.client.get("/partners/?page=1")), "hit")
        self.assertEqual(cache_state(self.client.get("/partners/?page=%C2%B2")), "hit")

    def test_a_partner_page_ignores_every_parameter(self):
        url = self.city.get_absolute_url()
        self.assertEqual(cache_state(self.client.get(url)), "miss")
        self.assertEqual(cache_state(self.client.get(f"{url}?fbclid=1")), "hit")

    def test_a_partners_visits_read_the_page_number_alone(self):
        url = f"{self.city.get_absolute_url()}visits/"
        self.assertEqual(cache_state(self.client.get(url)), "miss")
        self.assertEqual(cache_state(self.client.get(f"{url}?utm=1")), "hit")
        self.assertEqual(cache_state(self.client.get(f"{url}?page=2")), "miss")
        # As the paginator reads them: " 2" is 2, past the end the last page
        # (a bound keeps the keys few), not a number the first.
        self.assertEqual(cache_state(self.client.get(f"{url}?page=%202")), "hit")
        self.assertEqual(cache_state(self.client.get(f"{url}?page=x")), "miss")
        self.assertEqual(cache_state(self.client.get(f"{url}?page=1")), "hit")
        self.assertEqual(cache_state(self.client.get(f"{url}?page=999999")), "miss")
        self.assertEqual(cache_state(self.client.get(f"{url}?page=10000")), "hit")

    def test_the_scheme_is_part_of_the_key(self):
        url = self.city.get_absolute_url()
        self.client.get(url)
        # A page built for https (its links absolute https ones) is never served
        # to a plain request, nor the other way round.
        response = self.client.get(url, secure=True)
        self.assertEqual(cache_state(response), "miss")
        self.assertEqual(cache_state(self.client.get(url, secure=True)), "hit")
        self.assertEqual(cache_state(self.client.get(url)), "hit")


@PAGE_CACHE
class ScopedRenewalTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.kazan = make_city(name="Kazan", slug="kazan")
        cls.minsk = make_city(name="Minsk", slug="minsk", country="BY")
        for city in (cls.kazan, cls.minsk):
            make_agreement(home_party=home, partner=city)
        cls.visit = make_visit(
            home_party=home, partner_city=cls.kazan, title="River ports"
        )
        cls.pages = {
            "kazan": cls.kazan.get_absolute_url(),
            "minsk": cls.minsk.get_absolute_url(),
            "list": "/partners/",
            "json": "/partners.json",
        }

    def fill(self):
        for url in self.pages.values():
            self.client.get(url)

    def states(self):
        return {
            name: cache_state(self.client.get(url)) for name, url in self.pages.items()
        }

    def test_a_change_renews_its_partners_page_and_the_lists_only(self):
        self.fill()
        self.visit.title = "River ports and trade"
        self.visit.save()
        self.assertEqual(
            self.states(),
            {"kazan": "miss", "minsk": "hit", "list": "miss", "json": "miss"},
        )
        self.assertContains(
            self.client.get(self.pages["kazan"]), "River ports and trade"
        )

    def test_a_partners_visits_pages_are_renewed_with_its_page(self):
        url = f"{self.pages['kazan']}visits/"
        other = f"{self.pages['minsk']}visits/"
        for page in (url, other):
            self.client.get(page)
        self.visit.title = "River ports and trade"
        self.visit.save()
        response = self.client.get(url)
        self.assertEqual(cache_state(response), "miss")
        self.assertContains(response, "River ports and trade")
        self.assertEqual(cache_state(self.client.get(other)), "hit")

    def test_a_visit_moved_to_another_partner_renews_both(self):
        self.fill()
        self.visit.partner_city = self.minsk
        self.visit.save()
        states = self.states()
        self.assertEqual((states["kazan"], states["minsk"]), ("miss", "miss"))

    def test_unpublishing_and_deleting_renew_the_page(self):
        self.fill()
        Visit.objects.get(pk=self.visit.pk).delete()
        self.assertNotContains(self.client.get(self.pages["kazan"]), "River ports")
        self.assertEqual(cache_state(self.client.get(self.pages["minsk"])), "hit")

    def test_a_change_to_the_home_city_renews_every_page(self):
        self.fill()
        home = self.visit.home_party
        home.description = "The home city."
        home.save()
        self.assertEqual(set(self.states().values()), {"miss"})


class ScopeLifeTests(TestCase):
    def test_a_pages_generation_is_not_kept_for_ever(self):
        """Any address may be asked for (``/partners/<anything>/``): the key it
        starts must expire, or such requests would fill Redis."""
        self.assertIsNone(page_cache.scope_timeout(page_cache.EVERYTHING))
        self.assertIsNotNone(page_cache.scope_timeout("city:no-such-city"))


@PAGE_CACHE
class RenewalMarkerTests(TestCase):
    """A process that could not renew the pages during an outage leaves a
    marker; another process, which never saw the outage, renews them."""

    @classmethod
    def setUpTestData(cls):
        cls.city = make_city(name="Kazan", slug="kazan")
        make_agreement(home_party=make_home(), partner=cls.city)

    def test_a_marker_left_by_another_process_renews_every_page(self):
        url = self.city.get_absolute_url()
        self.client.get(url)
        self.assertEqual(cache_state(self.client.get(url)), "hit")
        marker = Path(settings.PARTNERSHIPS_PAGE_RENEWAL_MARKER)
        marker.touch()
        self.addCleanup(marker.unlink, missing_ok=True)
        self.assertEqual(cache_state(self.client.get(url)), "miss")
        self.assertFalse(marker.exists())
        self.assertEqual(cache_state(self.client.get(url)), "hit")
