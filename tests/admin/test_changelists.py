"""The admin's lists: search, filters, query counts and lists of 100,000 rows."""

import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnerships.admin.filters import PartnerCityListFilter
from partnerships.models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    DelegationMember,
    FocusArea,
    Institution,
    Person,
    SentReminder,
    Source,
    Visit,
)
from partnerships.models.choices import (
    Direction,
)
from tests.admin.helpers import (
    SuperuserTestCase,
    changelist,
    filter_spec,
)
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_source,
    make_visit,
)


class SearchTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.voronezh = make_city(
            name="Voronezh",
            name_local="Воронеж",
            name_zh_hans="沃罗涅日",
            name_ru="Воронеж",
        )
        cls.other = make_city(name="Minsk", country="BY")
        cls.visit = make_visit(
            home_party=cls.home, partner_city=cls.voronezh, title="Trade talks"
        )
        cls.other_visit = make_visit(
            home_party=cls.home, partner_city=cls.other, title="Other talks"
        )
        cls.hospital = make_institution(
            name="Chongqing Third People's Hospital",
            city=cls.home,
            aliases=["Chongqing China-Russia Friendship Hospital"],
        )
        make_institution(name="Voronezh State University", city=cls.voronezh)

    def search(self, model, term):
        response = self.client.get(changelist(model), {"q": term})
        self.assertEqual(response.status_code, 200)
        return list(response.context["cl"].result_list)

    def test_cities_are_found_by_every_name(self):
        for term in ("Voronezh", "Воронеж", "沃罗涅日"):
            with self.subTest(term=term):
                self.assertEqual(self.search(City, term), [self.voronezh])

    def test_any_case_width_stress_mark_and_yo(self):
        petrov = make_person(name="Sergei Petrov", name_ru="Сергей Пётр Петров")
        for term in (
            "воронеж",  # lower-case Cyrillic (SQLite's LIKE folds ASCII only)
            "ВОРОНЕЖ",
            "vOrOnEzH",
            "Ｖｏｒｏｎｅｚｈ",  # full width, as a Chinese keyboard may type it
            "Воро́неж",  # with the stress mark
        ):
            with self.subTest(term=term):
                self.assertEqual(self.search(City, term), [self.voronezh])
        for term in ("петров", "пётр", "петр", "ПЁТР"):
            with self.subTest(term=term):
                self.assertEqual(self.search(Person, term), [petrov])

    def test_texts_are_found_in_every_language(self):
        Visit.objects.filter(pk=self.visit.pk).update(
            title_zh_hans="贸易会谈", purpose_ru="Переговоры о торговле"
        )
        for term in ("贸易", "переговоры", "trade TALKS"):
            with self.subTest(term=term):
                self.assertEqual(self.search(Visit, term), [self.visit])

    def test_autocomplete_finds_a_name_in_lower_case_cyrillic(self):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "partnerships",
                "model_name": "visit",
                "field_name": "partner_city",
                "term": "воронеж",
            },
        )
        ids = [int(row["id"]) for row in response.json()["results"]]
        self.assertEqual(ids, [self.voronezh.pk])

    def test_visits_are_found_by_the_partner_city_in_any_script(self):
        for term in ("Воронеж", "沃罗涅日"):
            with self.subTest(term=term):
                self.assertEqual(self.search(Visit, term), [self.visit])

    def test_institutions_are_found_by_an_alternate_name(self):
        found = self.search(type(self.hospital), "China-Russia Friendship Hospital")
        self.assertEqual(found, [self.hospital])

    def test_visits_are_found_by_a_members_name_in_either_order(self):
        member = make_person(name="Ivan Petrov", city=self.voronezh)
        make_head(self.visit, person=member)
        for term in ("Ivan Petrov", "petrov ivan", '"Ivan Petrov"'):
            with self.subTest(term=term):
                self.assertEqual(self.search(Visit, term), [self.visit])
        self.assertEqual(self.search(Visit, "Ivan Sidorov"), [])

    def test_words_found_in_different_tables_still_find_the_record(self):
        # No single row holds both words: the city has one, the person the other.
        make_head(self.visit, person=make_person(name="Petrov", city=self.voronezh))
        self.assertEqual(self.search(Visit, "Воронеж Petrov"), [self.visit])
        self.assertEqual(self.search(Visit, "Minsk Petrov"), [])

    def test_every_record_with_each_word_somewhere_is_found(self):
        # One visit holds both words in its title, the other in two tables.
        both = make_visit(
            home_party=self.home, partner_city=self.other, title="Voronezh Ivanov"
        )
        make_head(self.visit, person=make_person(name="Ivanov", city=self.voronezh))
        found = self.search(Visit, "Voronezh Ivanov")
        self.assertEqual(sorted(v.pk for v in found), sorted([both.pk, self.visit.pk]))

    def test_a_common_word_is_looked_for_among_what_the_rare_words_found(self):
        both = make_visit(
            home_party=self.home, partner_city=self.other, title="Voronezh Ivanov"
        )
        make_head(self.visit, person=make_person(name="Ivanov", city=self.voronezh))
        make_head(self.other_visit, person=make_person(name="Sidorov"))
        # "talks" (two visits) counts as common, "Ivanov" and "Voronezh" too.
        with mock.patch("partnerships.admin.changelists.FEW_MATCHES", 1):
            self.assertEqual(self.search(Visit, "talks Sidorov"), [self.other_visit])
            self.assertEqual(self.search(Visit, "Sidorov talks"), [self.other_visit])
            self.assertEqual(self.search(Visit, "Voronezh Sidorov"), [])
            found = self.search(Visit, "Voronezh Ivanov")
        self.assertEqual(sorted(v.pk for v in found), sorted([both.pk, self.visit.pk]))
        # Every word common: each is looked for everywhere.
        with mock.patch("partnerships.admin.changelists.FEW_MATCHES", 0):
            found = self.search(Visit, "Voronezh Ivanov")
        self.assertEqual(sorted(v.pk for v in found), sorted([both.pk, self.visit.pk]))

    def test_search_makes_no_duplicate_rows(self):
        make_head(self.visit, person=make_person(name="Smith", city=self.voronezh))
        DelegationMember.objects.create(
            visit=self.visit, person=make_person(name="Smith Jr", city=self.voronezh)
        )
        response = self.client.get(changelist(Visit), {"q": "Smith"})
        self.assertEqual(list(response.context["cl"].result_list), [self.visit])
        self.assertEqual(response.context["cl"].result_count, 1)

    def test_collaborations_are_found_through_a_participants_alternate_name(self):
        collaboration = make_collaboration(
            agreement=make_agreement(home_party=self.home, partner=self.voronezh),
            participants=[self.hospital],
        )
        found = self.search(Collaboration, "friendship hospital")
        self.assertEqual(found, [collaboration])

    def test_partner_autocomplete_offers_only_partner_cities(self):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "partnerships",
                "model_name": "visit",
                "field_name": "partner_city",
                "term": "",
            },
        )
        ids = {int(row["id"]) for row in response.json()["results"]}
        self.assertEqual(ids, {self.voronezh.pk, self.other.pk})

    def test_person_autocomplete_tells_namesakes_apart(self):
        make_person(name="Ivanov", current_title="Mayor", city=self.voronezh)
        make_person(name="Ivanov", city=self.other)
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "partnerships",
                "model_name": "delegationmember",
                "field_name": "person",
                "term": "Ivanov",
            },
        )
        texts = sorted(row["text"] for row in response.json()["results"])
        self.assertEqual(
            texts, ["Ivanov (Mayor, Voronezh (Russia))", "Ivanov (Minsk (Belarus))"]
        )

    def test_home_party_autocomplete_offers_only_the_home_side(self):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "partnerships",
                "model_name": "visit",
                "field_name": "home_party",
                "term": "",
            },
        )
        ids = {int(row["id"]) for row in response.json()["results"]}
        self.assertEqual(ids, {self.home.pk})

    def test_city_list_filters_by_the_countries_it_holds(self):
        response = self.client.get(changelist(City), {"country": "BY"})
        self.assertEqual(list(response.context["cl"].result_list), [self.other])
        country_filter = filter_spec(response, "country")
        self.assertEqual(
            [code for code, _name in country_filter.lookup_choices],
            ["BY", "CN", "RU"],
        )

    def test_partner_filter_lists_partners_with_records_unless_too_many(self):
        make_city(name="No visits here")
        response = self.client.get(changelist(Visit))
        spec = filter_spec(response, "partner")
        self.assertEqual(
            [name for _pk, name in spec.lookup_choices], ["Minsk", "Voronezh"]
        )
        with mock.patch.object(PartnerCityListFilter, "max_choices", 1):
            response = self.client.get(changelist(Visit), {"partner": self.other.pk})
        self.assertEqual(list(response.context["cl"].result_list), [self.other_visit])
        self.assertEqual(
            filter_spec(response, "partner").lookup_choices,
            [(str(self.other.pk), "Minsk")],
        )
        with mock.patch.object(PartnerCityListFilter, "max_choices", 1):
            response = self.client.get(changelist(Visit))
        self.assertIsNone(filter_spec(response, "partner"))

    def test_visit_list_filters_by_partner_direction_and_year(self):
        make_visit(
            home_party=self.home,
            partner_city=self.voronezh,
            direction=Direction.OUTBOUND,
            start_date=datetime.date(2021, 3, 1),
        )
        response = self.client.get(
            changelist(Visit),
            {"partner": self.voronezh.pk, "direction__exact": "inbound", "year": 2019},
        )
        self.assertEqual(list(response.context["cl"].result_list), [self.visit])


