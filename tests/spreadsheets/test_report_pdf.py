"""The period report as PDF, through LibreOffice when it is installed."""

import datetime
import io
import re
import shutil
import stat
import tempfile
import time
import unittest
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase, override_settings

from partnerships.spreadsheets import pdf
from partnerships.spreadsheets.reports import ReportFilter, build_report
from tests.factories import make_agreement, make_city, make_home, make_visit

D = datetime.date
SOFFICE = shutil.which("soffice")


def fake_program(folder, body):
    """A stand-in for soffice: a shell script doing ``body`` (its arguments in $@)."""
    program = Path(folder) / "fake-soffice"
    program.write_text(f"#!/bin/sh\n{body}\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return str(program)


class ConversionTests(SimpleTestCase):
    def setUp(self):
        self.folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.folder)

    def test_the_program_gets_its_own_profile_and_leaves_nothing_behind(self):
        seen = Path(self.folder) / "arguments"
        # Writes the PDF where it is asked to, as soffice does.
        program = fake_program(
            self.folder,
            f'printf "%s\\n" "$@" > {seen}\n'
            'for last; do :; done\nout=""; prev=""\n'
            'for arg; do [ "$prev" = "--outdir" ] && out="$arg"; prev="$arg"; done\n'
            'mkdir -p "$out"; name=$(basename "$last" .xlsx)\n'
            'printf "%%PDF-1.7 fake" > "$out/$name.pdf"',
        )
        before = set(Path(tempfile.gettempdir()).glob("partnerships-pdf-*"))
        with override_settings(PARTNERSHIPS_SOFFICE=program):
            self.assertEqual(pdf.xlsx_to_pdf(b"workbook"), b"%PDF-1.7 fake")
        arguments = seen.read_text().splitlines()
        self.assertTrue(arguments[0].startswith("-env:UserInstallation=file:///"))
        self.assertIn("--headless", arguments)
        self.assertEqual(arguments[arguments.index("--convert-to") + 1], "pdf")
        after = set(Path(tempfile.gettempdir()).glob("partnerships-pdf-*"))
        self.assertEqual(after, before)

    def test_a_failure_or_a_timeout_is_an_error_not_a_hang(self):
        failing = fake_program(self.folder, "exit 3")
        with (
            override_settings(PARTNERSHIPS_SOFFICE=failing),
            self.assertRaisesMessage(pdf.ConversionFailed, "could not make the PDF"),
        ):
            pdf.xlsx_to_pdf(b"workbook")
        # A child that outlives its parent is stopped with it.
        slow = fake_program(self.folder, "sleep 30 &\nsleep 30")
        started = time.monotonic()
        with (
            override_settings(
                PARTNERSHIPS_SOFFICE=slow, PARTNERSHIPS_PDF_TIMEOUT_SECONDS=1
            ),
            self.assertRaisesMessage(pdf.ConversionFailed, "longer than 1 seconds"),
        ):
            pdf.xlsx_to_pdf(b"workbook")
        self.assertLess(time.monotonic() - started, 10)

    def test_no_program_no_pdf(self):
        with (
            mock.patch("partnerships.spreadsheets.pdf.shutil.which", return_value=None),
            self.assertRaises(pdf.ConversionFailed),
        ):
            self.assertIsNone(pdf.soffice())
            pdf.xlsx_to_pdf(b"workbook")


class PdfCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        voronezh = make_city(name="Voronezh")
        make_agreement(partner=voronezh)
        make_visit(partner_city=voronezh, start_date=D(2023, 5, 14))

    def export(self, *args):
        return call_command(
            "export_report",
            "--from",
            "2023-01-01",
            "--to",
            "2023-12-31",
            *args,
            stdout=io.StringIO(),
        )

    def test_without_libreoffice_the_command_says_so(self):
        with (
            mock.patch("partnerships.spreadsheets.pdf.shutil.which", return_value=None),
            self.assertRaisesMessage(CommandError, "LibreOffice"),
        ):
            self.export("--format", "pdf", "--output", "report.pdf")
        with self.assertRaisesMessage(CommandError, "must end in .pdf"):
            self.export("--format", "pdf", "--output", "report.xlsx")

    @unittest.skipIf(SOFFICE is None, "LibreOffice (soffice) is not installed")
    def test_the_report_as_pdf(self):
        path = Path(tempfile.mkdtemp()) / "report.pdf"
        self.addCleanup(shutil.rmtree, path.parent)
        self.export("--format", "pdf", "--output", str(path), "--language", "zh-hans")
        data = path.read_bytes()
        self.assertTrue(data.startswith(b"%PDF"))
        # A page at least for each of the six sheets.
        self.assertGreaterEqual(len(re.findall(rb"/Type\s*/Page\b(?!s)", data)), 6)

    @unittest.skipIf(SOFFICE is None, "LibreOffice (soffice) is not installed")
    def test_the_same_workbook_converts(self):
        data = build_report(ReportFilter(D(2023, 1, 1), D(2023, 12, 31))).getvalue()
        self.assertTrue(pdf.xlsx_to_pdf(data).startswith(b"%PDF"))
