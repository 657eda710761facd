"""The officials' period report: its sheets, filters, command and admin page."""

import datetime
import io
import tempfile
import zipfile
from pathlib import Path

import openpyxl
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from partnerships.models import CollaborationParticipant, Sector
from partnerships.models.choices import Direction
from partnerships.spreadsheets.reports import ReportFilter, build_report
from partnerships.spreadsheets.reports.sheet import DATE_FORMATS
from partnerships.spreadsheets.writing import display_width, is_cjk
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_district,
    make_home,
    make_institution,
    make_person,
    make_visit,
)
from tests.spreadsheets.report_cells import EXPECTED

D = datetime.date
FIRST, LAST = D(2023, 1, 1), D(2023, 12, 31)


def workbook(report):
    data = build_report(report).getvalue()
    return data, openpyxl.load_workbook(io.BytesIO(data))


def rows(sheet, start):
    return [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=start)
        if any(cell.value is not None for cell in row)
    ]


def cell_style(cell):
    """A short name for how a cell is formatted (the report's own formats)."""
    parts = [cell.number_format]
    if cell.alignment.wrap_text:
        parts.append("wrap")
    if cell.font.bold:
        parts.append("bold")
    if cell.font.italic:
        parts.append("italic")
    if cell.alignment.horizontal:
        parts.append(cell.alignment.horizontal)
    if cell.quotePrefix:
        parts.append("quote")
    return " ".join(parts)


