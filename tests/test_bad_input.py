"""Bad input everywhere: every kind tried, each answered clearly, nothing half-written.

What is tried here, by where it arrives (the spreadsheet files have their own
module, tests/test_spreadsheets.py, listed at the end):

Public list filters and URLs
  1. a year beyond any float: ?signed_from=1e400
  2. a year of 30 digits and a negative one
  3. a year that is not a number: ?signed_to=abc
  4. an unknown country code, and HTML as a country
  5. an unknown kind of agreement
  6. an unknown sector, and a number as a sector
  7. an unknown sort field, and a model field name as a sort
  8. SQL in the search box
  9. HTML and script in the search box (comes back escaped)
 10. a search of 10,000 characters
 11. a NUL byte in the search box (PostgreSQL refuses NUL in text)
 12. page numbers 0, -1, "abc", "last" and one of 25 digits
 13. the same parameter twice with different values
 14. emoji, right-to-left and combining characters in every parameter
 15. random text in every parameter (hypothesis)
 16. a partner slug of unicode, one of 1,000 characters, and ../ in the path
 17. every bad filter on the open-data downloads (CSV and JSON)
 18. an unknown language prefix
 19. POST, PUT and DELETE to public pages
 20. a forged Host header
Admin forms (a superuser posting the visit and city forms directly)
 21. a visit that ends before it starts
 22. an impossible date, 2023-02-30
 23. a date in an unknown format, and an ambiguous day/month order 03/04/2023
 24. year 0 and year 99999
 25. required fields missing
 26. a NUL byte in a text field
 27. text longer than the field allows
 28. a partner city that does not exist, and one given as text
 29. a latitude of 91, a negative population, a bad Wikidata id
 30. a visit form without its CSRF token
 31. random dates and text in the visit form (hypothesis)
 32. a future visit marked as completed
Admin lists and look-ups (a superuser)
 33. a NUL byte in every list's search, in a filter, and in an autocomplete term
Spreadsheet imports (tests/test_spreadsheets.py and tests/test_resources.py)
 34. GBK and Windows-1251 CSV, UTF-8 with BOM, impossible and ambiguous dates,
     an unknown partner city, data not on the first sheet, a file that is not what
     its extension says, an empty file, a file over the size limit, a zip bomb
     disguised as XLSX, one bad row among good ones (nothing written)

Each asserts: no server error, a clear message or a safe result, nothing written.
"""

import string

from django.test import Client, TestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from partnerships.models import City, Visit
from tests.factories import make_user

PUBLIC_PARAMETERS = (
    "q",
    "country",
    "kind",
    "sector",
    "signed_from",
    "signed_to",
    "sort",
)
LIST_URLS = ("/partners/", "/partners.csv", "/partners.json")

BAD_QUERIES = [
    "signed_from=1e400",
    "signed_from=100000000000000000000000000000",
    "signed_to=-100000000000000000000000000000",
    "signed_to=abc",
    "country=XX",
    "country=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "kind=alliance",
    "sector=nonsense",
    "sector=1",
    "sort=password",
    "sort=-internal_notes",
    "q=%27%20OR%201%3D1%20--",
    "q=%27%3B%20DROP%20TABLE%20partnerships_city%3B%20--",
    "q=" + "x" * 10_000,
    "q=a%00b",
    "country=RU%00",
    "page=0",
    "page=-1",
    "page=abc",
    "page=last",
    "page=1000000000000000000000000",
    "page=%C2%B2",
    "page=" + "9" * 5000,
    "signed_from=2010.5",
    "country=RU&country=CN",
    "sort=name&sort=-signed",
    "q=%F0%9F%8C%8D%E2%80%AE%D8%A7%D9%84%CC%81",
    "signed_from=%D9%A1%D9%A9%D9%A9%D9%A3",
]


