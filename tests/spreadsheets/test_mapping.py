"""The office's own column names matched to the list's, saved and used again."""

import io
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.management import CommandError, call_command
from django.test import TestCase

from partnerships.models import ColumnMapping, Visit
from partnerships.spreadsheets import mapping
from partnerships.spreadsheets.mapping import NeedsMapping
from partnerships.spreadsheets.reading import SpreadsheetError, read_table
from partnerships.spreadsheets.resources import VisitResource
from tests.factories import make_city, make_home, make_user

#: The office's own sheet: a running number, its own names.
OFFICE_FILE = (
    "序号,来访/出访,本方,外方城市,国家,日期,团长及职务\n"
    "1,来访,Chongqing,Voronezh,Russia,2024年3月5日,"
    "Head of delegation: Ivan Petrov — Mayor\n"
    "2,出访,Chongqing,Voronezh,Russia,2024年5月,"
    "Head of delegation: Li Wei — Vice Mayor\n"
)
OFFICE_COLUMNS = {
    "序号": "",
    "来访/出访": "direction",
    "本方": "home_party",
    "外方城市": "partner_city",
    "国家": "partner_city__country",
    "日期": "start_date",
    "团长及职务": "delegation",
}


def office_dataset(text=OFFICE_FILE):
    return read_table(text.encode(), "来访.csv")


class MappingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.clerk = make_user("mapping-clerk")

    def test_unknown_names_ask_for_a_mapping_with_three_values_each(self):
        result = VisitResource().import_data(office_dataset(), dry_run=True)
        [error] = result.base_errors
        self.assertIsInstance(error.error, NeedsMapping)
        self.assertEqual(error.error.headers[:2], ["序号", "来访/出访"])
        self.assertEqual(error.error.samples["日期"], ["2024年3月5日", "2024年5月"])

    def test_a_mapped_file_imports_like_one_with_our_names(self):
        result = VisitResource().import_data(office_dataset(), mapping=OFFICE_COLUMNS)
        self.assertFalse(result.has_validation_errors(), result.problems())
        self.assertFalse(result.has_errors(), result.problems())
        visits = Visit.objects.order_by("start_date")
        self.assertEqual(
            [(v.direction, v.date_precision) for v in visits],
            [("inbound", "day"), ("outbound", "month")],
        )
        self.assertEqual(visits[1].members.get().title_at_time, "Vice Mayor")

    def test_our_own_names_are_proposed_and_a_saved_mapping_comes_back(self):
        resource = VisitResource()
        headers = office_dataset().headers
        saved, columns = mapping.proposal(resource, [*headers[:3], "Partner city"])
        self.assertIsNone(saved)
        self.assertEqual(columns["Partner city"], "partner_city")
        self.assertEqual(columns["序号"], "")
        mapping.save(resource, "Office visits", headers, OFFICE_COLUMNS, self.clerk)
        # The same names in another order and spacing: the same file.
        others = [h for h in reversed(headers) if h != "日期"]
        saved, columns = mapping.proposal(resource, [" 日期 ", *others])
        self.assertEqual(saved.name, "Office visits")
        self.assertEqual(saved.created_by, self.clerk)
        self.assertEqual(columns["来访/出访"], "direction")

    def test_two_columns_matched_to_one_are_refused(self):
        columns = {**OFFICE_COLUMNS, "序号": "direction"}
        with self.assertRaisesMessage(SpreadsheetError, "“序号”, “来访/出访”"):
            mapping.apply(office_dataset(), VisitResource(), columns)

    def test_a_mapping_saved_for_other_names_says_which_it_lacks(self):
        columns = dict(OFFICE_COLUMNS)
        del columns["团长及职务"]
        with self.assertRaisesMessage(SpreadsheetError, "“团长及职务”"):
            mapping.apply(office_dataset(), VisitResource(), columns)


class MappingCommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        mapping.save(
            VisitResource(), "Office visits", office_dataset().headers, OFFICE_COLUMNS
        )

    def run_import(self, *args):
        with TemporaryDirectory() as folder:
            path = Path(folder) / "来访.csv"
            path.write_text(OFFICE_FILE, encoding="utf-8")
            err = io.StringIO()
            try:
                call_command("import", "visits", str(path), *args, stderr=err)
            finally:
                self.stderr = err.getvalue()

    def test_the_command_takes_a_saved_mapping_by_name(self):
        self.run_import("--mapping", "Office visits")
        self.assertEqual(Visit.objects.count(), 2)

    def test_without_it_the_command_says_how_to_map(self):
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            self.run_import()
        self.assertIn("--mapping NAME", self.stderr)
        self.assertFalse(Visit.objects.exists())

    def test_an_unknown_mapping_lists_the_saved_ones(self):
        with self.assertRaisesMessage(CommandError, "Saved: “Office visits”"):
            self.run_import("--mapping", "Partner visits")
        self.assertEqual(ColumnMapping.objects.count(), 1)
