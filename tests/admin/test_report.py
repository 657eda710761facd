"""The period report's page: who may open it, the periods offered, XLSX and PDF."""

import datetime
import io
import shutil
import unittest
from unittest import mock

import openpyxl
from django.contrib.auth.models import Permission
from django.test import SimpleTestCase, TestCase
from django.urls import reverse

from partnerships.admin.report import ReportForm
from partnerships.spreadsheets.pdf import ConversionFailed
from partnerships.spreadsheets.reports.periods import PERIODS, period_bounds
from tests.factories import make_agreement, make_city, make_user

D = datetime.date
# A Wednesday in the year's first quarter, and one in its last month.
WINTER, DECEMBER = D(2026, 2, 11), D(2026, 12, 3)
WHICH = "partnerships.spreadsheets.pdf.shutil.which"
SOFFICE = shutil.which("soffice")


class PeriodTests(SimpleTestCase):
    def test_each_period_around_a_fixed_day(self):
        expected = {
            WINTER: {
                "this_year": (D(2026, 1, 1), D(2026, 12, 31)),
                "last_year": (D(2025, 1, 1), D(2025, 12, 31)),
                "this_quarter": (D(2026, 1, 1), D(2026, 3, 31)),
                "last_quarter": (D(2025, 10, 1), D(2025, 12, 31)),
                "this_month": (D(2026, 2, 1), D(2026, 2, 28)),
            },
            DECEMBER: {
                "this_year": (D(2026, 1, 1), D(2026, 12, 31)),
                "last_year": (D(2025, 1, 1), D(2025, 12, 31)),
                "this_quarter": (D(2026, 10, 1), D(2026, 12, 31)),
                "last_quarter": (D(2026, 7, 1), D(2026, 9, 30)),
                "this_month": (D(2026, 12, 1), D(2026, 12, 31)),
            },
        }
        for today, periods in expected.items():
            for period, bounds in periods.items():
                with self.subTest(today=today, period=period):
                    self.assertEqual(period_bounds(period, today), bounds)
        self.assertEqual(
            [value for value, _label in PERIODS],
            [*expected[WINTER], "custom"],
        )


class ReportFormTests(TestCase):
    def form(self, today=DECEMBER, **data):
        return ReportForm({"language": "en", **data}, today=today)

    def test_it_defaults_to_this_year(self):
        with mock.patch("django.utils.timezone.localdate", return_value=DECEMBER):
            form = ReportForm()
        self.assertEqual(form.fields["period"].initial, "this_year")
        self.assertEqual(form.fields["first"].initial, D(2026, 1, 1))
        self.assertEqual(form.fields["last"].initial, D(2026, 12, 31))

    def test_each_named_period_reads_no_dates(self):
        for period in ("this_year", "last_year", "this_quarter", "last_quarter"):
            with self.subTest(period=period):
                form = self.form(today=WINTER, period=period, first="not a date")
                self.assertTrue(form.is_valid(), form.errors)
                self.assertEqual(
                    (form.cleaned_data["first"], form.cleaned_data["last"]),
                    period_bounds(period, WINTER),
                )
        form = self.form(period="this_month")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["first"], D(2026, 12, 1))

    def test_a_custom_period_needs_both_dates_in_order(self):
        form = self.form(period="custom", first="2023-02-01", last="2023-03-15")
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["last"], D(2023, 3, 15))
        form = self.form(period="custom", first="2023-02-01")
        self.assertFalse(form.is_valid())
        self.assertIn("last", form.errors)
        form = self.form(period="custom", first="2023-12-31", last="2023-01-01")
        self.assertIn("ends before it begins", str(form.errors["last"]))


class ReportPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_agreement(partner=make_city(name="Voronezh"))
        cls.official = make_user("official", first_name="Fang", last_name="Wang")
        cls.official.user_permissions.add(
            Permission.objects.get(codename="view_report")
        )
        cls.clerk = make_user("clerk")
        cls.url = reverse("admin:report")

    def post(self, **data):
        fields = {
            "period": "custom",
            "first": "2023-01-01",
            "last": "2023-12-31",
            "language": "en",
        }
        return self.client.post(self.url, {**fields, **data})

    def test_only_users_with_the_report_permission(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.post().status_code, 403)

    def test_an_official_downloads_the_report(self):
        self.client.force_login(self.official)
        response = self.client.get(self.url)
        self.assertContains(response, "Voronezh")
        self.assertEqual(response.context["form"]["period"].value(), "this_year")
        response = self.post()
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "partnerships-report-2023-01-01-2023-12-31.xlsx",
            response["Content-Disposition"],
        )
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames[0], "Cover")
        self.assertEqual(book["Summary"]["A4"].value, "Voronezh")
        cover = [value for row in book["Cover"].values for value in row]
        self.assertIn("Fang Wang", cover)

    def test_the_report_in_the_language_chosen(self):
        self.client.force_login(self.official)
        response = self.post(language="zh-hans")
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertIn("访问", book.sheetnames)
        self.assertEqual(book.worksheets[0]["A1"].value, "重庆市人民政府外事办公室")

    def test_a_bad_period_is_explained(self):
        self.client.force_login(self.official)
        response = self.post(first="2023-12-31", last="2023-01-01")
        self.assertContains(response, "ends before it begins")
        response = self.post(first="31/12/2023", last="2024-01-01")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors["first"])

    def test_the_pdf_button_is_hidden_with_a_note_without_libreoffice(self):
        self.client.force_login(self.official)
        with mock.patch(WHICH, return_value=None):
            response = self.client.get(self.url)
            self.assertNotContains(response, 'value="pdf"')
            self.assertContains(response, "LibreOffice is not installed")
            # A crafted request for a PDF is refused, not a server error.
            response = self.post(format="pdf")
            self.assertContains(response, "No PDF")
        with mock.patch(WHICH, return_value="/usr/bin/soffice"):
            response = self.client.get(self.url)
            self.assertContains(response, 'value="pdf"')
            self.assertNotContains(response, "LibreOffice is not installed")

    def test_a_failed_conversion_is_explained(self):
        self.client.force_login(self.official)
        with (
            mock.patch(WHICH, return_value="/usr/bin/soffice"),
            mock.patch(
                "partnerships.spreadsheets.pdf.xlsx_to_pdf",
                side_effect=ConversionFailed("LibreOffice took too long"),
            ),
        ):
            response = self.post(format="pdf")
        self.assertContains(response, "No PDF: LibreOffice took too long")

    @unittest.skipIf(SOFFICE is None, "LibreOffice (soffice) is not installed")
    def test_an_official_downloads_the_pdf(self):
        self.client.force_login(self.official)
        response = self.post(format="pdf")
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn(
            "partnerships-report-2023-01-01-2023-12-31.pdf",
            response["Content-Disposition"],
        )
        self.assertTrue(response.content.startswith(b"%PDF"))
