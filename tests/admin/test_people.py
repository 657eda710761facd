"""People in the admin: a person is one record, whatever script names them."""

from django.urls import reverse

from partnerships.models import Person
from tests.admin.helpers import SuperuserTestCase
from tests.factories import make_city, make_person


class NamesakeWarningTests(SuperuserTestCase):
    """Adding a person someone of the city already is shows them first."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.voronezh = make_city(name="Voronezh")
        cls.petrov = make_person(
            name="Sergei Petrov",
            name_zh_hans="谢尔盖·彼得罗夫",
            city=cls.voronezh,
            current_title="Deputy Mayor",
        )

    def post(self, **fields):
        data = {
            "name_en": "",
            "name_zh_hans": "",
            "name_ru": "",
            "name_local": "",
            "city": self.voronezh.pk,
            "current_title_en": "",
            "notes": "",
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
            },
        )
        self.assertEqual(response.status_code, 302)
