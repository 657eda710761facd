import datetime
from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from partnerships import dashboard
from partnerships.admin.filters import PartnerFilter
from partnerships.models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    DelegationMember,
    FocusArea,
    Institution,
    Person,
    Sector,
    SentReminder,
    Source,
    Visit,
)
from partnerships.models.choices import (
    AgreementStatus,
    DelegationRole,
    Direction,
    VisitStatus,
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
    make_user,
    make_visit,
)


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English texts, whatever an earlier test activated."""
    with translation.override("en"):
        yield


def changelist(model):
    return reverse(f"admin:partnerships_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:partnerships_{obj._meta.model_name}_change", args=[obj.pk])


def initial_data(response, leave_out=()):
    """The admin form's initial values as a POST would send them back."""
    form = response.context["adminform"].form
    return {
        key: value
        for key, value in form.initial.items()
        if value is not None and key not in leave_out
    }


def filter_spec(response, parameter):
    """The changelist's SimpleListFilter with this parameter name."""
    specs = response.context["cl"].filter_specs
    found = [s for s in specs if getattr(s, "parameter_name", None) == parameter]
    return found[0] if found else None


class SuperuserTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.superuser = get_user_model().objects.create_superuser(
            "boss", password="a-long-test-password"
        )

    def setUp(self):
        self.client.force_login(self.superuser)


class EveryPageRendersTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh", name_local="Воронеж")
        cls.agreement = make_agreement(home_party=cls.home, partner=cls.partner)
        cls.visit = make_visit(home_party=cls.home, partner_city=cls.partner)
        make_head(cls.visit)
        cls.institution = make_institution(city=cls.partner, aliases=["Alias"])
        cls.collaboration = make_collaboration(
            agreement=cls.agreement, participants=[cls.institution]
        )
        cls.activity = make_activity(collaboration=cls.collaboration)
        cls.person = make_person(city=cls.partner)
        cls.source = make_source()
        cls.focus = FocusArea.objects.create(name="LNG storage")
        SentReminder.objects.create(key="renewal:1:2030-01-01")

    def test_changelist_add_and_change_pages_render(self):
        objects = [
            self.home,
            self.agreement,
            self.visit,
            self.institution,
            self.collaboration,
            self.activity,
            self.person,
            self.source,
            self.focus,
            Sector.objects.first(),
        ]
        for obj in objects:
            with self.subTest(model=obj._meta.model_name):
                self.assertEqual(
                    self.client.get(changelist(type(obj))).status_code, 200
                )
                add = reverse(f"admin:partnerships_{obj._meta.model_name}_add")
                self.assertEqual(self.client.get(add).status_code, 200)
                self.assertEqual(self.client.get(change_url(obj)).status_code, 200)

    def test_the_city_list_counts_agreements_on_either_side(self):
        response = self.client.get(changelist(City))
        rows = {city.pk: city for city in response.context["cl"].result_list}
        admin = response.context["cl"].model_admin
        self.assertEqual(admin.agreements(rows[self.partner.pk]), 1)
        self.assertEqual(admin.agreements(rows[self.home.pk]), 1)

    def test_sent_reminders_are_read_only(self):
        self.assertEqual(self.client.get(changelist(SentReminder)).status_code, 200)
        add = reverse("admin:partnerships_sentreminder_add")
        self.assertEqual(self.client.get(add).status_code, 403)


class SearchTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.voronezh = make_city(
            name="Voronezh", name_local="Воронеж", name_zh="沃罗涅日", name_ru="Воронеж"
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
        with mock.patch.object(PartnerFilter, "max_choices", 1):
            response = self.client.get(changelist(Visit), {"partner": self.other.pk})
        self.assertEqual(list(response.context["cl"].result_list), [self.other_visit])
        self.assertEqual(
            filter_spec(response, "partner").lookup_choices,
            [(str(self.other.pk), "Minsk")],
        )
        with mock.patch.object(PartnerFilter, "max_choices", 1):
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

    def test_at_most_ten_queries_listed_filtered_or_searched(self):
        for query in ({}, {"q": "Ivan Petrov"}, {"direction__exact": "inbound"}):
            with self.subTest(query=query):
                with CaptureQueriesContext(connection) as context:
                    response = self.client.get(changelist(Visit), query)
                self.assertEqual(response.status_code, 200)
                self.assertLessEqual(len(context.captured_queries), 10)
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

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL keeps row estimates"
    )
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

    @pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL keeps row estimates"
    )
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


