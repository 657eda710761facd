"""The official's journey: choose a period on the report page, download the
workbook, and find the visit in it."""

import datetime

from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from partnerships.accounts.roles import OFFICIAL, setup_roles
from partnerships.models import City
from partnerships.models.choices import Direction
from tests.e2e.helpers import BrowserTestCase
from tests.factories import make_head, make_user, make_visit

TITLE = "Voronezh City Duma delegation on hospital and university exchanges"
HEAD = "Chairman of the Voronezh City Duma"
MEMBER = "Rector of Voronezh State University"
INTERNAL_NOTE = "Budget for the return visit not yet approved (office only)"


def sheet_rows(sheet):
    return [
        ["" if value is None else value for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def table(rows, first_header):
    """The header row (the one starting with ``first_header``) and the rows below."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    header = [str(cell) for cell in rows[start]]
    return [dict(zip(header, row, strict=False)) for row in rows[start + 1 :]]


def column(rows, start):
    """The one column whose name begins with ``start``."""
    (name,) = [name for name in rows[0] if name.startswith(start)]
    return name


class OfficialJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        setup_roles()
        make_user("official", groups=[OFFICIAL])
        self.today = timezone.localdate()
        voronezh = City.objects.get(slug="voronezh")
        visit = make_visit(
            partner_city=voronezh,
            direction=Direction.INBOUND,
            start_date=self.today,
            end_date=self.today,
            title=TITLE,
            sectors=["healthcare", "education"],
            members=[(MEMBER, "member")],
            internal_notes=INTERNAL_NOTE,
            published=False,
        )
        make_head(visit, title=HEAD)
        # Outside the period: it must not be counted.
        make_visit(
            partner_city=voronezh,
            direction=Direction.OUTBOUND,
            start_date=datetime.date(2010, 5, 14),
            title="Chongqing delegation to Voronezh, 2010",
            head_unrecorded=True,
        )

    def test_official_downloads_the_period_report(self):
        page = self.page
        self.log_in("official")
        expect(page.locator("#user-tools")).to_contain_text("official")
        self.shot("admin for an official")

        page.get_by_role("link", name="Period report").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Period report")
        first = datetime.date(self.today.year, 1, 1)
        last = datetime.date(self.today.year, 12, 31)
        page.locator("#id_first").fill(first.isoformat())
        page.locator("#id_last").fill(last.isoformat())
        self.shot("period chosen")
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download the report (XLSX)").click()
        download = download_info.value
        self.assertIsNone(download.failure())
        self.assertEqual(
            download.suggested_filename,
            f"partnerships-report-{first.isoformat()}-{last.isoformat()}.xlsx",
        )
        # Kept beside the screenshots, for a person to open.
        saved = self.artifacts / download.suggested_filename
        download.save_as(saved)
        workbook = load_workbook(saved, read_only=True)
        self.addCleanup(workbook.close)
        self.assertIn("Summary", workbook.sheetnames)
        self.assertIn("Visits", workbook.sheetnames)

        visits = table(sheet_rows(workbook["Visits"]), "Start date")
        self.assertEqual(
            [row["Title"] for row in visits], [TITLE], "only the visit in the period"
        )
        visit = visits[0]
        self.assertEqual(visit["Partner city"], "Voronezh")
        self.assertEqual(visit["Direction"], "Inbound (partner to home)")
        start = visit["Start date"]
        start = start.date() if isinstance(start, datetime.datetime) else start
        self.assertEqual(start, self.today)
        self.assertIn(HEAD, visit["Delegation"])
        self.assertIn(MEMBER, visit["Delegation"])
        self.assertIn("Healthcare", visit["Sectors"])
        self.assertIn("Education", visit["Sectors"])

        summary = table(sheet_rows(workbook["Summary"]), "Partner city")
        # "Inbound visits", perhaps with a note such as "(completed)".
        inbound = column(summary, "Inbound visits")
        outbound = column(summary, "Outbound visits")
        voronezh = next(row for row in summary if row["Partner city"] == "Voronezh")
        self.assertEqual((voronezh[inbound], voronezh[outbound]), (1, 0))
        total = next(row for row in summary if row["Partner city"] == "Total")
        self.assertEqual((total[inbound], total[outbound]), (1, 0))

        # Internal notes stay in the office.
        for sheet in workbook.worksheets:
            for row in sheet_rows(sheet):
                self.assertNotIn(INTERNAL_NOTE, " ".join(map(str, row)), sheet.title)
        self.shot("after the download")
