"""People in the admin: a person is one record, whatever script names them."""

import datetime

from django.urls import reverse

from partnerships.models import Person
from tests.admin.helpers import SuperuserTestCase, change_form_data, change_url
from tests.factories import make_city, make_institution, make_person


def make_petrov(city, **fields):
    """Sergei Petrov of ``city``, known in Chinese as 谢尔盖·彼得罗夫."""
    return make_person(
        name="Sergei Petrov", name_zh_hans="谢尔盖·彼得罗夫", city=city, **fields
    )


def inline_management(*prefixes):
    """The management forms of empty inlines."""
    data = {}
    for prefix in prefixes:
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


class NamesakeWarningTests(SuperuserTestCase):
    """Adding a person someone of the city already is shows them first."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.voronezh = make_city(name="Voronezh")
        cls.petrov = make_petrov(cls.voronezh, current_title="Deputy Mayor")

    def post(self, **fields):
        data = {
            "name_en": "",
            "name_zh_hans": "",
            "name_ru": "",
            "name_local": "",
            "city": self.voronezh.pk,
            "current_title_en": "",
            "notes": "",
            **inline_management("aliases", "positions"),
            **fields,
        }
        return self.client.post(reverse("admin:partnerships_person_add"), data)

    def test_a_namesake_in_any_script_is_shown_with_a_link(self):
        for fields in (
            {"name_en": "Sergei Petrov", "current_title_en": "Deputy Mayor"},
            {"name_en": "S. Petrov", "name_zh_hans": "谢尔盖 彼得罗夫"},
        ):
            with self.subTest(fields=fields):
                response = self.post(**fields)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, "already goes by one of these names")
                self.assertContains(
                    response,
                    reverse("admin:partnerships_person_change", args=[self.petrov.pk]),
                )
        self.assertEqual(Person.objects.count(), 1)

    def test_ticking_a_different_person_saves(self):
        response = self.post(name_en="Sergei Petrov", different_person="on")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Person.objects.count(), 2)

    def test_another_city_or_name_is_no_namesake(self):
        response = self.post(name_en="Sergei Petrov", city="")
        self.assertEqual(response.status_code, 302)
        response = self.post(name_en="Ivan Sidorov")
        self.assertEqual(response.status_code, 302)

    def test_editing_the_person_is_not_a_namesake_of_itself(self):
        url = reverse("admin:partnerships_person_change", args=[self.petrov.pk])
        response = self.client.post(
            url,
            {
                "name_en": "Sergei Petrov",
                "name_zh_hans": "谢尔盖·彼得罗夫",
                "name_ru": "",
                "name_local": "",
                "city": self.voronezh.pk,
                "current_title_en": "Mayor",
                "notes": "",
                **inline_management("aliases", "positions"),
            },
        )
        self.assertEqual(response.status_code, 302)


class FoundByAnyNameTests(SuperuserTestCase):
    """The admin's search and autocomplete find a person by any name they go by."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.voronezh = make_city(name="Voronezh")
        cls.petrov = make_petrov(cls.voronezh, aliases=["Serguei Petrov"])
        make_person(name="Ivan Sidorov", city=cls.voronezh)

    def autocomplete(self, term):
        response = self.client.get(
            reverse("admin:autocomplete"),
            {
                "term": term,
                "app_label": "partnerships",
                "model_name": "delegationmember",
                "field_name": "person",
            },
        )
        self.assertEqual(response.status_code, 200)
        return [int(result["id"]) for result in response.json()["results"]]

    def test_without_spaces_or_punctuation_and_by_other_spellings(self):
        for term in ("谢尔盖彼得罗夫", "谢尔盖·彼得罗夫", "Serguei", "serguei petrov"):
            with self.subTest(term=term):
                self.assertEqual(self.autocomplete(term), [self.petrov.pk])
                response = self.client.get(
                    reverse("admin:partnerships_person_changelist"), {"q": term}
                )
                self.assertEqual(
                    list(response.context["cl"].result_list), [self.petrov]
                )

    def test_an_other_spelling_saved_in_the_form_finds_the_person(self):
        url = reverse("admin:partnerships_person_change", args=[self.petrov.pk])
        data = change_form_data(self.client.get(url))
        data.update(
            {
                "aliases-TOTAL_FORMS": 2,
                "aliases-1-name": "Sergey Petrov",
                "aliases-1-person": self.petrov.pk,
            }
        )
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.autocomplete("Sergey"), [self.petrov.pk])
        self.assertEqual(list(Person.objects.named("SERGEY-PETROV")), [self.petrov])


class PositionsFormTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.person = make_person(name="Anna Ivanova")

    def post_position(self, title, start, end):
        url = reverse("admin:partnerships_person_change", args=[self.person.pk])
        data = change_form_data(self.client.get(url))
        data.update(
            {
                "positions-TOTAL_FORMS": 1,
                "positions-0-title_en": title,
                "positions-0-start": start,
                "positions-0-end": end,
                "positions-0-person": self.person.pk,
            }
        )
        return self.client.post(url, data)

    def test_positions_are_typed_as_precisely_as_known(self):
        response = self.post_position("Deputy Mayor of Voronezh", "2019年", "2023-06")
        self.assertEqual(response.status_code, 302)
        position = self.person.positions.get()
        self.assertEqual(
            (position.start_precision, position.end_date, position.end_precision),
            ("year", datetime.date(2023, 6, 1), "month"),
        )
        self.assertEqual(position.when(), "2019 – June 2023")

    def test_an_end_before_the_start_is_refused(self):
        response = self.post_position("Mayor", "2023", "2019")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "The post cannot end before it began.")
        self.assertFalse(self.person.positions.exists())


class InstitutionNamesakeTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.voronezh = make_city(name="Voronezh")
        cls.vsu = make_institution(
            name="Voronezh State University",
            city=cls.voronezh,
            aliases=["ВГУ"],
        )

    def test_an_institution_going_by_a_recorded_name_is_shown_first(self):
        data = {
            "name_en": "VSU",
            "name_local": "вгу",
            "kind": "university",
            "city": self.voronezh.pk,
            **inline_management("aliases"),
        }
        url = reverse("admin:partnerships_institution_add")
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "already goes by one of these names")
        self.assertContains(response, change_url(self.vsu))
        response = self.client.post(url, {**data, "different_institution": "on"})
        self.assertEqual(response.status_code, 302)