class VisitFormTests(SuperuserTestCase):
    """Logging a visit on one page, and the checks that page makes."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.guest = make_person(name="Guest", city=cls.partner)
        cls.host = make_person(name="Host", city=cls.home)
        cls.url = reverse("admin:partnerships_visit_add")

    def post_data(self, members=(), activities=(), **fields):
        data = {
            "direction": Direction.INBOUND,
            "status": VisitStatus.COMPLETED,
            "partner_city": self.partner.pk,
            "home_party": self.home.pk,
            "start_date": "2019-05-14",
            "end_date": "2019-05-16",
            "date_precision": "day",
            "date_note": "",
            "title": "",
            "purpose": "Talks",
            "programme": "",
            "outcomes": "",
            "sectors": [Sector.objects.get(code="economy").pk],
            "public_summary": "",
            "internal_notes": "",
            "members-TOTAL_FORMS": len(members),
            "members-INITIAL_FORMS": 0,
            "members-MIN_NUM_FORMS": 0,
            "members-MAX_NUM_FORMS": 1000,
            "activities-TOTAL_FORMS": len(activities),
            "activities-INITIAL_FORMS": 0,
            "activities-MIN_NUM_FORMS": 0,
            "activities-MAX_NUM_FORMS": 1000,
        }
        for index, member in enumerate(members):
            for key, value in member.items():
                data[f"members-{index}-{key}"] = value
        for index, activity in enumerate(activities):
            for key, value in activity.items():
                data[f"activities-{index}-{key}"] = value
        for key, value in fields.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    def head(self, person=None, title="Chairman of the Voronezh City Duma"):
        return {
            "role": DelegationRole.HEAD,
            "person": person.pk if person else "",
            "title_at_time": title,
            "position": 0,
        }

    def errors_of(self, response):
        """All error texts shown on the page: the form's and the inlines'."""
        if response.status_code != 200:
            return f"status {response.status_code}"
        texts = [str(error) for error in response.context["errors"]]
        for inline in response.context["inline_admin_formsets"]:
            texts += [str(error) for error in inline.formset.non_form_errors()]
            texts += [str(error) for error in inline.formset.errors]
        return " ".join(texts)

    def test_a_complete_visit_is_saved_with_its_delegation_and_activities(self):
        member = {
            "role": DelegationRole.MEMBER,
            "person": "",
            "title_at_time": "Deputy Mayor",
            "position": 1,
        }
        activity = {"kind": "exhibition", "title": "Photo exhibition"}
        response = self.client.post(
            self.url,
            self.post_data(
                members=[self.head(self.guest), member], activities=[activity]
            ),
        )
        self.assertEqual(response.status_code, 302, self.errors_of(response))
        visit = Visit.objects.get()
        self.assertEqual(visit.members.count(), 2)
        self.assertEqual(visit.members.get(role=DelegationRole.HEAD).person, self.guest)
        self.assertEqual(visit.activities.get().title, "Photo exhibition")
        self.assertEqual(
            list(visit.sectors.values_list("code", flat=True)), ["economy"]
        )

    def test_an_activity_on_a_new_visit_is_still_checked(self):
        activity = {
            "kind": "exhibition",
            "title": "Photo exhibition",
            "start_date": "2019-05-15",
            "end_date": "2019-05-01",
        }
        data = self.post_data(members=[self.head()], activities=[activity])
        response = self.client.post(self.url, data)
        self.assertIn("cannot end before it starts", self.errors_of(response))
        self.assertFalse(Visit.objects.exists())

    def test_end_before_start_is_refused(self):
        data = self.post_data(
            members=[self.head()], start_date="2019-05-14", end_date="2019-05-01"
        )
        response = self.client.post(self.url, data)
        self.assertIn("cannot end before it starts", self.errors_of(response))
        self.assertFalse(Visit.objects.exists())

    def test_a_visit_without_a_head_is_refused(self):
        response = self.client.post(self.url, self.post_data())
        self.assertIn("Add the head of delegation", self.errors_of(response))
        # Said at the top of the page too, not only at the inline far below.
        top = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Add the head of delegation", top)
        self.assertFalse(Visit.objects.exists())

    def test_a_visit_whose_head_is_not_recorded_is_accepted_when_ticked(self):
        response = self.client.post(self.url, self.post_data(head_unrecorded="on"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Visit.objects.get().head_unrecorded)

    def test_a_head_and_the_unrecorded_box_contradict_each_other(self):
        data = self.post_data(members=[self.head()], head_unrecorded="on")
        response = self.client.post(self.url, data)
        self.assertIn("is ticked, but a head is listed", self.errors_of(response))

    def test_two_heads_are_refused(self):
        second = {**self.head(title="Mayor"), "position": 1}
        response = self.client.post(
            self.url, self.post_data(members=[self.head(), second])
        )
        self.assertIn("A delegation has one head", self.errors_of(response))

    def test_a_home_person_on_an_inbound_visit_is_refused(self):
        response = self.client.post(
            self.url, self.post_data(members=[self.head(self.host)])
        )
        self.assertIn("but this is an inbound visit", self.errors_of(response))
        self.assertFalse(Visit.objects.exists())

    def test_a_partner_person_on_an_outbound_visit_is_refused(self):
        data = self.post_data(
            members=[self.head(self.guest)], direction=Direction.OUTBOUND
        )
        response = self.client.post(self.url, data)
        self.assertIn("but this is an outbound visit", self.errors_of(response))

    def test_a_future_visit_marked_completed_is_refused(self):
        start = timezone.localdate() + datetime.timedelta(days=30)
        data = self.post_data(
            members=[self.head()], start_date=start.isoformat(), end_date=""
        )
        response = self.client.post(self.url, data)
        self.assertIn("cannot be marked as completed", self.errors_of(response))

    def test_the_home_and_partner_fields_must_be_on_their_sides(self):
        data = self.post_data(
            members=[self.head()], home_party=self.partner.pk, partner_city=self.home.pk
        )
        response = self.client.post(self.url, data)
        errors = self.errors_of(response)
        self.assertIn("is not the home municipality", errors)
        self.assertIn("is on the home side", errors)

    def test_the_add_page_proposes_the_home_municipality(self):
        response = self.client.get(self.url)
        self.assertEqual(
            response.context["adminform"].form.initial["home_party"], self.home.pk
        )


class ChangePageFactsTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(
            home_party=cls.home,
            partner=cls.partner,
            signed_on=datetime.date(1993, 10, 20),
        )
        cls.visit = make_visit(
            home_party=cls.home,
            partner_city=cls.partner,
            title="Duma visit",
            start_date=datetime.date(2019, 5, 14),
        )
        cls.institution = make_institution(
            name="Voronezh State University", city=cls.partner
        )
        cls.collaboration = make_collaboration(
            agreement=cls.agreement,
            participants=[cls.institution],
            title="University exchange",
        )

    def test_agreement_shows_visits_collaborations_and_derived_facts(self):
        response = self.client.get(change_url(self.agreement))
        self.assertContains(response, "Duma visit")
        self.assertContains(response, "University exchange")
        self.assertContains(response, "Years since signing")
        years = self.agreement.years_since_signing()
        self.assertContains(response, f"<td>{years}</td>", html=True)
        date, round_years = self.agreement.next_round_anniversary()
        self.assertContains(response, f"{round_years} years on {date.isoformat()}")
        self.assertContains(response, "2019-05-14")

    def test_city_shows_its_agreements(self):
        response = self.client.get(change_url(self.partner))
        self.assertContains(response, change_url(self.agreement))

    def test_institution_shows_its_collaborations(self):
        response = self.client.get(change_url(self.institution))
        self.assertContains(response, "University exchange")
        self.assertContains(response, change_url(self.collaboration))

    def test_changing_the_status_adds_a_step_to_its_history(self):
        agreement = self.agreement
        data = initial_data(
            self.client.get(change_url(agreement)), leave_out={"document", "sources"}
        )
        data.update(
            {
                "status": AgreementStatus.SUSPENDED,
                "status_changes-TOTAL_FORMS": 0,
                "status_changes-INITIAL_FORMS": 0,
                "signatories-TOTAL_FORMS": 0,
                "signatories-INITIAL_FORMS": 0,
            }
        )
        response = self.client.post(change_url(agreement), data)
        self.assertEqual(response.status_code, 302)
        step = agreement.status_changes.get()
        self.assertEqual(step.status, AgreementStatus.SUSPENDED)
        self.assertEqual(step.changed_on, timezone.localdate())


class AgreementRevertTests(SuperuserTestCase):
    def test_reverting_the_status_adds_a_step_to_its_history(self):
        agreement = make_agreement(status=AgreementStatus.ACTIVE)
        agreement.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=agreement.signed_on
        )
        first = agreement.history.earliest("history_date")
        agreement.status = AgreementStatus.ENDED
        agreement.ended_on = datetime.date(2020, 1, 1)
        agreement.save()
        agreement.status_changes.create(
            status=AgreementStatus.ENDED, changed_on=agreement.ended_on
        )
        revert = reverse(
            "admin:partnerships_agreement_simple_history",
            args=[agreement.pk, first.history_id],
        )
        data = initial_data(self.client.get(revert), leave_out={"document", "sources"})
        self.assertEqual(self.client.post(revert, data).status_code, 302)
        agreement.refresh_from_db()
        self.assertEqual(agreement.status, AgreementStatus.ACTIVE)
        latest = agreement.status_changes.order_by("-changed_on", "-pk").first()
        self.assertEqual(latest.status, AgreementStatus.ACTIVE)
        self.assertEqual(latest.changed_on, timezone.localdate())

    def test_reverting_without_a_status_change_adds_no_step(self):
        agreement = make_agreement(status=AgreementStatus.ACTIVE, signed_place="")
        agreement.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=agreement.signed_on
        )
        first = agreement.history.earliest("history_date")
        agreement.signed_place = "Voronezh"
        agreement.save()
        revert = reverse(
            "admin:partnerships_agreement_simple_history",
            args=[agreement.pk, first.history_id],
        )
        data = initial_data(self.client.get(revert), leave_out={"document", "sources"})
        self.assertEqual(self.client.post(revert, data).status_code, 302)
        self.assertEqual(agreement.status_changes.count(), 1)


class SafeDeletionTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(home_party=cls.home, partner=cls.partner)
        cls.lonely = make_city(name="Nowhere")

    def test_deleting_a_city_others_depend_on_is_refused_with_their_names(self):
        url = reverse("admin:partnerships_city_delete", args=[self.partner.pk])
        response = self.client.post(url, {"post": "yes"}, follow=True)
        self.assertTrue(City.objects.filter(pk=self.partner.pk).exists())
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Nothing was deleted", text)
        self.assertIn(str(self.agreement), text)

    def test_delete_selected_refuses_and_names_what_depends(self):
        response = self.client.post(
            changelist(City),
            {
                "action": "delete_selected",
                "_selected_action": [self.partner.pk, self.lonely.pk],
                "post": "yes",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            City.objects.filter(name__in=["Voronezh", "Nowhere"]).count(), 2
        )
        self.assertContains(response, "Nothing was deleted")
        self.assertContains(response, str(self.agreement))

    def test_an_agreement_with_collaborations_cannot_be_deleted(self):
        collaboration = make_collaboration(agreement=self.agreement, title="Trade")
        url = reverse("admin:partnerships_agreement_delete", args=[self.agreement.pk])
        response = self.client.post(url, {"post": "yes"})
        self.assertContains(response, "Trade")
        self.assertTrue(Agreement.objects.filter(pk=self.agreement.pk).exists())
        self.assertTrue(collaboration.pk)

    def test_a_city_nothing_depends_on_is_deleted(self):
        url = reverse("admin:partnerships_city_delete", args=[self.lonely.pk])
        response = self.client.post(url, {"post": "yes"})
        self.assertEqual(response.status_code, 302)
        self.assertFalse(City.objects.filter(pk=self.lonely.pk).exists())


class MarkCompletedActionTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.past = make_visit(status=VisitStatus.PLANNED, title="Past")
        cls.future = make_visit(
            status=VisitStatus.PLANNED,
            title="Future",
            start_date=timezone.localdate() + datetime.timedelta(days=10),
        )

    def test_past_visits_are_completed_and_future_ones_refused(self):
        response = self.client.post(
            changelist(Visit),
            {
                "action": "mark_completed",
                "_selected_action": [self.past.pk, self.future.pk],
            },
            follow=True,
        )
        self.past.refresh_from_db()
        self.future.refresh_from_db()
        self.assertEqual(self.past.status, VisitStatus.COMPLETED)
        self.assertEqual(self.future.status, VisitStatus.PLANNED)
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Marked 1 visit as completed", text)
        self.assertIn("start in the future", text)
        self.assertIn("Future", text)


class HistoryTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()

    def test_a_malformed_version_address_is_not_found(self):
        url = reverse("admin:partnerships_person_simple_history", args=["x", "1"])
        self.assertEqual(self.client.post(url, {}).status_code, 404)

    def test_a_malformed_version_id_is_not_found(self):
        visit = make_visit(home_party=self.home)
        city = make_city(name="Voronezh")
        for obj in (visit, city):
            name = obj._meta.model_name
            for version in ("abc", "x", "²", "9" * 19, "1.5"):
                url = reverse(
                    f"admin:partnerships_{name}_simple_history",
                    args=[obj.pk, version],
                )
                with self.subTest(url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, {}).status_code, 404)
        url = reverse("admin:partnerships_city_simple_history", args=["9" * 19, "1"])
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_history_page_shows_who_changed_what(self):
        city = make_city(name="Voronezh", region="")
        data = initial_data(
            self.client.get(change_url(city)), leave_out={"photo", "sources"}
        )
        data["region"] = "Voronezh Oblast"
        response = self.client.post(change_url(city), data)
        self.assertEqual(response.status_code, 302)
        latest = city.history.latest("history_date")
        self.assertEqual(latest.history_user, self.superuser)
        history = reverse("admin:partnerships_city_history", args=[city.pk])
        response = self.client.get(history)
        self.assertContains(response, "boss")
        self.assertContains(response, "Voronezh Oblast")

    def test_a_deleted_record_is_restored_from_its_history(self):
        person = make_person(name="Ivanov", current_title="Deputy Mayor")
        pk = person.pk
        url = reverse("admin:partnerships_person_delete", args=[pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 302)
        self.assertFalse(Person.objects.filter(pk=pk).exists())
        version = Person.history.filter(id=pk, history_type="+").get()
        history = reverse("admin:partnerships_person_history", args=[pk])
        self.assertContains(self.client.get(history), "Ivanov")
        revert = reverse(
            "admin:partnerships_person_simple_history",
            args=[pk, version.history_id],
        )
        data = initial_data(self.client.get(revert))
        response = self.client.post(revert, data)
        self.assertEqual(response.status_code, 302)
        restored = Person.objects.get(pk=pk)
        self.assertEqual(restored.current_title, "Deputy Mayor")


class LanguageSwitchTests(SuperuserTestCase):
    def test_every_admin_page_offers_the_three_languages(self):
        response = self.client.get(changelist(Visit))
        self.assertContains(response, f'action="{reverse("set_language")}"')
        for code in ("en", "zh-hans", "ru"):
            self.assertContains(response, f'<option value="{code}"')

    def test_the_admin_speaks_chinese_at_its_chinese_address(self):
        response = self.client.get("/zh-hans/admin/")
        self.assertContains(response, '<option value="zh-hans" selected>')
        self.assertContains(response, "最近动作")


class RestoreWithChildRowsTests(SuperuserTestCase):
    """Restoring a deleted record brings back the rows deleted along with it."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")

    def delete_and_restore(self, obj, **changes):
        name = obj._meta.model_name
        pk = obj.pk
        url = reverse(f"admin:partnerships_{name}_delete", args=[pk])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 302)
        self.assertFalse(type(obj).objects.filter(pk=pk).exists())
        version = type(obj).history.filter(id=pk, history_type="+").get()
        revert = reverse(
            f"admin:partnerships_{name}_simple_history", args=[pk, version.history_id]
        )
        data = initial_data(self.client.get(revert), leave_out={"document", "photo"})
        data.update(changes)
        return self.client.post(revert, data, follow=True)

    def test_a_restored_visit_gets_its_delegation_back(self):
        head = make_person(name="Ivanov")
        visit = make_visit(
            home_party=self.home,
            partner_city=self.partner,
            members=[{"person": head, "role": DelegationRole.HEAD}],
        )
        DelegationMember.objects.create(
            visit=visit, title_at_time="Interpreter", role=DelegationRole.MEMBER
        )
        # A member removed before the deletion stays removed.
        gone = DelegationMember.objects.create(
            visit=visit, title_at_time="Driver", role=DelegationRole.MEMBER
        )
        gone.delete()
        visit.save()
        self.delete_and_restore(visit)
        restored = Visit.objects.get(pk=visit.pk)
        self.assertEqual(
            sorted(restored.members.values_list("title_at_time", "role")),
            [("", DelegationRole.HEAD), ("Interpreter", DelegationRole.MEMBER)],
        )
        self.assertEqual(restored.members.get(role=DelegationRole.HEAD).person, head)

    def test_a_visit_whose_head_cannot_come_back_is_not_restored(self):
        head = make_person(name="Ivanov")
        visit = make_visit(
            home_party=self.home,
            partner_city=self.partner,
            members=[{"person": head, "role": DelegationRole.HEAD}],
        )
        pk = visit.pk
        url = reverse("admin:partnerships_visit_delete", args=[pk])
        self.client.post(url, {"post": "yes"})
        head.delete()
        version = Visit.history.filter(id=pk, history_type="+").get()
        revert = reverse(
            "admin:partnerships_visit_simple_history", args=[pk, version.history_id]
        )
        data = initial_data(self.client.get(revert))
        response = self.client.post(revert, data, follow=True)
        self.assertFalse(Visit.objects.filter(pk=pk).exists())
        self.assertFalse(DelegationMember.objects.filter(visit_id=pk).exists())
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Not restored", text)
        self.assertIn("was deleted since", text)

    def test_a_restore_that_breaks_the_head_rule_is_refused(self):
        visit = make_visit(home_party=self.home, partner_city=self.partner)
        make_head(visit)
        response = self.delete_and_restore(visit, head_unrecorded="on")
        self.assertFalse(Visit.objects.filter(pk=visit.pk).exists())
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Not restored", text)
        self.assertIn("a head is listed", text)

    def test_an_agreement_gets_its_status_history_and_signatories_back(self):
        agreement = make_agreement(home_party=self.home, partner=self.partner)
        agreement.status_changes.create(
            status=AgreementStatus.ACTIVE, changed_on=agreement.signed_on
        )
        mayor = make_person(name="Mayor")
        agreement.signatories.create(side="home", person=mayor)
        self.delete_and_restore(agreement)
        restored = Agreement.objects.get(pk=agreement.pk)
        self.assertEqual(
            list(restored.status_changes.values_list("status", flat=True)),
            [AgreementStatus.ACTIVE],
        )
        self.assertEqual(restored.signatories.get().person, mayor)

    def test_an_institution_gets_its_aliases_back(self):
        institution = make_institution(
            city=self.partner, aliases=["VSU", "Voronezh State University"]
        )
        self.delete_and_restore(institution)
        self.assertEqual(
            sorted(
                Institution.objects.get(pk=institution.pk).aliases.values_list(
                    "name", flat=True
                )
            ),
            ["VSU", "Voronezh State University"],
        )


