"""A column per language for each translated text, in and out of every list."""

import datetime

from django.test import TestCase
from django.utils import translation

from partnerships.models import Activity, City, Visit
from partnerships.spreadsheets import exports
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import (
    ActivityResource,
    CityResource,
    CollaborationResource,
    VisitResource,
)
from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_home,
    make_user,
    make_visit,
)


def dataset(text):
    return read_table(text.encode("utf-8"), "list.csv")


def exported(resource):
    headers, rows = exports.export_rows(resource)
    return [dict(zip(headers, row, strict=True)) for row in rows]


class LanguageColumnsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = make_user("clerk", is_superuser=True)
        cls.home = make_home()
        cls.voronezh = make_city(
            name="Voronezh", name_zh_hans="沃罗涅日", name_ru="Воронеж"
        )
        cls.visit = make_visit(
            home_party=cls.home,
            partner_city=cls.voronezh,
            title="Trade talks",
            title_zh_hans="贸易会谈",
            public_summary="Talks on trade.",
            public_summary_ru="Переговоры о торговле.",
            start_date=datetime.date(2019, 5, 14),
        )

    def import_visits(self, text):
        result = VisitResource(user=self.clerk).import_data(
            dataset(text), user=self.clerk
        )
        self.assertFalse(result.has_validation_errors(), result.invalid_rows)
        self.assertFalse(result.has_errors())
        return result

    def test_every_translated_text_has_a_column_per_language(self):
        for resource in (VisitResource(), CityResource(), CollaborationResource()):
            headers = [str(f.column_name) for f in resource.get_export_fields()]
            with self.subTest(type(resource).__name__):
                self.assertIn("Title" if "Title" in headers else "Name", headers)
        headers = [str(f.column_name) for f in VisitResource().get_export_fields()]
        for text in ("Title", "Purpose", "Public summary", "About the dates"):
            with self.subTest(text):
                self.assertIn(text, headers)
                self.assertIn(f"{text} (Chinese)", headers)
                self.assertIn(f"{text} (Russian)", headers)

    def test_each_language_is_exported_in_its_own_column(self):
        (row,) = exported(VisitResource())
        self.assertEqual(row["Title"], "Trade talks")
        self.assertEqual(row["Title (Chinese)"], "贸易会谈")
        self.assertEqual(row["Title (Russian)"], "")
        self.assertEqual(row["Public summary (Russian)"], "Переговоры о торговле.")
        # A related record is named in the reader's language.
        self.assertEqual(row["Partner city"], "Voronezh")
        with translation.override("zh-hans"):
            (row,) = exported(VisitResource())
        self.assertEqual(row["伙伴城市"], "沃罗涅日")
        self.assertEqual(row["标题 (中文)"], "贸易会谈")

    def test_a_file_with_english_columns_only_leaves_the_other_languages(self):
        self.import_visits(
            "Direction,Home party,Partner city,Partner country,Title,Start date,"
            "Public summary\n"
            "inbound,Chongqing,Voronezh,Russia,Trade talks,2019-05-14,"
            "Talks on trade and ports.\n"
        )
        visit = Visit.objects.get(pk=self.visit.pk)
        self.assertEqual(visit.public_summary_en, "Talks on trade and ports.")
        self.assertEqual(visit.public_summary_ru, "Переговоры о торговле.")
        self.assertEqual(visit.title_zh_hans, "贸易会谈")

    def test_a_translation_column_writes_that_language(self):
        self.import_visits(
            "Direction,Home party,Partner city,Partner country,Title,Start date,"
            "Public summary (Chinese)\n"
            "inbound,Chongqing,Voronezh,Russia,Trade talks,2019-05-14,贸易港口会谈。\n"
        )
        visit = Visit.objects.get(pk=self.visit.pk)
        self.assertEqual(visit.public_summary_zh_hans, "贸易港口会谈。")
        self.assertEqual(visit.public_summary_en, "Talks on trade.")

    def test_headers_are_read_in_any_of_the_three_languages(self):
        with translation.override("en"):
            self.import_visits(
                "方向,我方,伙伴城市,伙伴城市所在国家,标题,开始日期,公开摘要 (俄文)\n"
                "inbound,Chongqing,Voronezh,Russia,Trade talks,2019-05-14,"
                "Торговые переговоры.\n"
            )
        visit = Visit.objects.get(pk=self.visit.pk)
        self.assertEqual(visit.public_summary_ru, "Торговые переговоры.")

    def test_a_clerk_working_in_chinese_imports_english_text_as_english(self):
        with translation.override("zh-hans"):
            self.import_visits(
                "Direction,Home party,Partner city,Partner country,Title,Start date,"
                "Purpose\n"
                "inbound,Chongqing,Voronezh,Russia,Trade talks,2019-05-14,Ports.\n"
            )
        visit = Visit.objects.get(pk=self.visit.pk)
        self.assertEqual(visit.purpose_en, "Ports.")
        self.assertEqual(visit.purpose_zh_hans, "")

    def test_cities_round_trip_their_names_in_every_language(self):
        rows = exported(CityResource())
        voronezh = next(row for row in rows if row["Name"] == "Voronezh")
        self.assertEqual(
            (voronezh["Chinese name"], voronezh["Russian name"]),
            ("沃罗涅日", "Воронеж"),
        )
        CityResource(user=self.clerk).import_data(
            dataset("Name,Country,Chinese name\nVoronezh,Russia,沃罗涅日市\n"),
            user=self.clerk,
        )
        city = City.objects.get(pk=self.voronezh.pk)
        self.assertEqual((city.name_zh_hans, city.name_ru), ("沃罗涅日市", "Воронеж"))


class CollaborationByTitleTests(TestCase):
    """An activity names its collaboration by title in any language: a clerk
    working in Chinese names one whose title is only in English."""

    def test_a_collaboration_is_found_by_its_title_in_another_language(self):
        agreement = make_agreement(home_party=make_home())
        collaboration = make_collaboration(
            agreement=agreement, title="Student exchange"
        )
        text = (
            "Title,Kind,Collaboration,Partner city,Partner country\n"
            f"Open day,meeting,Student exchange,{agreement.partner.name},Russia\n"
        )
        with translation.override("zh-hans"):
            result = ActivityResource().import_data(dataset(text))
        self.assertFalse(result.has_validation_errors(), result.problems())
        self.assertEqual(Activity.objects.get().collaboration, collaboration)
