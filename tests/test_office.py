"""The office's name, read from the site settings, the setting filling in."""

import datetime
import io

import openpyxl
from django.test import TestCase, override_settings
from django.utils import translation

from partnerships import office
from partnerships.models import City, SiteSettings
from partnerships.spreadsheets.printing import footer
from partnerships.spreadsheets.reports import ReportFilter, build_report
from tests.factories import make_home, make_site_settings

SETTING = {
    "en": "Office of the Setting",
    "zh-hans": "设置办公室",
    "ru": "Канцелярия из настроек",
}


@override_settings(PARTNERSHIPS_OFFICE_NAME=SETTING)
class OfficeNameTests(TestCase):
    def test_without_site_settings_the_setting_names_the_office(self):
        self.assertEqual(office.office_name("en"), "Office of the Setting")
        self.assertEqual(office.office_name("zh-hans"), "设置办公室")
        self.assertEqual(office.home_city_name("en"), "")
        self.assertIsNone(office.identity().settings)

    def test_the_site_settings_name_the_office(self):
        make_site_settings(
            office_name_en="Saved Office",
            office_name_zh_hans="保存的办公室",
            office_name_ru="",
        )
        self.assertEqual(office.office_name("en"), "Saved Office")
        self.assertEqual(office.office_name("zh-hans"), "保存的办公室")
        # A language the settings leave empty: the setting's name in it.
        self.assertEqual(office.office_name("ru"), "Канцелярия из настроек")
        self.assertEqual(
            office.office_names("zh-hans"),
            ["保存的办公室", "Saved Office", "Канцелярия из настроек"],
        )
        self.assertEqual(office.home_city_name("zh-hans"), "重庆")
        # The home city has no Russian name: as written in English.
        self.assertEqual(office.home_city_name("ru"), "Chongqing")

    @override_settings(PARTNERSHIPS_OFFICE_NAME={"en": "Office of the Setting"})
    def test_a_language_named_nowhere_is_named_in_english(self):
        make_site_settings(office_name_en="Saved Office", office_name_zh_hans="")
        self.assertEqual(office.office_name("zh-hans"), "Saved Office")
        self.assertEqual(office.office_names("en"), ["Saved Office"])

    def test_the_active_language_by_default(self):
        make_site_settings(office_name_en="Saved Office", office_name_zh_hans="保存")
        with translation.override("zh-hans"):
            self.assertEqual(office.office_name(), "保存")
            self.assertEqual(office.identity().name, "保存")

    def test_read_once_reads_the_row_once(self):
        make_site_settings()
        with self.assertNumQueries(1), office.read_once():
            for language in ("en", "zh-hans", "ru"):
                office.office_name(language)
                office.office_names(language)
        with self.assertNumQueries(2):
            office.office_name("en")
            office.office_name("ru")

    def test_the_identity_names_the_office_once_in_each_other_language(self):
        make_site_settings(office_name_ru="")
        identity = office.identity("en")
        self.assertEqual(
            identity.other_names,
            [("zh-hans", "重庆市人民政府外事办公室"), ("ru", "Канцелярия из настроек")],
        )
        self.assertFalse(identity.has_contacts)
        make_site_settings(telephone="+86 23 6000 0000")
        self.assertTrue(office.identity("en").has_contacts)


@override_settings(PARTNERSHIPS_OFFICE_NAME=SETTING)
class ReportTests(TestCase):
    """The period report names the office as the site settings say."""

    def report(self, language):
        first, last = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
        out = build_report(ReportFilter(first, last, language=language))
        return openpyxl.load_workbook(io.BytesIO(out.getvalue()))

    def test_cover_and_footers(self):
        make_site_settings(office_name_en="Saved Office", office_name_zh_hans="保存")
        book = self.report("zh-hans")
        self.assertEqual(book.worksheets[0]["A1"].value, "保存")
        for sheet in book.worksheets:
            self.assertEqual(sheet.oddFooter.left.text, "保存")
        self.assertIn("Saved Office", footer("en"))

    def test_without_site_settings(self):
        book = self.report("en")
        self.assertEqual(book.worksheets[0]["A1"].value, "Office of the Setting")


class HomeCityNameTests(TestCase):
    def test_a_language_the_settings_leave_empty_reads_the_home_city_record(self):
        make_home(name="Chongqing", name_ru="Чунцин")
        SiteSettings.objects.create(
            home_city_name_en="Chongqing", home_city_name_zh_hans="重庆"
        )
        self.assertEqual(office.home_city_name("zh-hans"), "重庆")
        self.assertEqual(office.home_city_name("ru"), "Чунцин")
        # Neither names it in a language: the settings' own name stays.
        City.objects.filter(role="home").update(name_ru="")
        self.assertEqual(office.home_city_name("ru"), "Chongqing")
        self.assertEqual(office.home_city_name("de"), "Chongqing")
