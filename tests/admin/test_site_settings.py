"""The site settings in the admin: Administrators edit the one row."""

import shutil
import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from partnerships.accounts.roles import (
    ADMINISTRATOR,
    CLERK,
    OFFICIAL,
    PUBLISHER,
    setup_roles,
)
from partnerships.models import SiteSettings
from tests.factories import make_site_settings, make_user
from tests.models.test_uploads import EXECUTABLE, png_bytes

LIST = reverse("admin:partnerships_sitesettings_changelist")
ADD = reverse("admin:partnerships_sitesettings_add")
CHANGE = reverse("admin:partnerships_sitesettings_change", args=[1])
MEDIA = tempfile.mkdtemp(prefix="site-settings-admin-")


def form_data(**changes):
    data = {
        "office_name_en": "Foreign Affairs Office of Chongqing Municipal People's "
        "Government",
        "office_name_zh_hans": "重庆市人民政府外事办公室",
        "office_name_ru": "",
        "home_city_name_en": "Chongqing",
        "home_city_name_zh_hans": "重庆",
        "home_city_name_ru": "Чунцин",
        "address_en": "",
        "address_zh_hans": "",
        "address_ru": "",
        "telephone": "",
        "email": "",
        "website": "",
        "opening_hours_en": "",
        "opening_hours_zh_hans": "",
        "opening_hours_ru": "",
    }
    data.update(changes)
    return data


@override_settings(MEDIA_ROOT=MEDIA)
class SiteSettingsAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.administrator = make_user("administrator", groups=[ADMINISTRATOR])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def setUp(self):
        self.client.force_login(self.administrator)

    def test_the_list_is_the_one_row_or_the_form_that_makes_it(self):
        self.assertRedirects(self.client.get(LIST), ADD)
        response = self.client.post(ADD, form_data())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(SiteSettings.objects.get().home_city_name_ru, "Чунцин")
        self.assertRedirects(self.client.get(LIST), CHANGE)
        # A second one cannot be added.
        self.assertEqual(self.client.get(ADD).status_code, 403)

    def test_an_administrator_edits_it_and_the_site_shows_it(self):
        make_site_settings()
        response = self.client.post(
            CHANGE,
            form_data(
                address_en="36 Renmin Road\nYuzhong District",
                telephone="+86 23 6000 0000",
                email="office@example.org",
                website="https://fao.example.org/",
                opening_hours_en="Monday to Friday",
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.client.logout()
        page = self.client.get("/partners/")
        for text in (
            "36 Renmin Road\nYuzhong District",
            'href="tel:+862360000000"',
            'href="mailto:office@example.org"',
            "https://fao.example.org/",
            "Monday to Friday",
        ):
            self.assertContains(page, text)

    def test_nothing_deletes_it(self):
        make_site_settings()
        url = reverse("admin:partnerships_sitesettings_delete", args=[1])
        self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
        self.assertTrue(SiteSettings.objects.exists())

    def test_the_emblem_is_a_checked_image(self):
        make_site_settings()
        bad = SimpleUploadedFile("emblem.png", EXECUTABLE, content_type="image/png")
        response = self.client.post(CHANGE, {**form_data(), "emblem": bad})
        self.assertEqual(response.status_code, 200)
        self.assertIn("emblem", response.context["adminform"].form.errors)
        good = SimpleUploadedFile("emblem.png", png_bytes((60, 60)))
        response = self.client.post(CHANGE, {**form_data(), "emblem": good})
        self.assertEqual(response.status_code, 302)
        settings = SiteSettings.objects.get()
        self.assertRegex(settings.emblem.name, r"^site/[0-9a-f]{32}\.png$")
        # Shown on every page, served to anyone.
        self.client.logout()
        page = self.client.get("/partners/").content.decode()
        self.assertIn('class="site-emblem" src="/files/site/emblem?v=', page)
        self.assertIn('width="60" height="60"', page)
        emblem = self.client.get("/files/site/emblem")
        self.assertEqual(emblem["Content-Type"], "image/png")
        self.assertEqual(b"".join(emblem.streaming_content), png_bytes((60, 60)))

    def test_only_administrators_change_it(self):
        make_site_settings()
        for role in (CLERK, OFFICIAL, PUBLISHER):
            with self.subTest(role=role):
                self.client.force_login(make_user(role.lower(), groups=[role]))
                response = self.client.post(CHANGE, form_data(telephone="+1 555 0100"))
                self.assertEqual(response.status_code, 403)
        self.assertEqual(SiteSettings.objects.get().telephone, "")


class NoEmblemTests(TestCase):
    def test_no_emblem_answers_404(self):
        self.assertEqual(self.client.get("/files/site/emblem").status_code, 404)
        make_site_settings()
        self.assertEqual(self.client.get("/files/site/emblem").status_code, 404)