class PublicBadInputTests(TestCase):
    fixtures = ["seed"]

    def test_every_bad_filter_gives_a_safe_answer(self):
        for url in LIST_URLS:
            for query in BAD_QUERIES:
                with self.subTest(url=url, query=query[:60]):
                    response = self.client.get(f"{url}?{query}")
                    self.assertIn(response.status_code, {200, 404}, query[:60])
                    if url == "/partners/" and response.status_code == 200:
                        self.assertContains(response, "<h1")

    def test_invalid_values_are_named_in_a_message(self):
        response = self.client.get("/partners/?signed_from=1e400&country=XX")
        self.assertEqual(response.status_code, 200)
        body = response.content.decode()
        self.assertIn("Voronezh", body)  # the unfiltered-safe result
        self.assertRegex(body.lower(), r"ignored|not valid|invalid")

    def test_html_in_search_comes_back_escaped(self):
        response = self.client.get("/partners/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_sql_in_search_finds_nothing_and_drops_nothing(self):
        response = self.client.get(
            "/partners/?q=%27%3B%20DROP%20TABLE%20partnerships_city%3B%20--"
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'href="/partners/voronezh/"')
        self.assertEqual(City.objects.count(), 2)

    def test_bad_slugs_are_not_found(self):
        for path in (
            "/partners/%D0%B2%D0%BE%D1%80%D0%BE%D0%BD%D0%B5%D0%B6/",
            "/partners/" + "a" * 1000 + "/",
            "/partners/..%2F..%2Fetc%2Fpasswd/",
            "/partners/voronezh%00/",
            "/xx/partners/",
        ):
            with self.subTest(path=path[:50]):
                self.assertEqual(self.client.get(path).status_code, 404)

    def test_writing_methods_are_refused_on_public_pages(self):
        client = Client(enforce_csrf_checks=True)
        for method in ("post", "put", "delete"):
            for url in ("/partners/", "/partners/voronezh/", "/partners.csv"):
                with self.subTest(method=method, url=url):
                    response = getattr(client, method)(url)
                    self.assertIn(response.status_code, {403, 405})

    def test_forged_host_is_refused(self):
        response = self.client.get("/partners/", HTTP_HOST="evil.example")
        self.assertEqual(response.status_code, 400)


text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60
) | st.sampled_from(["1e400", "-1", "0", "NaN", "inf", "RU", "CN", "sister_city"])


class PublicFilterPropertyTests(HypothesisTestCase):
    fixtures = ["seed"]

    @settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(st.dictionaries(st.sampled_from(PUBLIC_PARAMETERS), text_values, max_size=4))
    def test_any_parameters_give_a_page_never_an_error(self, parameters):
        for url in ("/partners/", "/partners.json"):
            response = self.client.get(url, parameters)
            self.assertEqual(response.status_code, 200, parameters)