class FilterBadValueTests(SuperuserTestCase):
    """A filter value that is not a usable number is ignored, never a crash."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.visit = make_visit(start_date=datetime.date(2019, 5, 14))
        cls.collaboration = make_collaboration(started_on=datetime.date(2019, 1, 1))
        cls.activity = make_activity(start_date=datetime.date(2019, 6, 1))

    def test_bad_partner_and_year_values_are_ignored(self):
        bad = {
            "partner": ["²", "١٢", "9" * 19, "-1"],
            "year": ["²", "١٢٣", "10000", "99999", "0", "0000", "-5", "2019 "],
        }
        models = {
            Visit: ("partner", "year"),
            Agreement: ("partner", "year"),
            Collaboration: ("partner", "year"),
            Activity: ("year",),
        }
        for model, parameters in models.items():
            for parameter in parameters:
                for value in bad[parameter]:
                    with self.subTest(model=model.__name__, **{parameter: value}):
                        response = self.client.get(
                            changelist(model), {parameter: value}
                        )
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual(
                            response.context["cl"].result_count,
                            model.objects.count(),
                        )

    def test_good_values_still_filter(self):
        for model in (Visit, Collaboration, Activity):
            with self.subTest(model=model.__name__):
                response = self.client.get(changelist(model), {"year": "2019"})
                self.assertEqual(response.context["cl"].result_count, 1)
                response = self.client.get(changelist(model), {"year": "9999"})
                self.assertEqual(response.context["cl"].result_count, 0)
        response = self.client.get(
            changelist(Visit), {"partner": str(self.visit.partner_city_id)}
        )
        self.assertEqual(list(response.context["cl"].result_list), [self.visit])
        response = self.client.get(changelist(Visit), {"partner": "9" * 18})
        self.assertEqual(response.context["cl"].result_count, 0)


class ChangelistQueryCountTests(SuperuserTestCase):
    """No changelist makes more queries for 50 rows than for 5."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()

    def add_rows(self, count):
        for index in range(count):
            partner = make_city(name_local=f"Город {index}")
            agreement = make_agreement(home_party=self.home, partner=partner)
            person = make_person(city=partner)
            visit = make_visit(
                home_party=self.home,
                partner_city=partner,
                sectors=["economy", "culture"],
                start_date=datetime.date(2010 + index % 10, 1, 1),
            )
            make_head(visit, person=person)
            DelegationMember.objects.create(visit=visit, title_at_time="Member")
            institution = make_institution(city=partner, aliases=["A", "B"])
            collaboration = make_collaboration(
                agreement=agreement, participants=[institution]
            )
            make_activity(collaboration=collaboration, visit=visit, location=partner)
            SentReminder.objects.create(key=f"visit:{visit.pk}")
            FocusArea.objects.create(name=f"Focus {visit.pk}")
            make_source(publisher="Foreign Affairs Office")

    def count_queries(self, url):
        with CaptureQueriesContext(connection) as context:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(context.captured_queries)

    def test_query_count_does_not_grow_with_rows(self):
        models = (
            City,
            Person,
            Agreement,
            Visit,
            Institution,
            Collaboration,
            Activity,
            SentReminder,
            FocusArea,
            Source,
        )
        self.add_rows(5)
        counts = {model: self.count_queries(changelist(model)) for model in models}
        self.add_rows(45)
        for model in models:
            with self.subTest(model=model._meta.model_name):
                with self.assertNumQueries(counts[model]):
                    response = self.client.get(changelist(model))
                self.assertGreaterEqual(response.context["cl"].result_count, 50)

    def test_query_count_is_the_same_in_every_language(self):
        models = (City, Person, Agreement, Visit, Institution, Collaboration)
        self.add_rows(5)
        for model in models:
            counts = {}
            for language in ("en", "zh-hans", "ru"):
                with translation.override(language):
                    counts[language] = self.count_queries(changelist(model))
            with self.subTest(model=model._meta.model_name):
                self.assertEqual(len(set(counts.values())), 1, counts)


