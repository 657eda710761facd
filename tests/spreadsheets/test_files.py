"""Bad files get clear errors and write nothing; exports never run as formulas.

Every bad file is built here, in the test."""

import codecs
import csv
import datetime
import io
import tracemalloc
import zipfile

import openpyxl
from django.test import SimpleTestCase, TestCase, override_settings

from bench.files import declared_xlsx
from partnerships.models import Visit
from partnerships.spreadsheets.formats import SafeCSV, SafeXLSX
from partnerships.spreadsheets.reading import SpreadsheetError, read_table
from partnerships.spreadsheets.resources import VisitResource
from partnerships.spreadsheets.writing import neutralise_text, write_xlsx
from tests.factories import make_city, make_home, make_visit

HEADER = ["Direction", "Home party", "Partner city", "Partner country", "Start date"]
ROW = ["inbound", "Chongqing", "Voronezh", "Russia", "2019-05-14"]


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(*sheets):
    """A workbook with one sheet per ``(title, rows)``."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ImportsWriteNothingMixin:
    """Every bad file must fail with a clear message and leave the visits alone."""

    def assert_refused(self, data, name, *phrases):
        with self.assertRaises(SpreadsheetError) as caught:
            dataset = read_table(data, name)
            result = VisitResource().import_data(dataset)
            errors = [str(e.error) for e in result.base_errors] + [
                str(m)
                for row in result.invalid_rows
                for ms in row.error_dict.values()
                for m in ms
            ]
            raise SpreadsheetError(" ".join(errors) or "imported")
        message = str(caught.exception)
        for phrase in phrases:
            self.assertIn(phrase, message)
        self.assertFalse(Visit.objects.exists())
        return message


class BadFileTests(ImportsWriteNothingMixin, TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", name_local="Воронеж", country="RU")

    def test_a_gbk_csv_is_named_as_gbk(self):
        data = csv_bytes(
            [HEADER, ["inbound", "重庆", "沃罗涅日", "俄罗斯", "2019-05-14"]], "gbk"
        )
        self.assert_refused(data, "visits.csv", "GBK", "UTF-8")

    def test_a_windows_1251_csv_is_named_as_windows_1251(self):
        data = csv_bytes(
            [HEADER, ["inbound", "Chongqing", "Воронеж", "Россия", ""]], "cp1251"
        )
        self.assert_refused(data, "visits.csv", "Windows-1251", "UTF-8")

    def test_a_utf8_bom_is_not_part_of_the_first_column_name(self):
        data = codecs.BOM_UTF8 + csv_bytes([HEADER, ROW])
        dataset = read_table(data, "visits.csv")
        self.assertEqual(dataset.headers[0], "Direction")
        result = VisitResource().import_data(dataset)
        self.assertFalse(result.has_errors() or result.has_validation_errors())
        self.assertEqual(Visit.objects.count(), 1)

    def test_excel_semicolon_csv_is_read(self):
        out = io.StringIO()
        csv.writer(out, delimiter=";").writerows([HEADER, ROW])
        dataset = read_table(out.getvalue().encode(), "visits.csv")
        self.assertEqual(dataset[0][2], "Voronezh")

    def test_dates_in_other_formats_are_refused_with_the_accepted_format(self):
        for written in ("03/04/2023", "4th March 2023", "March 4, 2023", "44987"):
            with self.subTest(written=written):
                data = csv_bytes([HEADER, [*ROW[:4], written]])
                self.assert_refused(data, "visits.csv", "2027-05")

    def test_an_impossible_date_is_refused(self):
        data = csv_bytes([HEADER, [*ROW[:4], "2023-02-30"]])
        self.assert_refused(
            data, "visits.csv", "2023-02-30", "not a day of the calendar"
        )

    def test_day_and_month_are_never_swapped(self):
        dataset = read_table(csv_bytes([HEADER, [*ROW[:4], "2023-04-03"]]), "v.csv")
        VisitResource().import_data(dataset)
        self.assertEqual(Visit.objects.get().start_date, datetime.date(2023, 4, 3))

    def test_real_xlsx_dates_are_dates(self):
        data = xlsx_bytes(("Visits", [HEADER, [*ROW[:4], datetime.date(2023, 4, 3)]]))
        result = VisitResource().import_data(read_table(data, "visits.xlsx"))
        self.assertFalse(result.has_validation_errors())
        self.assertEqual(Visit.objects.get().start_date, datetime.date(2023, 4, 3))

    def test_an_unknown_partner_city_is_named(self):
        data = csv_bytes([HEADER, ["inbound", "Chongqing", "Atlantis", "Greece", ""]])
        self.assert_refused(data, "visits.csv", "Atlantis")

    def test_xlsx_data_on_a_later_sheet_is_pointed_to(self):
        data = xlsx_bytes(("Notes", []), ("Visits", [HEADER, ROW]))
        self.assert_refused(data, "visits.xlsx", "“Visits”", "first sheet")

    def test_xlsx_whose_first_sheet_holds_something_else_is_pointed_to(self):
        data = xlsx_bytes(
            ("Read me", [["Exported by the office"], ["for 2023"]]),
            ("Visits", [HEADER, ROW]),
        )
        self.assert_refused(data, "visits.xlsx", "“Visits”")

    def test_a_file_that_is_not_what_its_extension_says(self):
        cases = [
            (csv_bytes([HEADER, ROW]), "visits.xlsx", "not an Excel workbook"),
            (xlsx_bytes(("Visits", [HEADER, ROW])), "visits.csv", ".xlsx"),
            (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "visits.xlsx", ".xls"),
            (b"%PDF-1.4 binary", "visits.pdf", "Only CSV and XLSX"),
            (csv_bytes([HEADER, ROW]), "visits.txt", "Only CSV and XLSX"),
        ]
        for data, name, phrase in cases:
            with self.subTest(name=name):
                self.assert_refused(data, name, phrase)

    def test_a_zip_that_is_not_a_workbook(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            archive.writestr("word/document.xml", "<w/>")
        self.assert_refused(out.getvalue(), "visits.xlsx", "not an Excel workbook")

    def test_empty_files(self):
        for data in (b"", b"   \r\n", codecs.BOM_UTF8):
            with self.subTest(data=data):
                self.assert_refused(data, "visits.csv", "The file is empty")
        self.assert_refused(csv_bytes([HEADER]), "visits.csv", "no rows of data")
        self.assert_refused(xlsx_bytes(("Visits", [])), "visits.xlsx", "empty")

    @override_settings(PARTNERSHIPS_IMPORT_MAX_BYTES=1024)
    def test_a_file_over_the_size_limit(self):
        data = csv_bytes([HEADER] + [ROW] * 100)
        self.assert_refused(data, "visits.csv", "larger than 1.0 KB")

    def test_a_zip_bomb_disguised_as_xlsx(self):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/workbook.xml", "<workbook/>")
            archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
        data = out.getvalue()
        self.assertLess(len(data), 200 * 1024)
        self.assert_refused(data, "visits.xlsx", "zip bomb")

    def test_a_damaged_xlsx(self):
        data = xlsx_bytes(("Visits", [HEADER, ROW]))
        self.assert_refused(data[: len(data) // 2], "visits.xlsx", "damaged")

    def test_a_row_longer_than_the_header(self):
        data = csv_bytes([HEADER, [*ROW, "surplus"]])
        self.assert_refused(
            data, "visits.csv", "Row 2 has a value in column F, which has no name"
        )


class SafeExportTests(TestCase):
    DANGEROUS = [
        "=1+1",
        "==cmd|' /C calc'!A0",
        "+44 20 7946 0000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ]

    @classmethod
    def setUpTestData(cls):
        make_home()
        partner = make_city(name="Voronezh", country="RU")
        for text in cls.DANGEROUS:
            make_visit(partner_city=partner, title=text[:300], start_date=None)
        make_visit(
            partner_city=partner,
            title="Bell\x07 and\x1b escape",
            public_summary="<script>alert('x')</script><b>bold</b>",
            start_date=datetime.date(2019, 5, 14),
        )

    def test_csv_cells_that_would_run_as_formulas_are_quoted(self):
        text = SafeCSV().export_data(VisitResource().export())
        titles = [row[5] for row in csv.reader(io.StringIO(text))][1:]
        for dangerous in self.DANGEROUS:
            self.assertIn("'" + dangerous, titles)
        for title in titles:
            self.assertFalse(title.startswith(("=", "+", "-", "@", "\t", "\r", "＝")))

    def test_csv_opens_as_utf8_in_excel(self):
        text = SafeCSV().export_data(VisitResource().export())
        self.assertTrue(text.startswith("\ufeffDirection,"))

    def test_csv_quotes_are_removed_again_on_import(self):
        text = SafeCSV().export_data(VisitResource().export())
        result = VisitResource().import_data(SafeCSV().create_dataset(text.encode()))
        self.assertEqual(result.totals["new"], 0)
        self.assertEqual(result.totals["update"], 0)

    def test_xlsx_cells_are_text_never_formulas(self):
        data = SafeXLSX().export_data(VisitResource().export(force_native_type=True))
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", xml)
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        titles = {row[5].value: row[5] for row in sheet.iter_rows(min_row=2)}
        for dangerous in self.DANGEROUS:
            cell = titles.get(dangerous)
            if cell is None:
                # XLSX normalises a leading CR; the text is still text.
                cell = next(c for t, c in titles.items() if t.endswith(dangerous[1:]))
            self.assertEqual(cell.data_type, "s")
            self.assertTrue(cell.quotePrefix)

    def test_control_characters_do_not_break_xlsx_and_html_stays_text(self):
        data = SafeXLSX().export_data(VisitResource().export(force_native_type=True))
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        headers = [c.value for c in sheet[1]]
        rows = [
            dict(zip(headers, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=2)
        ]
        bell = next(row for row in rows if (row["Title"] or "").startswith("Bell"))
        self.assertEqual(bell["Title"], "Bell and escape")
        self.assertEqual(
            bell["Public summary"], "<script>alert('x')</script><b>bold</b>"
        )
        self.assertEqual(bell["Start date"], "2019-05-14")
        self.assertEqual(
            bell["Start day (exact dates only)"], datetime.datetime(2019, 5, 14)
        )
        text = SafeCSV().export_data(VisitResource().export())
        self.assertIn("<script>alert('x')</script><b>bold</b>", text)


class NeutraliseTests(SimpleTestCase):
    def test_numbers_stay_numbers_and_text_starting_with_a_trigger_is_quoted(self):
        self.assertEqual(neutralise_text("-4.0333"), "-4.0333")
        self.assertEqual(neutralise_text("+7"), "+7")
        self.assertEqual(neutralise_text("-1+1"), "'-1+1")
        self.assertEqual(neutralise_text("==1"), "'==1")
        self.assertEqual(neutralise_text("Chongqing"), "Chongqing")
        self.assertEqual(neutralise_text(12), 12)


class WriteXlsxTests(TestCase):
    # A TestCase: each sheet's footer names the office, read from the site
    # settings (partnerships/office.py).
    def test_only_formula_like_text_gets_the_quote_prefix_in_its_own_style(self):
        data = write_xlsx(
            [
                (
                    "Visits",
                    ["=Title", "Name", "Day", "Count"],
                    [
                        ["=1+1", "Voronezh", datetime.date(2019, 5, 14), -3],
                        ["＠cmd", "Bell\x07 ring", None, "-3"],
                    ],
                    None,
                )
            ]
        )
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        quoted = {cell.coordinate for row in sheet.iter_rows() for cell in row}
        quoted = {key for key in quoted if sheet[key].quotePrefix}
        self.assertEqual(quoted, {"A1", "A2", "A3", "D3"})
        # The header keeps its bold with the prefix; the value is text, not a formula.
        self.assertTrue(sheet["A1"].font.bold)
        self.assertEqual((sheet["A2"].value, sheet["A2"].data_type), ("=1+1", "s"))
        self.assertEqual((sheet["D3"].value, sheet["D3"].data_type), ("-3", "s"))
        self.assertEqual((sheet["D2"].value, sheet["D2"].data_type), (-3, "n"))
        self.assertEqual(sheet["B3"].value, "Bell ring")
        self.assertEqual(sheet["C2"].number_format, "yyyy-mm-dd")
        self.assertFalse(sheet["B2"].quotePrefix or sheet["B1"].quotePrefix)


class DeclaredSizeTests(SimpleTestCase):
    """A sheet is read cell by cell as the file holds them: a declared size of
    16,384 columns and a million rows costs nothing (it cost 1.1 GB)."""

    def test_a_declared_huge_sheet_is_read_by_its_cells(self):
        for last_row in (8_000, 1_048_576):
            with self.subTest(last_row=last_row):
                data = declared_xlsx(last_row)
                self.assertLess(len(data), 10_000)
                tracemalloc.start()
                try:
                    dataset = read_table(data, "huge.xlsx")
                    _size, peak = tracemalloc.get_traced_memory()
                finally:
                    tracemalloc.stop()
                self.assertEqual(dataset.headers, ["Direction", "Title"])
                self.assertEqual(dataset[0], ("value 1", "value 2"))
                # The row as the clerk's program numbers it.
                self.assertEqual(dataset.row_numbers, [last_row])
                self.assertLess(peak, 20 * 2**20)

    def test_a_value_right_of_the_last_column_name_is_refused(self):
        book = openpyxl.Workbook()
        book.active.append(["Direction", "Title"])
        book.active.cell(row=5, column=16_384, value="stray")
        out = io.BytesIO()
        book.save(out)
        with self.assertRaisesMessage(
            SpreadsheetError, "Row 5 has a value in column XFD"
        ):
            read_table(out.getvalue(), "stray.xlsx")


class DayColumnTests(SimpleTestCase):
    """A column that needs the day (an agreement's signing) reads it as the
    office and its partner write it, and nothing less than a day."""

    def test_the_office_and_partner_forms_of_a_day(self):
        from partnerships.spreadsheets.widgets import IsoDateWidget

        widget = IsoDateWidget()
        for written in ("1993-10-20", "1993年10月20日", "1993/10/20", "20.10.1993"):
            with self.subTest(written=written):
                self.assertEqual(widget.clean(written), datetime.date(1993, 10, 20))
        for written, said in (
            ("1993-10", "not a whole date"),
            ("1993年10月", "not a whole date"),
            ("20/10/1993", "ambiguous"),
        ):
            with (
                self.subTest(written=written),
                self.assertRaisesMessage(ValueError, said),
            ):
                widget.clean(written)