def everything(data):
    """Every cell, style, width, height and print setting of a workbook."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheets = []
    for sheet in book.worksheets:
        cells = []
        for row in sheet.iter_rows():
            line = [
                cell.value if style == "General" else (cell.value, style)
                for cell, style in ((cell, cell_style(cell)) for cell in row)
            ]
            while line and line[-1] is None:
                line.pop()
            cells.append(line)
        sheets.append(
            {
                "title": sheet.title,
                "cells": cells,
                "widths": {
                    key: dimension.width
                    for key, dimension in sheet.column_dimensions.items()
                },
                "heights": {
                    key: dimension.height
                    for key, dimension in sheet.row_dimensions.items()
                    if dimension.height
                },
                "freeze": sheet.freeze_panes,
                "filter": sheet.auto_filter.ref,
                "print": (
                    sheet.page_setup.orientation,
                    sheet.page_setup.paperSize,
                    sheet.page_setup.fitToWidth,
                    sheet.page_setup.fitToHeight,
                    sheet.print_title_rows,
                    sheet.oddFooter.left.text,
                    sheet.oddFooter.right.text,
                ),
                "charts": len(sheet._charts),
            }
        )
    return sheets


class ReportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        cls.voronezh = make_city(
            name="Voronezh", name_local="Воронеж", name_zh_hans="沃罗涅日"
        )
        cls.minsk = make_city(name="Minsk", country="BY")
        make_agreement(partner=cls.voronezh, signed_on=D(1993, 10, 20))
        make_agreement(
            partner=cls.minsk, signed_on=D(2000, 2, 29), renewal_due_on=D(2023, 6, 1)
        )
        make_agreement(
            home_party=make_district(name="Yuzhong"),
            partner=make_city(name="Perm"),
            signed_on=D(2010, 1, 1),
        )
        lukin = make_person(name="Сергей Лукин")
        make_visit(
            partner_city=cls.voronezh,
            direction=Direction.INBOUND,
            start_date=D(2023, 5, 14),
            end_date=D(2023, 5, 17),
            title='=HYPERLINK("http://evil")',
            members=[
                {"person": lukin, "title_at_time": "Председатель Думы", "role": "head"},
                ("副市长", "member"),
            ],
            sectors=["economy"],
            internal_notes="SECRET NOTE",
        )
        make_visit(
            partner_city=cls.voronezh,
            direction=Direction.OUTBOUND,
            start_date=D(2023, 9, 1),
            sectors=["culture"],
        )
        make_visit(partner_city=cls.voronezh, start_date=D(2022, 5, 1))
        make_visit(partner_city=cls.voronezh, start_date=None)
        make_visit(
            partner_city=cls.minsk, start_date=D(2023, 3, 3), sectors=["culture"]
        )
        agreement = cls.voronezh.agreements_as_partner.get()
        make_collaboration(
            agreement=agreement,
            sector="healthcare",
            title="Hospital pairing",
            started_on=D(2019, 1, 1),
        )
        make_collaboration(
            agreement=agreement,
            sector="education",
            title="Ended long ago",
            started_on=D(2001, 1, 1),
            ended_on=D(2005, 1, 1),
            status="completed",
        )

    def test_the_workbook_has_its_sheets_frozen_headers_and_a_chart(self):
        data, book = workbook(ReportFilter(FIRST, LAST))
        self.assertEqual(
            book.sheetnames,
            ["Cover", "Summary", "Visits", "Collaborations", "Agreements", "Chart"],
        )
        self.assertEqual(book["Summary"].freeze_panes, "A4")
        self.assertIn(
            "1 visit without dates is not counted", book["Summary"]["A2"].value
        )
        self.assertEqual(book["Visits"].freeze_panes, "A2")
        self.assertGreater(book["Visits"].column_dimensions["F"].width, 10)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            self.assertIn("xl/charts/chart1.xml", names)
            sheets = [archive.read(n) for n in names if n.startswith("xl/worksheets/")]
            self.assertFalse(any(b"<f>" in xml for xml in sheets))
            self.assertFalse(any(b"SECRET NOTE" in archive.read(n) for n in names))

    def test_summary_counts_the_period_only(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        summary = {row[0]: row for row in rows(book["Summary"], 4)}
        voronezh = summary["Voronezh"]
        self.assertEqual(voronezh[1], "Воронеж")
        self.assertEqual(voronezh[2], "沃罗涅日")
        self.assertEqual(voronezh[7], datetime.datetime(1993, 10, 20))
        self.assertEqual(voronezh[8], 30)
        self.assertEqual(voronezh[9:12], [1, 1, 1])  # in, out, active collaborations
        self.assertEqual(voronezh[12], datetime.datetime(2023, 9, 1))
        self.assertEqual(summary["Minsk"][9:11], [1, 0])
        self.assertEqual(summary["Perm"][4], "Yuzhong")
        self.assertEqual(summary["Total"][9:12], [2, 1, 1])

    def test_visits_are_dated_and_people_flattened(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        visits = rows(book["Visits"], 2)
        self.assertEqual(len(visits), 3)
        self.assertEqual(visits[0][0], datetime.datetime(2023, 3, 3))
        self.assertEqual(book["Visits"]["A2"].number_format, DATE_FORMATS["en"][0])
        voronezh = visits[1]
        self.assertEqual(voronezh[5], '=HYPERLINK("http://evil")')
        self.assertEqual(book["Visits"]["F3"].data_type, "s")
        self.assertIn("Сергей Лукин, Председатель Думы", voronezh[7])
        self.assertIn("副市长", voronezh[7])

    def test_anniversaries_and_renewals_in_the_period(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        events = [
            (row[0].date(), row[1], row[2]) for row in rows(book["Agreements"], 2)
        ]
        # Signed on 29 February: the anniversary falls on 28 February.
        self.assertIn((D(2023, 2, 28), "23 years since signing", "Minsk"), events)
        self.assertIn((D(2023, 6, 1), "Renewal due", "Minsk"), events)
        self.assertIn(
            (D(2023, 10, 20), "30 years since signing (round anniversary)", "Voronezh"),
            events,
        )

    def test_collaborations_active_in_the_period(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        titles = [row[2] for row in rows(book["Collaborations"], 2)]
        self.assertEqual(titles, ["Hospital pairing"])

    def test_filters_by_partner_and_sector(self):
        _data, book = workbook(
            ReportFilter(
                FIRST,
                LAST,
                partners=[self.voronezh],
                sectors=[Sector.objects.get(code="culture")],
            )
        )
        summary = rows(book["Summary"], 4)
        self.assertEqual([row[0] for row in summary], ["Voronezh", "Total"])
        # Its one active collaboration is in healthcare, not culture.
        self.assertEqual(summary[0][11], 0)
        visits = rows(book["Visits"], 2)
        self.assertEqual([row[2] for row in visits], ["Outbound (home to partner)"])

    def test_queries_do_not_grow_with_the_rows(self):
        report = ReportFilter(FIRST, LAST)
        # 12, and the office's site settings, read once (office.read_once).
        with self.assertNumQueries(13):
            build_report(report)
        for day in range(1, 20):
            make_visit(
                partner_city=self.minsk,
                start_date=D(2023, 4, day),
                members=[("Member", "member")],
                sectors=["economy"],
            )
        with self.assertNumQueries(13):
            build_report(report)


class DisplayWidthTests(TestCase):
    def test_cjk_characters_take_two_columns(self):
        cases = {
            "": 0,
            "Voronezh": 8,
            "Воронеж": 7,
            "沃罗涅日": 8,
            "重庆, Chongqing": 15,
            "第一，签署。": 12,  # full-width comma and ideographic full stop
            "㐀": 2,  # extension A
            "\U00020000": 1,  # beyond the ranges counted as wide
        }
        for text, width in cases.items():
            with self.subTest(text=text):
                self.assertEqual(display_width(text), width)
        for char, wide in (("一", True), ("鿿", True), ("〿", True), ("＀", True)):
            self.assertEqual(is_cjk(char), wide)
        # Just outside the ranges: Latin, before U+3000, hiragana's start, U+FFF0.
        self.assertFalse(any(map(is_cjk, "ÿĀ\u2fff\u3040\ufff0")))


class ReportCellsTests(TestCase):
    """Every cell, format, width and print setting, as the workbook has always had.

    ``EXPECTED`` (tests/report_cells.py) was written by the report as it stood before
    it read rows as tuples; the faster report must write the very same workbook.
    """

    @classmethod
    def setUpTestData(cls):
        from partnerships.models import FocusArea

        home = make_home()
        yuzhong = make_district(name="Yuzhong", name_zh_hans="渝中区")
        voronezh = make_city(
            name="Voronezh", name_local="Воронеж", name_zh_hans="沃罗涅日"
        )
        minsk = make_city(name="Minsk", country="BY", name_ru="Минск")
        perm = make_city(name="Perm")
        kazan = make_city(name="Kazan")
        quiet = make_city(name="Quietville", country="FR")
        sister = make_agreement(
            home_party=home,
            partner=voronezh,
            signed_on=D(2003, 3, 1),
            term_years=20,
            renewal_due_on=D(2023, 3, 1),
        )
        make_agreement(
            home_party=home, partner=voronezh, kind="memorandum", signed_on=None
        )
        make_agreement(home_party=home, partner=minsk, signed_on=D(2000, 2, 29))
        make_agreement(home_party=yuzhong, partner=perm, signed_on=D(2013, 7, 1))
        make_agreement(home_party=home, partner=quiet, signed_on=D(1990, 1, 1))
        lukin = make_person(name="Сергей Лукин")
        make_visit(
            home_party=home,
            partner_city=voronezh,
            start_date=D(2023, 5, 14),
            end_date=D(2023, 5, 17),
            title='=HYPERLINK("http://evil")',
            purpose="Talks on trade, culture, education and the 2024 exhibition "
            "in both cities",
            outcomes="第一，签署了合作备忘录。\n第二，同意互派留学生和教师。",
            public_summary="Bell\x07 in the text",
            members=[
                {"person": lukin, "title_at_time": "Председатель Думы", "role": "head"},
                ("副市长", "member"),
                ("Deputy head of the international department", "deputy"),
            ],
            sectors=["economy", "culture", "education"],
            internal_notes="SECRET NOTE",
        )
        make_visit(
            home_party=yuzhong,
            partner_city=voronezh,
            direction=Direction.OUTBOUND,
            start_date=D(2023, 9, 1),
            title="",
            sectors=["culture"],
        )
        make_visit(
            home_party=home,
            partner_city=minsk,
            start_date=D(2022, 12, 30),
            end_date=D(2023, 1, 2),
            title="New year across the years",
            status="planned",
        )
        make_visit(home_party=home, partner_city=kazan, start_date=D(2023, 6, 6))
        make_visit(home_party=home, partner_city=perm, start_date=D(2023, 7, 7))
        make_visit(home_party=home, partner_city=perm, start_date=None)
        steel = FocusArea.objects.create(
            name="Steel", name_zh_hans="钢铁", name_ru="Сталь"
        )
        ports = FocusArea.objects.create(name="Inland ports")
        hospital = make_collaboration(
            agreement=sister,
            sector="healthcare",
            title="Hospital pairing",
            started_on=D(2019, 1, 1),
            participants=[
                make_institution(name="Chongqing Medical University", city=home),
                make_institution(
                    name="Voronezh State Medical University", city=voronezh
                ),
                make_institution(name="Voronezh Regional Hospital", city=voronezh),
            ],
        )
        hospital.focus_areas.set([steel, ports])
        CollaborationParticipant.objects.create(
            collaboration=hospital, side="partner", description="Local news agencies"
        )
        make_activity(collaboration=hospital, start_date=D(2023, 4, 1))
        make_activity(collaboration=hospital, start_date=D(2023, 8, 1))
        make_activity(collaboration=hospital, start_date=D(2021, 8, 1))
        make_collaboration(
            agreement=sister,
            sector="economy",
            title="Trade fair",
            started_on=None,
            ended_on=D(2023, 2, 1),
            status="completed",
        )
        make_collaboration(
            agreement=sister, sector="economy", title="Planned one", status="planned"
        )

    def dump(self, language):
        with translation.override(language):
            return everything(
                build_report(ReportFilter(FIRST, LAST, today=D(2024, 1, 15))).getvalue()
            )

    def test_every_cell_as_before(self):
        for language in ("en", "zh-hans"):
            with self.subTest(language=language):
                self.assertEqual(self.dump(language), EXPECTED[language])


class ReportFormulaTextTests(TestCase):
    """Formula-like text is text with Excel's quote prefix, in its cell's style."""

    @classmethod
    def setUpTestData(cls):
        make_home()
        voronezh = make_city(name="Voronezh")
        agreement = make_agreement(partner=voronezh, signed_on=D(2003, 3, 1))
        make_visit(
            partner_city=voronezh,
            start_date=D(2023, 5, 14),
            title="=1+1",
            purpose="+cmd|' /C calc'!A0, or any purpose long enough to be wrapped",
            outcomes="Signed a memorandum",
            public_summary="-5 degrees in Voronezh",
        )
        make_visit(
            partner_city=voronezh, start_date=D(2023, 6, 1), title="Friendship week"
        )
        make_collaboration(
            agreement=agreement, title="@SUM(A1:A9)", started_on=D(2019, 1, 1)
        )

    def test_formula_like_text_is_quoted_and_only_it(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        quoted = {
            (sheet.title, cell.coordinate)
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.quotePrefix
        }
        self.assertEqual(
            quoted,
            {
                ("Visits", "F2"),
                ("Visits", "J2"),
                ("Visits", "L2"),
                ("Collaborations", "C2"),
            },
        )
        visits = book["Visits"]
        self.assertEqual(visits["F1"].value, "Title")
        self.assertEqual([visits["F2"].value, visits["F2"].data_type], ["=1+1", "s"])
        self.assertEqual(book["Collaborations"]["C2"].value, "@SUM(A1:A9)")
        self.assertEqual(visits["F3"].value, "Friendship week")

    def test_the_quoted_cell_keeps_its_style(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        visits = book["Visits"]
        title, plain, purpose = visits["F2"], visits["F3"], visits["J2"]
        for cell in (title, plain, purpose):
            self.assertEqual((cell.font.name, cell.font.sz), ("Arial", 10))
            self.assertEqual(cell.alignment.vertical, "top")
        self.assertFalse(title.alignment.wrap_text)
        # Long formula-like text: quote prefix and wrap together.
        self.assertTrue(purpose.alignment.wrap_text)
        self.assertTrue(purpose.quotePrefix)
        self.assertEqual(purpose.data_type, "s")


class ReportVisitCountTests(TestCase):
    """Each completed visit in the period is counted once, on its own parties' row."""

    @classmethod
    def setUpTestData(cls):
        home = make_home()
        yuzhong = make_district(name="Yuzhong")
        voronezh = make_city(name="Voronezh")
        make_agreement(home_party=home, partner=voronezh)
        make_agreement(home_party=home, partner=voronezh, kind="memorandum")
        make_agreement(home_party=yuzhong, partner=voronezh)
        day = D(2023, 5, 14)
        make_visit(home_party=home, partner_city=voronezh, start_date=day)
        make_visit(
            home_party=yuzhong,
            partner_city=voronezh,
            direction=Direction.OUTBOUND,
            start_date=day,
        )
        make_visit(
            home_party=home, partner_city=voronezh, start_date=day, status="cancelled"
        )
        make_visit(
            home_party=home,
            partner_city=voronezh,
            direction=Direction.OUTBOUND,
            start_date=day,
            status="planned",
        )
        # A partner with no agreement: its visit still counts in the total.
        make_visit(
            home_party=home, partner_city=make_city(name="Minsk"), start_date=day
        )

    def test_visits_counted_once_per_pair_and_only_completed(self):
        _data, book = workbook(ReportFilter(FIRST, LAST))
        sheet = book["Summary"]
        self.assertEqual(sheet["J3"].value, "Inbound visits (completed)")
        summary = rows(sheet, 4)
        by_row = {(row[0], row[4], row[5]): row[9:11] for row in summary}
        self.assertEqual(
            by_row[("Voronezh", "Chongqing", "Memorandum of cooperation")], [1, 0]
        )
        self.assertEqual(by_row[("Voronezh", "Chongqing", "Sister city")], [None, None])
        self.assertEqual(by_row[("Voronezh", "Yuzhong", "Sister city")], [0, 1])
        other = [row for row in summary if row[0].startswith("Visits with no")]
        self.assertEqual(other[0][9:11], [1, 0])
        self.assertEqual(summary[-1][0], "Total")
        self.assertEqual(summary[-1][9:11], [2, 1])
        self.assertEqual(book["Chart"]["B1"].value, "Inbound visits (completed)")
        self.assertEqual(rows(book["Chart"], 2), [["Voronezh", 1, 1]])


class ExportReportCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_agreement(partner=make_city(name="Voronezh"))

    def test_writes_the_workbook(self):
        path = Path(tempfile.mkdtemp()) / "report.xlsx"
        call_command(
            "export_report",
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
            "--output",
            str(path),
            "--partner",
            "Voronezh",
            "--sector",
            "economy",
            stdout=io.StringIO(),
        )
        book = openpyxl.load_workbook(path)
        self.assertEqual(book["Summary"]["A4"].value, "Voronezh")

    def test_bad_arguments_are_clear_errors(self):
        path = str(Path(tempfile.mkdtemp()) / "report.xlsx")
        cases = (
            (["--from", "03/04/2023", "--to", "2023-12-31"], "YYYY-MM-DD"),
            (["--from", "2023-12-31", "--to", "2023-01-01"], "after"),
            (["--from", "2023-01-01", "--to", "2023-12-31", "--sector", "x"], "sector"),
        )
        for args, message in cases:
            with (
                self.subTest(args=args),
                self.assertRaisesMessage(CommandError, message),
            ):
                call_command("export_report", *args, "--output", path)


class CollaborationDatesAsKnownReportTests(TestCase):
    """The Collaborations sheet writes each date as precisely as it is known."""

    @classmethod
    def setUpTestData(cls):
        make_home()
        cls.kept = make_collaboration(
            title="River ports",
            started_on=D(2019, 1, 1),
            started_precision="year",
            ended_on=D(2024, 3, 1),
            ended_precision="month",
        )

    def collaborations(self, first, last):
        _data, book = workbook(ReportFilter(first, last))
        sheet = book.worksheets[
            [ws.title for ws in book.worksheets].index("Collaborations")
        ]
        return [row for row in rows(sheet, 1) if "River ports" in row]

    def test_dates_as_known_and_an_end_known_to_the_month_reaches_its_last_day(self):
        found = self.collaborations(D(2024, 3, 10), D(2024, 3, 31))
        self.assertEqual(len(found), 1)
        self.assertIn("2019", found[0])
        self.assertIn("March 2024", found[0])
        self.assertEqual(self.collaborations(D(2024, 4, 1), D(2024, 4, 30)), [])
