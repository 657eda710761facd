"""Sheets as people make them: titles above the column names, merged names,
empty rows and columns; every message names the row the clerk sees."""

import io

import openpyxl
from django.test import SimpleTestCase, TestCase

from partnerships.models import Visit
from partnerships.spreadsheets.imports import describe_errors
from partnerships.spreadsheets.layout import make_dataset
from partnerships.spreadsheets.reading import SpreadsheetError, read_table
from partnerships.spreadsheets.resources import VisitResource
from tests.factories import make_city, make_home

HEADER = ["Direction", "Home party", "Partner city", "Partner country", "Start date"]
ROW = ["inbound", "Chongqing", "Voronezh", "Russia", "2019-05-14"]


def workbook(cells, merges=(), title="Visits", more_sheets=()):
    """An .xlsx whose first sheet has ``cells`` ``{"A1": value}`` and ``merges``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for coordinate, value in cells.items():
        sheet[coordinate] = value
    for merge in merges:
        sheet.merge_cells(merge)
    for name in more_sheets:
        book.create_sheet(name)["A1"] = "notes"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_cells(row, values, first_column="A"):
    start = ord(first_column)
    return {f"{chr(start + i)}{row}": value for i, value in enumerate(values)}


def office_sheet(first_data_row=4, gap=False):
    """A title merged across the table, a note, then the column names."""
    cells = {"A1": "Visits received in 2019", "A2": "Prepared by the office"}
    cells |= row_cells(3, HEADER)
    row = first_data_row + (1 if gap else 0)
    cells |= row_cells(row, ROW)
    cells |= row_cells(row + 1, [*ROW[:4], "2019-06-14"])
    return cells


class LayoutTests(SimpleTestCase):
    def test_titles_above_the_column_names_are_skipped(self):
        data = workbook(office_sheet(), merges=["A1:E1"])
        dataset = read_table(data, "visits.xlsx")
        self.assertEqual(dataset.headers, HEADER)
        self.assertEqual(dataset.header_row, 3)
        self.assertEqual(dataset.row_numbers, [4, 5])
        self.assertEqual(dataset[0], tuple(ROW))

    def test_empty_rows_and_columns_are_skipped(self):
        cells = row_cells(2, HEADER[:2], "B") | row_cells(2, HEADER[2:], "E")
        cells |= row_cells(5, ROW[:2], "B") | row_cells(5, ROW[2:], "E")
        dataset = read_table(workbook(cells), "visits.xlsx")
        self.assertEqual(dataset.headers, HEADER)
        self.assertEqual(dataset.row_numbers, [5])
        self.assertEqual(dataset[0], tuple(ROW))

    def test_a_name_merged_across_columns_names_the_first(self):
        cells = row_cells(1, ["Title", None, "Start date"])
        cells |= row_cells(2, ["Talks", None, "2019-05-14"])
        dataset = read_table(workbook(cells, merges=["A1:B1", "A2:B2"]), "v.xlsx")
        self.assertEqual(dataset.headers, ["Title", "Start date"])
        self.assertEqual(dataset[0], ("Talks", "2019-05-14"))

    def test_names_merged_over_two_rows_are_read_as_their_text(self):
        # 序号 and 团长及职务 merged down; 日期 merged over 开始 and 结束.
        cells = {"A1": "2019年来访统计"}
        cells |= row_cells(2, ["序号", "日期", None, "团长及职务"])
        cells |= row_cells(3, [None, "开始", "结束", None])
        cells |= row_cells(4, [1, "2019年5月14日", "2019年5月16日", "市长"])
        merges = ["A1:D1", "A2:A3", "B2:C2", "D2:D3"]
        dataset = read_table(workbook(cells, merges=merges), "v.xlsx")
        self.assertEqual(
            dataset.headers, ["序号", "日期 开始", "日期 结束", "团长及职务"]
        )
        self.assertEqual(dataset.row_numbers, [4])

    def test_a_value_in_a_column_without_a_name_is_refused_by_row_and_column(self):
        cells = row_cells(2, HEADER) | row_cells(4, [*ROW, "note"])
        with self.assertRaisesMessage(
            SpreadsheetError,
            "Row 4 has a value in column F, which has no name in the column names "
            "(row 2)",
        ):
            read_table(workbook(cells), "visits.xlsx")

    def test_a_name_twice_is_refused_naming_both_columns(self):
        with self.assertRaisesMessage(
            SpreadsheetError, "“Title” appears twice (columns A and C)"
        ):
            make_dataset([(1, ["Title", "Kind", "title"]), (2, ["a", "b", "c"])])

    def test_a_csv_with_a_title_line(self):
        text = "Visits in 2019,,,,\n,,,,\n" + ",".join(HEADER) + "\n" + ",".join(ROW)
        dataset = read_table(text.encode(), "visits.csv")
        self.assertEqual(dataset.headers, HEADER)
        self.assertEqual(dataset.row_numbers, [4])


class RowNumberTests(TestCase):
    """The issue's case: after an empty row, the message named row 3 for data on
    row 4 of the sheet."""

    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")

    def errors(self, data, name="visits.xlsx"):
        result = VisitResource().import_data(read_table(data, name))
        self.assertFalse(Visit.objects.exists())
        return describe_errors(result)

    def test_the_office_sheet_imports(self):
        data = workbook(office_sheet(), merges=["A1:E1"])
        result = VisitResource().import_data(read_table(data, "visits.xlsx"))
        self.assertFalse(result.has_validation_errors(), result.problems())
        self.assertEqual(Visit.objects.count(), 2)

    def test_messages_name_the_sheet_row_after_titles_and_empty_rows(self):
        cells = office_sheet(gap=True)
        cells["C6"] = "Atlantis"  # the second data row, after an empty row 4
        [line] = self.errors(workbook(cells, merges=["A1:E1"]))
        self.assertTrue(line.startswith("Row 6, column “Partner city”: "), line)

    def test_messages_name_the_sheet_when_the_workbook_has_several(self):
        cells = office_sheet()
        cells["C4"] = "Atlantis"
        data = workbook(cells, title="来访", more_sheets=["Notes"])
        [line] = self.errors(data)
        self.assertTrue(
            line.startswith("Sheet “来访”, row 4, column “Partner city”: "), line
        )

    def test_two_rows_for_one_record_name_the_sheet_rows(self):
        cells = office_sheet(gap=True)
        cells["E6"] = ROW[4]
        [line] = self.errors(workbook(cells))
        self.assertIn("Row 6: This row describes the same record as row 5", line)

    def test_names_below_a_wide_note_are_pointed_to_by_row(self):
        cells = row_cells(1, ["Visits", "2019", "office"])
        cells |= row_cells(2, HEADER[:3]) | row_cells(3, ROW[:3])
        [line] = self.errors(workbook(cells))
        self.assertIn("Row 1 was read as the column names, but they are on row 2", line)