def change_form_data(response):
    """The POST data that saves a change page as it stands, inlines included."""

    def values(form, prefix=None):
        data = {}
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False or name in {"document", "photo"}:
                continue
            data[key] = "on" if value is True else value
        return data

    data = values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update(
            {
                management.add_prefix(name): management[name].value()
                for name in management.fields
            }
        )
        for form in formset.initial_forms:
            data.update(values(form))
        data[management.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    return data


class ClerkChangesArePublishedByAPublisherTests(TestCase):
    """A change by someone who may not publish takes a published record offline."""

    @classmethod
    def setUpTestData(cls):
        from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles

        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        cls.home = make_home()
        cls.visit = make_visit(home_party=cls.home, public_summary="Talks.")
        make_head(cls.visit)
        cls.institution = make_institution(aliases=["VSU"])

    def save(self, user, obj, **changes):
        self.client.force_login(user)
        response = self.client.get(change_url(obj))
        data = change_form_data(response)
        data.update(changes)
        response = self.client.post(change_url(obj), data, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("adminform", response.context or {})
        obj.refresh_from_db()
        return " ".join(str(m) for m in response.context["messages"])

    def test_a_clerks_change_to_public_content_waits_for_a_publisher(self):
        text = self.save(self.clerk, self.visit, public_summary="Talks on trade.")
        self.assertFalse(self.visit.published)
        self.assertEqual(self.visit.public_summary, "Talks on trade.")
        self.assertIn("Unpublished until a Publisher reviews it", text)
        self.client.force_login(self.publisher)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Awaiting a Publisher")
        self.assertContains(response, f'href="{change_url(self.visit)}"')

    def test_the_change_page_tells_a_clerk_before_saving(self):
        notice = "it comes off the site until a Publisher publishes it again"
        self.client.force_login(self.clerk)
        self.assertContains(self.client.get(change_url(self.visit)), notice)
        self.client.force_login(self.publisher)
        self.assertNotContains(self.client.get(change_url(self.visit)), notice)

    def test_a_clerks_new_alias_of_a_published_institution_waits_too(self):
        self.client.force_login(self.clerk)
        response = self.client.get(change_url(self.institution))
        data = change_form_data(response)
        data["aliases-TOTAL_FORMS"] = 2
        data["aliases-1-name"] = "Voronezh University"
        self.client.post(change_url(self.institution), data)
        self.institution.refresh_from_db()
        self.assertFalse(self.institution.published)
        self.assertEqual(self.institution.aliases.count(), 2)

    def test_internal_notes_alone_keep_the_record_published(self):
        self.save(self.clerk, self.visit, internal_notes="Ask about the gift.")
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_a_publishers_change_stays_published(self):
        self.save(self.publisher, self.visit, public_summary="Talks on trade.")
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_publishing_again_clears_the_waiting_list(self):
        self.save(self.clerk, self.visit, public_summary="Talks on trade.")
        self.save(self.clerk, self.visit, public_summary="Talks on trade and ports.")
        self.assertEqual(
            [item["record"] for item in dashboard.awaiting_publication()],
            [self.visit],
        )
        self.client.force_login(self.publisher)
        self.client.post(
            changelist(Visit),
            {"action": "publish_selected", "_selected_action": [self.visit.pk]},
        )
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_a_clerks_revert_of_a_published_record_waits_too(self):
        first = self.visit.history.earliest("history_date")
        self.visit.public_summary = "Later text."
        self.visit.save()
        self.client.force_login(self.clerk)
        revert = reverse(
            "admin:partnerships_visit_simple_history",
            args=[self.visit.pk, first.history_id],
        )
        data = initial_data(self.client.get(revert))
        self.assertEqual(self.client.post(revert, data).status_code, 302)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary, "Talks.")
        self.assertFalse(self.visit.published)