def visit_form(**overrides):
    """A valid visit add form as the admin posts it, with no inline rows."""
    from partnerships.models import City

    partner = City.objects.get(slug="voronezh")
    home = City.objects.get(slug="chongqing")
    data = {
        "direction": "inbound",
        "status": "completed",
        "partner_city": str(partner.pk),
        "home_party": str(home.pk),
        "title_en": "Duma delegation",
        "start_date": "2019-05-14",
        "end_date": "2019-05-16",
        "date_note_en": "",
        "head_unrecorded": "on",
        "purpose_en": "",
        "programme_en": "",
        "outcomes_en": "",
        "public_summary_en": "",
        "internal_notes": "",
        "members-TOTAL_FORMS": "0",
        "members-INITIAL_FORMS": "0",
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
        "activities-TOTAL_FORMS": "0",
        "activities-INITIAL_FORMS": "0",
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


ADD_VISIT = "/admin/partnerships/visit/add/"


class AdminFormBadInputTests(TestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.root = make_user(is_superuser=True)

    def setUp(self):
        self.client.force_login(self.root)
        self.visits_before = Visit.objects.count()

    def assertRefused(self, data, field=None, message=None):
        response = self.client.post(ADD_VISIT, data)
        self.assertEqual(response.status_code, 200, "the form should be shown again")
        self.assertEqual(Visit.objects.count(), self.visits_before, "nothing written")
        errors = response.context["adminform"].form.errors
        if field:
            self.assertIn(field, errors)
        if message:
            self.assertContains(response, message)
        return response

    def test_the_valid_form_is_accepted(self):
        response = self.client.post(ADD_VISIT, visit_form())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Visit.objects.count(), self.visits_before + 1)

    def test_end_before_start(self):
        self.assertRefused(
            visit_form(start_date="2019-05-16", end_date="2019-05-14"), "end_date"
        )

    def test_impossible_date(self):
        self.assertRefused(visit_form(start_date="2023-02-30"), "start_date")

    def test_unknown_and_ambiguous_date_formats(self):
        for value in ("14th May 2019", "2019/05/14/1", "03/04/2023", "14.5.19"):
            with self.subTest(value=value):
                self.assertRefused(visit_form(start_date=value), "start_date")

    def test_the_office_and_the_partner_write_dates_their_way_in_any_language(self):
        for prefix, local in (("/ru", "14.05.2019"), ("/zh-hans", "2019年5月14日")):
            with self.subTest(prefix=prefix):
                Visit.objects.filter(title_en="Dated their way").delete()
                response = self.client.post(
                    prefix + ADD_VISIT,
                    visit_form(
                        start_date=local, end_date="", title_en="Dated their way"
                    ),
                )
                self.assertEqual(response.status_code, 302)
                visit = Visit.objects.get(title_en="Dated their way")
                self.assertEqual(visit.start_date.isoformat(), "2019-05-14")
            with self.subTest(prefix=prefix, ambiguous=True):
                response = self.client.post(
                    prefix + ADD_VISIT, visit_form(start_date="05/03/2019")
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn("start_date", response.context["adminform"].form.errors)
        Visit.objects.filter(title_en="Dated their way").delete()
        response = self.client.post("/ru" + ADD_VISIT, visit_form())
        self.assertEqual(response.status_code, 302)

    def test_out_of_range_years(self):
        for value in ("0000-01-01", "99999-01-01"):
            with self.subTest(value=value):
                self.assertRefused(visit_form(start_date=value), "start_date")

    def test_required_fields_missing(self):
        self.assertRefused(visit_form(direction="", partner_city=""), "direction")

    def test_nul_byte_in_text(self):
        self.assertRefused(visit_form(title_en="Duma\x00delegation"), "title_en")

    def test_text_longer_than_allowed(self):
        self.assertRefused(visit_form(title_en="x" * 301), "title_en")

    def test_partner_that_does_not_exist(self):
        for value in ("999999", "Voronezh", "-1"):
            with self.subTest(value=value):
                self.assertRefused(visit_form(partner_city=value), "partner_city")

    def test_future_visit_marked_completed(self):
        self.assertRefused(
            visit_form(start_date="2999-01-01", end_date=""), message="future"
        )

    def test_missing_csrf_token_is_refused(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.root)
        response = client.post(ADD_VISIT, visit_form())
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Visit.objects.count(), self.visits_before)
        # The site's own page, with no inline style for the CSP to block, and
        # nothing of the reason (cookie and header names) for the reader.
        page = response.content.decode()
        self.assertIn("The form could not be sent", page)
        self.assertNotIn("<style", page)
        self.assertNotIn("style=", page)
        self.assertNotIn("CSRF cookie", page)

    def test_bad_city_numbers(self):
        cities_before = City.objects.count()
        data = {
            "name_en": "Testville",
            "slug": "testville",
            "role": "partner",
            "country": "RU",
            "latitude": "91",
            "longitude": "10",
            "population": "-5",
            "wikidata_id": "14886",
            "districts-TOTAL_FORMS": "0",
            "districts-INITIAL_FORMS": "0",
        }
        response = self.client.post("/admin/partnerships/city/add/", data)
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        for field in ("latitude", "population", "wikidata_id"):
            self.assertIn(field, errors)
        self.assertEqual(City.objects.count(), cities_before)


date_text = st.one_of(
    st.dates().map(lambda day: day.isoformat()),
    st.text(alphabet=string.digits + "-/. ", max_size=12),
    st.text(max_size=20),
)


class AdminFormPropertyTests(HypothesisTestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.root = make_user(is_superuser=True)

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(start=date_text, end=date_text, title=st.text(max_size=400))
    def test_any_dates_and_title_are_saved_whole_or_refused_whole(
        self, start, end, title
    ):
        self.client.force_login(self.root)
        before = Visit.objects.count()
        response = self.client.post(
            ADD_VISIT, visit_form(start_date=start, end_date=end, title=title)
        )
        self.assertIn(response.status_code, {200, 302})
        after = Visit.objects.count()
        if response.status_code == 302:
            self.assertEqual(after, before + 1)
            Visit.objects.filter(pk=Visit.objects.latest("pk").pk).delete()
        else:
            self.assertEqual(after, before)
            self.assertTrue(response.context["adminform"].form.errors)


class AdminNulTests(TestCase):
    """PostgreSQL refuses NUL in text; the admin's lists and look-ups never
    pass one on (``foreignaffairs.requests.StripNulMiddleware``)."""

    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.root = make_user(is_superuser=True)

    def test_nul_in_search_filters_and_autocomplete(self):
        self.client.force_login(self.root)
        urls = [
            f"/admin/partnerships/{model}/?q=a%00b"
            for model in (
                "city",
                "agreement",
                "visit",
                "person",
                "institution",
                "collaboration",
                "activity",
                "source",
            )
        ]
        urls += [
            "/admin/partnerships/city/?country=%00",
            "/admin/partnerships/city/?country=RU%00",
            "/admin/partnerships/visit/?partner=%00&year=20%0024",
            "/admin/partnerships/visit/?published__exact=%00",
            "/admin/autocomplete/?term=%00&app_label=partnerships"
            "&model_name=visit&field_name=partner_city",
            "/admin/autocomplete/?term=Vor%00&app_label=partnerships"
            "&model_name=delegationmember&field_name=person",
            "/admin/partnerships/visit/?%00=1",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertLess(response.status_code, 500, url)
                self.assertFalse("\x00" in response.content.decode(), url)
