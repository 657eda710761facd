"""`manage.py bootstrap`, which `make run` calls on every start."""

import io
import re
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase

from partnerships.models import Agreement, City, SiteSettings, Visit
from tests.factories import make_city


def bootstrap(*args):
    out = io.StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


class BootstrapTests(TestCase):
    def test_empty_database_gets_the_seed_and_an_administrator(self):
        output = bootstrap()
        self.assertIn("Loaded the seed data", output)
        self.assertTrue(City.objects.filter(slug="voronezh").exists())
        self.assertEqual(Agreement.objects.count(), 1)
        self.assertEqual(Visit.objects.count(), 2)
        password = re.search(r"password: (\S+)", output).group(1)
        self.assertGreaterEqual(len(password), 12)
        user = get_user_model().objects.get(username="admin")
        self.assertTrue(user.check_password(password))
        self.assertTrue(user.is_superuser)

    def test_the_sign_in_address_is_where_the_site_is_served(self):
        self.assertIn("http://127.0.0.1:8000/admin/", bootstrap())
        get_user_model().objects.all().delete()
        output = bootstrap("--address", "127.0.0.1:8020")
        self.assertIn("sign in at http://127.0.0.1:8020/admin/", output)

    def test_second_run_changes_nothing_and_prints_no_password(self):
        bootstrap()
        output = bootstrap()
        self.assertIn("not loaded again", output)
        self.assertNotIn("password", output)
        self.assertEqual(get_user_model().objects.count(), 1)
        self.assertEqual(Visit.objects.count(), 2)

    def test_passwords_differ_between_installations(self):
        first = re.search(r"password: (\S+)", bootstrap()).group(1)
        get_user_model().objects.all().delete()
        second = re.search(r"password: (\S+)", bootstrap()).group(1)
        self.assertNotEqual(first, second)

    def test_existing_records_are_left_alone(self):
        make_city(name="Toulouse", country="FR")
        bootstrap()
        self.assertFalse(City.objects.filter(slug="voronezh").exists())


class SiteSettingsSeedTests(TestCase):
    """The office's settings name it as the source article signs, no more."""

    def test_the_names_and_nothing_invented(self):
        output = bootstrap()
        self.assertIn("Saved the office's site settings", output)
        settings = SiteSettings.objects.get()
        article = (
            Path(django_settings.BASE_DIR)
            / "fixtures/sources/chongqing-voronezh-article.txt"
        ).read_text(encoding="utf-8")
        self.assertIn(f"Source: {settings.office_name_en}", article)
        self.assertEqual(
            settings.office_name_en,
            "Foreign Affairs Office of Chongqing Municipal People's Government",
        )
        self.assertEqual(settings.office_name_zh_hans, "重庆市人民政府外事办公室")
        self.assertEqual(
            (settings.home_city_name_en, settings.home_city_name_zh_hans),
            (City.objects.get(role="home").name_en, "重庆"),
        )
        # No address, telephone, e-mail, website, hours or emblem: the article
        # gives none.
        for field in (
            "office_name_ru",
            "home_city_name_ru",
            "address_en",
            "telephone",
            "email",
            "website",
            "opening_hours_en",
            "emblem",
        ):
            self.assertFalse(getattr(settings, field), field)

    def test_saved_settings_are_left_alone(self):
        SiteSettings.objects.create(office_name_en="Renamed office")
        output = bootstrap()
        self.assertNotIn("Saved the office's site settings", output)
        self.assertEqual(SiteSettings.objects.get().office_name_en, "Renamed office")
