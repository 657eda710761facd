"""The partner list's filters, search and sorting, through the public URL."""

import datetime

from django.test import TestCase

from partnerships.models.choices import AgreementKind, VisitStatus
from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_home,
    make_institution,
    make_visit,
)

D = datetime.date
LIST = "/partners/"


class PartnerCityFilterSetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.voronezh = make_city(
            name="Voronezh",
            name_local="Воронеж",
            name_zh_hans="沃罗涅日",
            slug="voronezh",
            country="RU",
        )
        cls.brest = make_city(name="Brest", name_ru="Брест", slug="brest", country="FR")
        cls.toledo = make_city(name="Toledo", slug="toledo", country="US")
        cls.voronezh_agreement = make_agreement(
            partner=cls.voronezh, signed_on=D(1993, 10, 20)
        )
        make_agreement(
            partner=cls.brest,
            kind=AgreementKind.FRIENDLY_EXCHANGE,
            signed_on=D(2005, 3, 1),
        )
        cls.toledo_agreement = make_agreement(
            partner=cls.toledo, kind=AgreementKind.MEMORANDUM, signed_on=None
        )
        hospital = make_institution(
            name="Voronezh Eighth Hospital",
            city=cls.voronezh,
            aliases=["Russia-China Friendship Hospital"],
        )
        make_collaboration(
            agreement=cls.voronezh_agreement,
            sector="healthcare",
            participants=[hospital],
        )
        make_institution(name="Secret Lyceum", city=cls.brest, published=False)
        make_collaboration(
            agreement=cls.toledo_agreement, sector="education", published=False
        )
        make_visit(partner_city=cls.brest, start_date=D(2022, 6, 1))
        make_visit(partner_city=cls.voronezh, start_date=D(2015, 6, 1))
        make_visit(partner_city=cls.toledo, start_date=D(2024, 1, 1), published=False)
        make_visit(
            partner_city=cls.toledo,
            start_date=D(2030, 1, 1),
            status=VisitStatus.PLANNED,
        )

    def slugs(self, **params):
        response = self.client.get(LIST, params)
        self.assertEqual(response.status_code, 200)
        return [city.slug for city in response.context["cities"]]

    def test_unfiltered_sorted_by_name(self):
        self.assertEqual(self.slugs(), ["brest", "toledo", "voronezh"])

    def test_search_every_name_in_every_language(self):
        for text in ("voronezh", "Воронеж", "沃罗涅", "Брест", "TOLE"):
            with self.subTest(text=text):
                self.assertEqual(len(self.slugs(q=text)), 1)
        self.assertEqual(self.slugs(q="沃罗涅"), ["voronezh"])
        self.assertEqual(self.slugs(q="Брест"), ["brest"])

    def test_search_in_any_case_width_and_with_the_stress_mark(self):
        for text in ("воронеж", "ВОРОНЕЖ", "Ｖｏｒｏｎｅｚｈ", "Воро́неж", "брест"):
            with self.subTest(text=text):
                self.assertEqual(len(self.slugs(q=text)), 1)

    def test_search_institutions_and_their_alternate_names(self):
        self.assertEqual(self.slugs(q="eighth hospital"), ["voronezh"])
        self.assertEqual(self.slugs(q="Russia-China Friendship"), ["voronezh"])

    def test_search_ignores_unpublished_institutions(self):
        self.assertEqual(self.slugs(q="Secret Lyceum"), [])

    def test_country(self):
        self.assertEqual(self.slugs(country="FR"), ["brest"])

    def test_country_choices_only_partners_countries(self):
        response = self.client.get(LIST)
        codes = [
            code
            for code, _ in response.context["filter"].form["country"].field.choices
            if code
        ]
        self.assertEqual(sorted(codes), ["FR", "RU", "US"])

    def test_kind(self):
        self.assertEqual(self.slugs(kind="memorandum"), ["toledo"])
        self.assertEqual(self.slugs(kind="friendly_exchange"), ["brest"])

    def test_sector_counts_only_published_collaborations(self):
        self.assertEqual(self.slugs(sector="healthcare"), ["voronezh"])
        # Education's only collaboration is unpublished: the public is not
        # offered it, and a request for it is said to be ignored.
        response = self.client.get(LIST)
        offered = dict(response.context["filter"].form.fields["sector"].choices)
        self.assertIn("healthcare", offered)
        self.assertNotIn("education", offered)
        response = self.client.get(LIST, {"sector": "education"})
        self.assertEqual(
            response.context["invalid_filters"], ["Sector of collaboration"]
        )

    def test_year_signed_from_and_to(self):
        self.assertEqual(self.slugs(signed_from=2000), ["brest"])
        self.assertEqual(self.slugs(signed_to=2000), ["voronezh"])
        self.assertEqual(
            self.slugs(signed_from=1990, signed_to=2010), ["brest", "voronezh"]
        )

    def test_one_agreement_must_meet_every_agreement_term(self):
        # Voronezh gains a memorandum in 2010 beside its sister-city link of 1993.
        make_agreement(
            partner=self.voronezh,
            kind=AgreementKind.MEMORANDUM,
            signed_on=D(2010, 5, 5),
        )
        self.assertEqual(self.slugs(signed_from=1995, signed_to=2000), [])
        self.assertEqual(self.slugs(kind="sister_city", signed_from=2000), [])
        self.assertEqual(self.slugs(kind="memorandum", signed_from=2000), ["voronezh"])

    def test_filters_combine(self):
        self.assertEqual(self.slugs(q="o", country="RU", signed_to=1999), ["voronezh"])

    def test_sort_by_date_signed_unknown_last(self):
        self.assertEqual(self.slugs(sort="-signed"), ["brest", "voronezh", "toledo"])
        self.assertEqual(self.slugs(sort="signed"), ["voronezh", "brest", "toledo"])

    def test_sort_by_latest_published_completed_visit(self):
        # Toledo's visits are unpublished or only planned: no latest visit, last.
        self.assertEqual(self.slugs(sort="-visit"), ["brest", "voronezh", "toledo"])

    def test_invalid_values_are_ignored_with_a_message(self):
        response = self.client.get(
            LIST,
            {
                "country": "ZZ",
                "kind": "treaty",
                "sector": "astrology",
                "signed_from": "nineteen",
                "signed_to": "99999999999999999999",
                "sort": "random",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(response.context["cities"]), 3)
        self.assertContains(response, "could not be understood and were ignored")
        for label in ("Country", "Kind of agreement", "Sector of collaboration"):
            self.assertContains(response, label)

    def test_invalid_value_keeps_the_valid_filters(self):
        response = self.client.get(LIST, {"country": "RU", "signed_from": "x"})
        self.assertEqual([c.slug for c in response.context["cities"]], ["voronezh"])
        self.assertContains(response, "were ignored")

    def test_very_long_search_is_refused_politely(self):
        response = self.client.get(LIST, {"q": "x" * 5000})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "were ignored")

    def test_filters_stay_in_the_form(self):
        response = self.client.get(LIST, {"q": "Brest", "kind": "friendly_exchange"})
        self.assertContains(response, 'value="Brest"')
        self.assertContains(response, 'aria-describedby="id_q_helptext"')
        self.assertContains(response, 'id="id_q_helptext"')
        self.assertContains(
            response, '<option value="friendly_exchange" selected>', html=False
        )

    def test_empty_form_submission_is_not_a_filter(self):
        response = self.client.get(LIST, {"q": "", "country": "", "sort": "name"})
        self.assertEqual(len(response.context["cities"]), 3)
        self.assertNotContains(response, "Clear the filters")
        self.assertNotContains(response, "were ignored")
        response = self.client.get(LIST, {"q": "Brest"})
        self.assertContains(response, "Clear the filters")