class BigListTests(SuperuserTestCase):
    """The visit list reads what a page needs: no whole-table count or scan."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        partner = make_city(name="Voronezh")
        person = make_person(name="Ivan Petrov", city=partner)
        for year in (2003, 2011, 2024):
            visit = make_visit(
                home_party=cls.home,
                partner_city=partner,
                start_date=datetime.date(year, 5, 1),
                sectors=["economy"],
            )
            make_head(visit, person=person)
        cls.undated = make_visit(
            home_party=cls.home, partner_city=partner, start_date=None
        )

    def test_at_most_ten_queries_listed_or_filtered_and_one_per_word_searched(self):
        for query, words in (
            ({}, 0),
            ({"q": "Ivan Petrov"}, 2),
            ({"direction__exact": "inbound"}, 0),
        ):
            with self.subTest(query=query):
                with CaptureQueriesContext(connection) as context:
                    response = self.client.get(changelist(Visit), query)
                self.assertEqual(response.status_code, 200)
                self.assertLessEqual(len(context.captured_queries), 10 + words)
                sql = " ".join(q["sql"] for q in context.captured_queries)
                self.assertNotIn("DISTINCT", sql)

    def test_years_run_from_the_first_to_the_last(self):
        response = self.client.get(changelist(Visit))
        years = [year for year, _label in filter_spec(response, "year").lookup_choices]
        self.assertEqual(years, [str(year) for year in range(2024, 2002, -1)])
        hierarchy = response.content.decode()
        self.assertIn("start_date__year=2003", hierarchy)
        self.assertIn("start_date__year=2024", hierarchy)
        # A year with no visit lists nothing, and says so by its count.
        response = self.client.get(changelist(Visit), {"start_date__year": "2010"})
        self.assertEqual(response.context["cl"].result_count, 0)

    def test_undated_visits_come_last(self):
        response = self.client.get(changelist(Visit))
        visits = list(response.context["cl"].result_list)
        self.assertEqual(visits[-1], self.undated)
        self.assertEqual(
            [visit.start_date.year for visit in visits[:-1]], [2024, 2011, 2003]
        )

    @pytest.mark.postgresql_only(reason="PostgreSQL keeps row estimates")
    def test_a_big_unfiltered_list_shows_the_estimate_and_a_filtered_one_counts(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE partnerships_visit")
        with mock.patch("partnerships.admin.changelists.ESTIMATE_FROM_ROWS", 1):
            response = self.client.get(changelist(Visit))
            self.assertTrue(response.context["cl"].paginator.estimated)
            self.assertContains(response, "≈")
            self.assertEqual(response.context["cl"].result_count, 4)
            response = self.client.get(changelist(Visit), {"q": "Petrov"})
            self.assertFalse(response.context["cl"].paginator.estimated)
            self.assertEqual(response.context["cl"].result_count, 3)

    def test_row_checkboxes_are_djangos_own_markup(self):
        visit = make_visit(
            home_party=self.home,
            partner_city=self.undated.partner_city,
            title='<b>"Talks" & more</b>',
        )
        model_admin = admin.site._registry[Visit]
        self.assertEqual(
            model_admin.action_checkbox(visit),
            admin.ModelAdmin.action_checkbox(model_admin, visit),
        )

    def test_show_all_is_offered_only_on_a_narrowed_list(self):
        response = self.client.get(changelist(Visit))
        self.assertNotContains(response, 'class="small quiet"')
        response = self.client.get(changelist(Visit), {"q": "Petrov"})
        self.assertContains(response, "3 results")
        self.assertContains(response, "Show all")

    @pytest.mark.postgresql_only(reason="PostgreSQL keeps row estimates")
    def test_records_beyond_a_stale_estimate_are_reached_on_the_last_page(self):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE partnerships_visit")
        partner = self.undated.partner_city
        for day in range(1, 4):
            make_visit(
                home_party=self.home,
                partner_city=partner,
                start_date=datetime.date(1990, 1, day),
            )
        model_admin = admin.site._registry[Visit]
        with (
            mock.patch("partnerships.admin.changelists.ESTIMATE_FROM_ROWS", 1),
            mock.patch.object(model_admin, "list_per_page", 2),
        ):
            response = self.client.get(changelist(Visit))
            self.assertTrue(response.context["cl"].paginator.estimated)
            self.assertEqual(response.context["cl"].result_count, 4)
            response = self.client.get(changelist(Visit), {"p": "2"})
            cl = response.context["cl"]
            self.assertEqual(cl.result_count, 7)
            self.assertEqual(cl.paginator.num_pages, 4)
            response = self.client.get(changelist(Visit), {"p": "4"})
            self.assertEqual(list(response.context["cl"].result_list), [self.undated])

    def test_small_lists_are_counted_exactly(self):
        response = self.client.get(changelist(Visit))
        self.assertEqual(response.context["cl"].result_count, 4)
        self.assertFalse(response.context["cl"].paginator.estimated)
        self.assertNotContains(response, "≈")


class RussianCountTests(SuperuserTestCase):
    """A list's count takes the noun's Russian plural form."""

    def test_counts_1_2_5_and_21(self):
        from django.template import Context, Template

        template = Template("{% load changelist %}{% record_count cl %}")
        expected = {
            1: "1 визит",
            2: "2 визита",
            5: "5 визитов",
            21: "21 визит",
        }
        for count, text in expected.items():
            cl = mock.Mock(result_count=count, opts=Visit._meta)
            with self.subTest(count=count), translation.override("ru"):
                self.assertEqual(template.render(Context({"cl": cl})), text)
        with translation.override("ru"):
            cl = mock.Mock(result_count=5, opts=Collaboration._meta)
            self.assertEqual(
                template.render(Context({"cl": cl})), "5 проектов сотрудничества"
            )

    def test_the_list_page_shows_it(self):
        home = make_home()
        for day in range(1, 6):
            make_visit(home_party=home, start_date=datetime.date(2019, 5, day))
        with translation.override("ru"):
            response = self.client.get(changelist(Visit))
        self.assertContains(response, "5 визитов")
