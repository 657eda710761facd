"""Import templates: a list's columns in the reader's language, an example row the
import passes by, drop-down lists, instructions; filled in, they import."""

import io
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import openpyxl
from django.core.management import call_command
from django.test import TestCase
from django.utils import translation
from openpyxl.utils import range_boundaries

from partnerships.models import Activity, Agreement, City, Visit
from partnerships.models.choices import DelegationLevel, Direction, VisitStatus
from partnerships.spreadsheets.example_rows import (
    SIGN,
    Context,
    example_values,
    is_example_row,
)
from partnerships.spreadsheets.imports import import_file
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import RESOURCE_ORDER, VisitResource
from partnerships.spreadsheets.templates import template_fields, write_template
from tests.factories import make_user

# What an export writes beside each date, and what only old files have: columns
# of the resources' import fields that no one should fill in.
NOT_FILLED_IN = (
    "Start day (exact dates only)",
    "End day (exact dates only)",
    "Started on (exact day)",
    "Ended on (exact day)",
    "Date precision",
)


def open_book(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def headers_of(data):
    return [cell.value for cell in open_book(data).worksheets[0][1]]


def dropdowns(data):
    """``{column name: the values its drop-down offers}`` of the first sheet."""
    book = open_book(data)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        source = validation.formula1
        if source.startswith('"'):
            values = source.strip('"').split(",")
        else:
            title, cells = source.lstrip("=").rsplit("!", 1)
            lists = book[title.strip("'").replace("''", "'")]
            first, top, _last, bottom = range_boundaries(cells.replace("$", ""))
            values = [
                lists.cell(row=row, column=first).value
                for row in range(top, bottom + 1)
            ]
        for area in str(validation.sqref).split():
            low, first_row, high, _last_row = range_boundaries(area)
            assert first_row == 3, "drop-downs start below the example"
            for column in range(low, high + 1):
                found[headers[column - 1]] = values
    return found


def fill(data, rows):
    """The template with ``rows`` (``{column name: value}``) below the example."""
    book = open_book(data)
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for number, values in enumerate(rows, start=3):
        for name, value in values.items():
            sheet.cell(row=number, column=headers.index(name) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def named(values, resource_class=VisitResource):
    """``values`` by field name as ``{column name: value}`` in the active language."""
    fields = resource_class().fields
    return {str(fields[name].column_name): value for name, value in values.items()}


def imported(data, user, name="filled.xlsx", dry_run=False):
    """The command line's import of the file; asserts it is valid."""
    result = import_file(VisitResource, data, name, user=user, dry_run=dry_run)
    assert not result.has_errors(), [e.error for e in result.base_errors]
    assert not result.has_validation_errors(), [
        row.error_dict for row in result.invalid_rows
    ]
    return result


class TemplateTests(TestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("template-admin", is_superuser=True)

    def test_the_headers_are_the_import_columns_in_the_readers_language(self):
        for language in ("en", "zh-hans", "ru"):
            for resource_class in RESOURCE_ORDER:
                with (
                    self.subTest(language, resource=resource_class.__name__),
                    translation.override(language),
                ):
                    skipped = {str(translation.gettext(n)) for n in NOT_FILLED_IN}
                    expected = [
                        name
                        for name in resource_class().column_names()
                        if name not in skipped
                    ]
                    self.assertEqual(
                        headers_of(write_template(resource_class)), expected
                    )
        with translation.override("zh-hans"):
            headers = headers_of(write_template(VisitResource))
        self.assertIn("伙伴城市", headers)
        self.assertIn("标题 (中文)", headers)

    def test_the_data_sheet_is_first_and_active_and_the_lists_are_hidden(self):
        book = open_book(write_template(VisitResource))
        self.assertEqual(book.sheetnames, ["Visits", "Instructions", "Lists"])
        self.assertEqual(book.active.title, "Visits")
        self.assertEqual(
            [sheet.sheet_state for sheet in book.worksheets],
            ["visible", "visible", "hidden"],
        )
        # What the import reads of it: the example row only, passed by.
        dataset = read_table(write_template(VisitResource), "visits.xlsx")
        self.assertEqual(len(dataset), 1)
        self.assertTrue(str(dataset[0][0]).startswith(SIGN))

    def test_choice_sector_country_and_city_columns_have_drop_downs(self):
        lists = dropdowns(write_template(VisitResource))
        self.assertEqual(
            set(lists),
            {
                "Direction",
                "Home party",
                "Home party country",
                "Partner city",
                "Partner country",
                "Status",
                "Head of delegation not recorded",
                "Level of the head of delegation",
                "Sectors",
                "Published",
            },
        )
        self.assertEqual(lists["Direction"], [str(d.label) for d in Direction])
        self.assertEqual(lists["Status"], [str(s.label) for s in VisitStatus])
        self.assertEqual(lists["Published"], ["yes", "no"])
        self.assertEqual(
            lists["Level of the head of delegation"],
            [str(level.label) for level in DelegationLevel],
        )
        self.assertEqual(lists["Home party"], ["Chongqing"])
        self.assertEqual(lists["Partner city"], ["Voronezh"])
        self.assertIn("Russia", lists["Partner country"])
        self.assertIn("Healthcare", lists["Sectors"])
        collaborations = dropdowns(write_template(RESOURCE_ORDER[4]))
        for column in ("Sector", "Home party", "Partner city", "Agreement kind"):
            self.assertIn(column, collaborations)
        with translation.override("zh-hans"):
            lists = dropdowns(write_template(VisitResource))
        self.assertEqual(lists["伙伴城市"], ["沃罗涅日"])
        self.assertIn("医疗卫生", lists["领域"])
        self.assertIn("俄罗斯", lists["伙伴城市所在国家"])

    def test_the_instructions_are_in_three_languages(self):
        book = open_book(write_template(VisitResource))
        text = "\n".join(
            str(row[0]) for row in book["Instructions"].values if row[0] is not None
        )
        for words in (
            "How to fill in this template: Visits",
            "如何填写本模板：访问",
            "Как заполнить этот шаблон: Визиты",
            "05.03.2024",
            "2024年3月5日",
            "05/03/2024",
            "Head of delegation: Name — Title",
            "团长: 姓名 — 职务",
            "Глава делегации: Имя — Должность",
            "Publisher",
            "发布人",
            "Публикатор",
            "Required columns: Direction, Home party, Partner city.",
        ):
            with self.subTest(words):
                self.assertIn(words, text)

    def test_a_filled_template_imports_with_its_example_row_passed_by(self):
        data = fill(
            write_template(VisitResource),
            [
                {
                    "Direction": str(Direction.INBOUND.label),
                    "Home party": "Chongqing",
                    "Partner city": "Voronezh",
                    "Title": "Talks on ports",
                    "Start date": "2024-03",
                    "Head of delegation not recorded": "yes",
                    "Sectors": "Healthcare",
                    "Published": "no",
                },
                {
                    "Direction": str(Direction.OUTBOUND.label),
                    "Home party": "Chongqing",
                    "Partner city": "Voronezh",
                    "Title": "Return visit",
                    "Start date": "2024",
                    "Delegation": "Head of delegation: Mayor\nMember: Deputy Mayor",
                    "Published": "no",
                },
            ],
        )
        visits = Visit.objects.count()
        result = imported(data, self.admin)
        self.assertEqual(
            (result.totals["new"], result.totals["update"], result.totals["skip"]),
            (2, 0, 0),
        )
        self.assertEqual(Visit.objects.count(), visits + 2)
        ports = Visit.objects.get(title_en="Talks on ports")
        self.assertEqual(
            (ports.direction, ports.date_precision, str(ports.start_date)),
            (Direction.INBOUND, "month", "2024-03-01"),
        )
        self.assertEqual([s.code for s in ports.sectors.all()], ["healthcare"])
        self.assertEqual(Visit.objects.get(title_en="Return visit").members.count(), 2)
        self.assertFalse(Visit.objects.filter(title_en__startswith=SIGN).exists())

    def test_a_chinese_template_imports_as_it_is_in_any_language(self):
        with translation.override("zh-hans"):
            template = write_template(VisitResource)
            row = named(
                {
                    "direction": str(Direction.INBOUND.label),
                    "home_party": "重庆",
                    "partner_city": "沃罗涅日",
                    "partner_city__country": "俄罗斯",
                    "title_en": "Talks on ports",
                    "title_zh_hans": "港口会谈",
                    "start_date": "2024年3月5日",
                    "head_unrecorded": "是",
                    "sectors": "医疗卫生",
                    "published": "否",
                }
            )
            self.assertIn("伙伴城市", row)
        data = fill(template, [row])
        for language in ("zh-hans", "en"):
            with self.subTest(language), translation.override(language):
                result = imported(data, self.admin, dry_run=True)
                self.assertEqual(result.totals["new"], 1)
        imported(data, self.admin)
        visit = Visit.objects.get(title_zh_hans="港口会谈")
        self.assertEqual(str(visit.start_date), "2024-03-05")
        self.assertTrue(visit.head_unrecorded)

    def test_each_lists_example_is_valid_once_its_marker_is_removed(self):
        for language in ("en", "zh-hans"):
            for resource_class in RESOURCE_ORDER:
                name = resource_class.__name__
                if language != "en" and resource_class._meta.model is Activity:
                    # A collaboration is looked up by its title in the reader's
                    # language only, and the seed's have English titles alone.
                    continue
                with (
                    self.subTest(language, resource=name),
                    translation.override(language),
                ):
                    resource = resource_class()
                    fields = template_fields(resource)
                    values = example_values(resource, fields, Context())
                    headers = [str(field.column_name) for _name, field in fields]
                    text = "\n".join(
                        ",".join(csv_cell(v) for v in line)
                        for line in (headers, values)
                    )
                    result = resource_class(user=self.admin).import_data(
                        read_table(text.encode(), "example.csv"),
                        dry_run=True,
                        user=self.admin,
                    )
                    self.assertFalse(result.has_errors(), result.base_errors)
                    self.assertEqual(
                        [row.error_dict for row in result.invalid_rows], []
                    )
        self.assertEqual(Agreement.objects.count(), 1)

    def test_the_example_row_is_known_by_its_sign_or_its_marker_in_any_language(self):
        for first in (
            f"{SIGN} Example row, ignored on import: Inbound",
            "Example row, ignored on import: Voronezh",
            f"  {SIGN}",
        ):
            with self.subTest(first):
                self.assertTrue(is_example_row({"Direction": first.strip()}))
        for first in ("Example of cooperation", "Voronezh", "", None, 2024):
            with self.subTest(first):
                self.assertFalse(is_example_row({"Title": first, "Kind": SIGN}))

    def test_a_template_saved_as_csv_passes_its_example_by_too(self):
        book = open_book(write_template(VisitResource))
        rows = [[cell.value or "" for cell in row] for row in book.worksheets[0].rows]
        text = "\n".join(",".join(csv_cell(v) for v in row) for row in rows)
        result = imported(text.encode(), self.admin, "visits.csv")
        self.assertEqual(sum(result.totals.values()), 0)

    def test_export_template_writes_the_template_in_the_language_asked(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "visits.xlsx"
            call_command(
                "export_template", "visits", "-o", str(path), "--language", "zh-hans"
            )
            headers = headers_of(path.read_bytes())
        self.assertEqual(headers[:4], ["方向", "我方", "我方所在国家", "伙伴城市"])


def csv_cell(value):
    text = str(value)
    if any(char in text for char in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@unittest.skipUnless(SOFFICE, "LibreOffice (soffice) is not installed")
class LibreOfficeRoundTripTests(TestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.admin = make_user("libreoffice-admin", is_superuser=True)

    def resaved(self, data):
        """``data`` opened and saved again as XLSX by headless LibreOffice."""
        with tempfile.TemporaryDirectory() as folder:
            folder = Path(folder)
            source = folder / "filled.xlsx"
            source.write_bytes(data)
            (folder / "out").mkdir()
            subprocess.run(
                [
                    SOFFICE,
                    f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless",
                    "--convert-to",
                    "xlsx",
                    "--outdir",
                    str(folder / "out"),
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=180,
            )
            return (folder / "out" / "filled.xlsx").read_bytes()

    def test_a_template_filled_and_saved_by_libreoffice_imports(self):
        with translation.override("zh-hans"):
            template = write_template(VisitResource)
            row = named(
                {
                    "direction": str(Direction.OUTBOUND.label),
                    "home_party": "重庆",
                    "partner_city": "沃罗涅日",
                    "title_en": "Talks on culture",
                    "start_date": "2024-03",
                    "head_unrecorded": "是",
                    "published": "否",
                }
            )
        data = self.resaved(fill(template, [row]))
        book = open_book(data)
        self.assertEqual(book.worksheets[0].title, "访问")
        # The drop-downs survive LibreOffice.
        self.assertTrue(book.worksheets[0].data_validations.dataValidation)
        result = imported(data, self.admin)
        self.assertEqual(result.totals["new"], 1)
        visit = Visit.objects.get(title_en="Talks on culture")
        self.assertEqual(
            (visit.direction, visit.date_precision, visit.partner_city),
            (Direction.OUTBOUND, "month", City.objects.get(name_en="Voronezh")),
        )
