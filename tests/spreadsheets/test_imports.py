"""Imports outside the admin (partnerships/spreadsheets/imports.py), as the import
command runs them; the command's messages are tested in test_resources.py
(CommandTests)."""

import io
import sys
import tempfile
from pathlib import Path
from unittest import mock

from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from partnerships.models import Visit
from partnerships.spreadsheets.imports import (
    describe_errors,
    import_file,
    read_file,
    read_stream,
)
from partnerships.spreadsheets.reading import SpreadsheetError
from partnerships.spreadsheets.resources import VisitResource
from tests.factories import make_city, make_home, make_user
from tests.spreadsheets.test_resources import VISIT_HEADER

GOOD_ROW = "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"


class ImportFileTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")

    def test_a_dry_run_checks_and_writes_nothing(self):
        data = (VISIT_HEADER + GOOD_ROW).encode()
        result = import_file(VisitResource, data, "visits.csv", dry_run=True)
        self.assertFalse(result.has_errors() or result.has_validation_errors())
        self.assertEqual(result.totals["new"], 1)
        self.assertFalse(Visit.objects.exists())

    def test_the_importer_is_in_the_history(self):
        user = make_user("file-importer")
        data = (VISIT_HEADER + GOOD_ROW).encode()
        import_file(VisitResource, data, "visits.csv", user=user)
        self.assertEqual(Visit.history.get().history_user, user)

    def test_bad_rows_are_described_and_nothing_is_written(self):
        data = (VISIT_HEADER + GOOD_ROW.replace("Voronezh", "Atlantis")).encode()
        result = import_file(VisitResource, data, "visits.csv")
        self.assertTrue(result.has_validation_errors())
        [line] = describe_errors(result)
        self.assertTrue(line.startswith("Row 2, column “Partner city”: "))
        self.assertIn("Atlantis", line)
        self.assertFalse(Visit.objects.exists())

    def test_a_file_that_is_no_spreadsheet_is_refused(self):
        with self.assertRaises(SpreadsheetError):
            import_file(VisitResource, b"%PDF-1.7", "visits.pdf")

    @override_settings(PARTNERSHIPS_IMPORT_MAX_BYTES=100)
    def test_a_file_too_big_is_refused_before_it_is_read(self):
        path = Path(tempfile.mkdtemp()) / "visits.csv"
        path.write_bytes((VISIT_HEADER + GOOD_ROW * 5).encode())
        with (
            mock.patch.object(Path, "read_bytes") as read_bytes,
            self.assertRaises(SpreadsheetError),
        ):
            read_file(path)
        read_bytes.assert_not_called()

    @override_settings(PARTNERSHIPS_IMPORT_MAX_BYTES=100)
    def test_a_stream_is_read_one_byte_past_the_limit(self):
        self.assertEqual(len(read_stream(io.BytesIO(b"x" * 500))), 101)

    def test_the_command_imports_standard_input(self):
        stdin = io.TextIOWrapper(io.BytesIO((VISIT_HEADER + GOOD_ROW).encode()))
        out = io.StringIO()
        with mock.patch.object(sys, "stdin", stdin):
            call_command("import", "visits", "-", format="csv", stdout=out)
        self.assertIn("Imported: 1 new", out.getvalue())
        self.assertTrue(Visit.objects.exists())

    @override_settings(PARTNERSHIPS_IMPORT_MAX_BYTES=100)
    def test_the_command_refuses_a_file_too_big_with_a_clear_error(self):
        path = Path(tempfile.mkdtemp()) / "visits.csv"
        path.write_bytes((VISIT_HEADER + GOOD_ROW * 5).encode())
        with self.assertRaisesMessage(CommandError, "cannot be imported"):
            call_command("import", "visits", str(path))
        self.assertFalse(Visit.objects.exists())
