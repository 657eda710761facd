"""How the report and the lists print: A4 landscape, readable, headers and footer."""

import datetime
import io
import zipfile

import openpyxl
from django.test import SimpleTestCase, TestCase

from partnerships.models.choices import DatePrecision
from partnerships.spreadsheets import exports, printing
from partnerships.spreadsheets.reports import ReportFilter, build_report
from partnerships.spreadsheets.resources import VisitResource
from partnerships.spreadsheets.writing import write_xlsx
from tests.factories import make_agreement, make_city, make_home, make_visit

D = datetime.date
OFFICE = "Foreign Affairs Office of Chongqing Municipal People's Government"
LONG = (
    "Talks on trade, culture, education and the exhibition in both cities; visits "
    "to the port, two hospitals, the university and the new logistics centre."
)


def px(sheet):
    """The printed width of a sheet's columns, in pixels at 100 %."""
    return sum(
        printing.column_px(dimension.width) * (dimension.max - dimension.min + 1)
        for dimension in sheet.column_dimensions.values()
        if dimension.width
    )


def width(sheet, column):
    """The width of the ``column``-th column (columns of one width are grouped)."""
    return next(
        dimension.width
        for dimension in sheet.column_dimensions.values()
        if dimension.min <= column <= dimension.max
    )


def printed_points(sheet, font_size):
    """The size the sheet's text prints at once fitted to one page wide."""
    scale = min(1, printing.PRINTABLE_PX / px(sheet))
    return font_size * scale


class PlanColumnsTests(SimpleTestCase):
    def test_columns_that_fit_at_8_points_are_fitted(self):
        layout = printing.plan_columns([20] * 8, [10] * 8, 10)
        self.assertEqual(layout, printing.Layout([20] * 8, fit=True))

    def test_wide_text_columns_are_narrowed_not_shrunk(self):
        natural = [12, 12, 47, 47, 47, 47, 47]
        least = [12, 12, 10, 10, 10, 10, 10]
        layout = printing.plan_columns(natural, least, 10)
        self.assertTrue(layout.fit)
        # Dates keep their width; the text columns share what is left.
        self.assertEqual(layout.widths[:2], [12, 12])
        self.assertEqual(len(set(layout.widths[2:])), 1)
        scale = printing.PRINTABLE_PX / printing.total_px(layout.widths)
        self.assertGreaterEqual(10 * min(scale, 1), printing.MIN_POINTS)

    def test_too_many_columns_print_across_pages_at_8_points(self):
        layout = printing.plan_columns([14] * 40, [12] * 40, 10)
        self.assertFalse(layout.fit)
        self.assertEqual(layout.scale, 80)
        self.assertTrue(all(width >= 12 for width in layout.widths))

    def test_text_lines_count_wrapping_and_chinese(self):
        self.assertEqual(printing.text_lines("Mayor", 10), 1)
        self.assertEqual(printing.text_lines("one\ntwo\nthree", 20), 3)
        self.assertGreater(printing.text_lines(LONG, 20), 5)
        self.assertGreater(printing.text_lines("第一，签署了合作备忘录。", 10), 2)
        # Cyrillic letters are wider: this cover label took two lines in print,
        # and its row, made one line high, cut the second off.
        label = "Направленные делегации (исходящие визиты, завершённые)"
        self.assertEqual(printing.text_lines(label, 50), 2)


class ReportPrintingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        voronezh = make_city(name="Voronezh", name_zh_hans="沃罗涅日")
        make_agreement(partner=voronezh)
        for day in range(1, 6):
            make_visit(
                partner_city=voronezh,
                start_date=D(2023, 5, day),
                members=[
                    ("Deputy Mayor of Voronezh", "head"),
                    ("Head of the International Department", "member"),
                    ("Interpreter", "member"),
                ],
                sectors=["economy", "culture", "education"],
                purpose=LONG,
                outcomes="第一，签署了合作备忘录。\n第二，同意互派留学生和教师。",
                public_summary=LONG,
                title=LONG[:80],
            )
        make_visit(
            partner_city=voronezh,
            start_date=D(2023, 7, 1),
            date_precision=DatePrecision.MONTH,
        )

    def workbook(self, language="en"):
        report = ReportFilter(D(2023, 1, 1), D(2023, 12, 31), language=language)
        return openpyxl.load_workbook(io.BytesIO(build_report(report).getvalue()))

    def test_every_sheet_prints_readably_on_a4_landscape(self):
        for language in ("en", "zh-hans"):
            for sheet in self.workbook(language).worksheets:
                with self.subTest(language=language, sheet=sheet.title):
                    setup = sheet.page_setup
                    self.assertEqual(setup.orientation, "landscape")
                    self.assertEqual(setup.paperSize, 9)
                    footer = sheet.oddFooter
                    self.assertTrue(footer.left.text)
                    self.assertEqual(footer.center.text, "&A")
                    self.assertEqual(footer.right.text, "&P / &N")
                    # Fitted to one page wide, and then at 8 points or more.
                    self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
                    self.assertEqual(setup.fitToWidth, None)  # 1, the default
                    self.assertEqual(setup.fitToHeight, 0)
                    self.assertGreaterEqual(printed_points(sheet, 10), 8)

    def test_tables_repeat_their_header_and_wrap_long_text(self):
        book = self.workbook()
        self.assertEqual(book["Summary"].print_title_rows, "$3:$3")
        for title in ("Visits", "Collaborations", "Agreements", "Chart"):
            self.assertEqual(book[title].print_title_rows, "$1:$1")
        visits = book["Visits"]
        # Narrowed, not shrunk: the Visits sheet no longer fits at 4 points.
        self.assertLess(width(visits, 10), 30)
        purpose = visits["J2"]
        self.assertEqual(purpose.value, LONG)
        self.assertTrue(purpose.alignment.wrap_text)
        delegation = visits["H2"]
        self.assertEqual(delegation.value.count("\n"), 2)
        self.assertTrue(delegation.alignment.wrap_text)
        # The row is as tall as its tallest wrapped cell (13 points a line, kept
        # to whole pixels).
        self.assertGreaterEqual(
            visits.row_dimensions[2].height + 1,
            13 * printing.text_lines(LONG, int(width(visits, 10))),
        )
        self.assertFalse(book["Cover"].print_options.gridLines)
        self.assertTrue(visits.print_options.gridLines)


class ListPrintingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        voronezh = make_city(name="Voronezh")
        for day in range(1, 4):
            make_visit(
                partner_city=voronezh,
                start_date=D(2023, 5, day),
                members=[
                    ("Mayor", "head"),
                    ("Aide", "member"),
                    ("Interpreter", "member"),
                ],
                purpose=LONG,
            )

    def test_the_visit_list_prints_readably(self):
        out = io.BytesIO()
        exports.export_xlsx(VisitResource(), out)
        data = out.getvalue()
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        setup = sheet.page_setup
        self.assertEqual((setup.orientation, setup.paperSize), ("landscape", 9))
        self.assertEqual(sheet.print_title_rows, "$1:$1")
        self.assertEqual(sheet.oddFooter.left.text, OFFICE)
        self.assertEqual(sheet.oddFooter.right.text, "&P / &N")
        # 33 columns cannot be one page wide at 8 points: across pages, at 8
        # points (Calibri 11 at 73 %), each row's columns on pages side by side.
        self.assertFalse(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(setup.scale, 73)
        self.assertEqual(setup.pageOrder, "overThenDown")
        headers = [cell.value for cell in sheet[1]]
        column = openpyxl.utils.get_column_letter(headers.index("Delegation") + 1)
        # Wrapped by the column's format; the cell was written with none.
        self.assertEqual(sheet[f"{column}2"].value.count("\n"), 2)
        self.assertTrue(sheet[f"{column}2"].alignment.wrap_text)
        self.assertTrue(sheet.column_dimensions[column].alignment.wrap_text)
        self.assertGreaterEqual(sheet.row_dimensions[2].height, 3 * 15)
        # Constant-memory mode still: strings inline, not in a shared table.
        self.assertIn(b"inlineStr", sheet_xml(data))

    def test_a_narrow_list_is_fitted_to_one_page_wide(self):
        data = write_xlsx(
            [
                (
                    "Cities",
                    ["Name", "Country", "Founded"],
                    [["Voronezh", "Russia", 1586], ["Minsk", "Belarus", 1067]],
                    None,
                )
            ]
        )
        sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(sheet.print_title_rows, "$1:$1")


def sheet_xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")
