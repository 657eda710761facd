"""The partner list as open data: CSV and JSON, filtered, published fields only."""

import codecs
import csv
import datetime
import io
import json

from django.db import connection
from django.test import RequestFactory, TestCase
from django.test.utils import CaptureQueriesContext

from partnerships.public.opendata import COLUMNS
from partnerships.public.views import partner_list_queryset
from partnerships.spreadsheets.exports import export_rows
from partnerships.spreadsheets.resources.opendata import OpenDataResource
from tests.factories import make_agreement, make_city, make_home, make_visit

D = datetime.date


class OpenDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        cls.voronezh = make_city(
            name="Voronezh",
            name_local="Воронеж",
            name_zh_hans="沃罗涅日",
            slug="voronezh",
            country="RU",
            founded_year=1586,
            latitude="51.671667",
            longitude="39.210556",
            internal_notes="office only",
        )
        make_agreement(partner=cls.voronezh, signed_on=D(1993, 10, 20))
        make_visit(partner_city=cls.voronezh, start_date=D(2019, 5, 14))
        brest = make_city(name="Brest", slug="brest", country="FR")
        make_agreement(partner=brest, signed_on=D(2005, 3, 1))
        make_agreement(partner=make_city(name="Hidden", published=False))

    def csv_rows(self, params=None, url="/partners.csv", delimiter=","):
        response = self.client.get(url, params or {})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("attachment", response["Content-Disposition"])
        data = b"".join(response.streaming_content)
        # The mark that makes Excel read UTF-8 when the file is double-clicked.
        self.assertTrue(data.startswith(codecs.BOM_UTF8))
        text = data.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))

    def test_the_csv_for_excel_has_the_same_rows_with_semicolons(self):
        rows = self.csv_rows({"country": "RU"}, "/partners-excel.csv", ";")
        self.assertEqual([row["slug"] for row in rows], ["voronezh"])
        self.assertEqual(rows[0]["name_local"], "Воронеж")
        self.assertEqual(rows, self.csv_rows({"country": "RU"}))

    def test_csv_has_published_partners_and_public_columns(self):
        rows = self.csv_rows()
        self.assertEqual([row["slug"] for row in rows], ["brest", "voronezh"])
        voronezh = rows[1]
        self.assertEqual(voronezh["name_local"], "Воронеж")
        self.assertEqual(voronezh["name_zh_hans"], "沃罗涅日")
        self.assertEqual(voronezh["country"], "RU")
        self.assertEqual(voronezh["country_name"], "Russia")
        self.assertEqual(voronezh["founded_year"], "1586")
        self.assertEqual(voronezh["signed_on"], "1993-10-20")
        self.assertEqual(voronezh["latest_visit"], "2019-05-14")
        self.assertEqual(voronezh["agreement_kind"], "sister_city")
        self.assertEqual(voronezh["latitude"], "51.671667")
        self.assertEqual(voronezh["url"], "http://testserver/partners/voronezh/")

    def test_a_visit_known_by_its_year_is_given_as_a_year(self):
        city = make_city(name="Yearly", slug="yearly")
        make_agreement(partner=city)
        make_visit(partner_city=city, start_date=D(2019, 1, 1), date_precision="year")
        row = next(r for r in self.csv_rows() if r["slug"] == "yearly")
        self.assertEqual(row["latest_visit"], "2019")
        page = self.client.get("/partners/", {"q": "Yearly"}).content.decode()
        self.assertIn("2019", page)
        self.assertNotIn("1 January 2019", page)
        detail = self.client.get("/partners/yearly/").content.decode()
        self.assertIn('<time datetime="2019">', detail)
        self.assertNotIn("1 January 2019", detail)

    def test_csv_cells_never_run_as_formulas(self):
        city = make_city(
            name='=HYPERLINK("http://evil.example","x")',
            slug="formula",
            description="+1 call me",
            region="@SUM(1)",
        )
        make_agreement(partner=city)
        row = next(r for r in self.csv_rows() if r["slug"] == "formula")
        self.assertEqual(row["name"], '\'=HYPERLINK("http://evil.example","x")')
        self.assertEqual(row["description"], "'+1 call me")
        self.assertEqual(row["region"], "'@SUM(1)")

    def test_columns_are_public_fields_only(self):
        self.assertEqual(list(self.csv_rows()[0].keys()), list(COLUMNS))
        for column in COLUMNS:
            self.assertNotIn("notes", column)
            self.assertNotIn("published", column)
        self.assertNotIn("office only", self.client.get("/partners.json").text)

    def test_csv_follows_the_list_filters_and_sort(self):
        self.assertEqual(
            [r["slug"] for r in self.csv_rows({"country": "FR"})], ["brest"]
        )
        rows = self.csv_rows({"sort": "signed"})
        self.assertEqual([r["slug"] for r in rows], ["voronezh", "brest"])

    def test_each_text_in_the_readers_language_and_in_every_language(self):
        for prefix, name in (("", "Voronezh"), ("/zh-hans", "沃罗涅日")):
            with self.subTest(prefix=prefix):
                response = self.client.get(f"{prefix}/partners.json")
                data = json.loads(response.content)
                voronezh = data["partners"][1]
                self.assertEqual(voronezh["name"], name)
                self.assertEqual(
                    [voronezh[f"name_{code}"] for code in ("en", "zh_hans", "ru")],
                    ["Voronezh", "沃罗涅日", ""],
                )

    def test_json(self):
        response = self.client.get("/partners.json", {"q": "沃罗涅"})
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        data = json.loads(response.content)
        self.assertEqual(data["columns"], list(COLUMNS))
        [partner] = data["partners"]
        self.assertEqual(partner["slug"], "voronezh")
        self.assertEqual(partner["founded_year"], 1586)
        self.assertEqual(partner["latitude"], 51.671667)
        self.assertIsNone(partner["population"])

    def test_invalid_filter_gives_data_not_an_error(self):
        self.assertEqual(len(self.csv_rows({"signed_from": "abc"})), 2)

    def test_list_page_links_to_the_filtered_downloads(self):
        response = self.client.get("/partners/", {"country": "RU", "page": "1"})
        self.assertContains(response, 'href="/partners.csv?country=RU"')
        self.assertContains(response, 'href="/partners.json?country=RU"')

    def test_the_one_export_path_gives_the_librarys_own_values(self):
        request = RequestFactory().get("/partners.json")
        resource = OpenDataResource(request)
        queryset = partner_list_queryset().order_by("slug")
        headers, fast = export_rows(resource, queryset)
        self.assertEqual(headers, list(COLUMNS))
        fast = list(fast)
        library = [list(row) for row in resource.export(queryset)]
        self.assertEqual(fast, library)
        voronezh = dict(zip(COLUMNS, fast[1], strict=True))
        self.assertEqual(voronezh["latitude"], 51.671667)
        self.assertEqual(voronezh["country_name"], "Russia")
        self.assertEqual(voronezh["url"], "http://testserver/partners/voronezh/")

    def test_the_query_count_does_not_grow_with_the_partners(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                response = self.client.get("/partners.csv")
                rows = b"".join(response.streaming_content).count(b"\n")
            return rows, len(queries)

        rows, first = count()
        for number in range(5):
            make_agreement(partner=make_city(name=f"Extra {number}"))
        self.assertEqual(count(), (rows + 5, first))
