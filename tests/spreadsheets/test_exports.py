"""The fast export (partnerships/exports.py) gives exactly the old export's cells.

Every resource is exported both ways over varied records (Chinese and Cyrillic
text, formula-like text, control characters, unknown dates, title-only and
name-only members, several sectors, unpublished records, all kinds of related
lists) and the cells, the CSV text and the XLSX sheets are compared.
"""

import datetime
import io

import openpyxl
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from partnerships.models import (
    CollaborationParticipant,
    FocusArea,
    Sector,
    Signatory,
    Visit,
)
from partnerships.models.choices import (
    ActivityKind,
    DatePrecision,
    DelegationRole,
    Direction,
    VisitStatus,
)
from partnerships.spreadsheets import exports
from partnerships.spreadsheets.formats import SafeCSV, SafeXLSX
from partnerships.spreadsheets.resources import (
    RESOURCE_ORDER,
    CityResource,
    VisitResource,
)
from partnerships.spreadsheets.widgets import TextWidget
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_district,
    make_home,
    make_institution,
    make_person,
    make_user,
    make_visit,
)
from tests.spreadsheets.test_resources import build_records

TRICKY = ["=1+1", "@x", "-3", "+7 812", "Bell\x07 and\x1b escape", "a\nb", "重庆", ""]


def build_varied():
    """build_records() plus the awkward cases, in every list."""
    build_records()
    home = make_home()
    moscow = make_city(
        name="Москва",
        name_local="Москва",
        name_zh_hans="莫斯科",
        country="RU",
        region="=SUM(A1)",
        published=False,
        internal_notes="@internal",
        population=13000000,
        population_year=2021,
        latitude="55.755800",
        longitude="-37.617300",
    )
    make_district(name="江北区", parent=home)
    nowhere = make_city(name="-3", country="", published=False)
    agreement = make_agreement(
        partner=moscow, published=False, signed_on=None, origin="=HYPERLINK()"
    )
    Signatory.objects.create(agreement=agreement, side="home", title_at_time="市长")
    Signatory.objects.create(
        agreement=agreement,
        side="partner",
        person=make_person(name="Пётр Иванов", city=moscow),
        title_at_time="",
    )
    make_agreement(partner=nowhere, kind="friendship", signed_on=None)
    for number, text in enumerate(TRICKY):
        make_visit(
            partner_city=moscow if number % 2 else nowhere,
            direction=Direction.OUTBOUND if number % 3 else Direction.INBOUND,
            title=text,
            start_date=None if number % 2 else datetime.date(2001, 1, number + 1),
            end_date=datetime.date(2001, 2, 1) if number % 4 == 0 else None,
            date_precision=DatePrecision.MONTH if number % 3 else DatePrecision.DAY,
            status=VisitStatus.PLANNED if number % 2 else VisitStatus.COMPLETED,
            date_note=text,
            purpose="Переговоры о торговле" + text,
            programme=text * 2,
            published=bool(number % 2),
            internal_notes=text,
            head_unrecorded=number == 3,
            members=[
                ("Deputy Mayor", DelegationRole.HEAD),
                {
                    "person": make_person(name=f"Ли Вэй {number}", city=moscow),
                    "title_at_time": "",
                    "role": DelegationRole.DEPUTY,
                },
                {"person": make_person(name=f"王伟 {number}"), "title_at_time": text},
                (text or "Interpreter", DelegationRole.MEMBER),
            ][: number % 5],
            sectors=["economy", "culture", "youth", "healthcare"][: number % 5],
        )
    make_institution(
        name="=cmd|' /C calc'!A0",
        city=moscow,
        aliases=["МГУ", "@alias", "Moscow State University"],
        published=False,
        website="https://example.org/",
    )
    collaboration = make_collaboration(
        agreement=agreement,
        title="@collaboration",
        sector="culture",
        participants=[make_institution(city=home)],
        started_on=datetime.date(2010, 3, 1),
        published=False,
    )
    CollaborationParticipant.objects.create(
        collaboration=collaboration, side="partner", description="=1+1", role=""
    )
    collaboration.focus_areas.add(
        FocusArea.objects.create(name="Theatre"),
        FocusArea.objects.create(name="Ballet"),
    )
    make_activity(collaboration=collaboration, title="-1", kind=ActivityKind.TRAINING)
    make_activity(
        visit=make_visit(partner_city=moscow, title="=visit", start_date=None),
        title="Concert",
        location=moscow,
        published=False,
    )


def old_cells(resource_class, native):
    dataset = resource_class().export(force_native_type=native)
    return list(dataset.headers), [list(row) for row in dataset]


def new_cells(resource_class, native):
    headers, rows = exports.export_rows(resource_class(), force_native_type=native)
    return headers, [list(row) for row in rows]


def sheet_values(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


class SameCellsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_varied()

    def test_every_resource_has_a_fast_path(self):
        for resource_class in RESOURCE_ORDER:
            with self.subTest(resource_class.__name__):
                exports.Plan(resource_class())

    def test_the_cells_are_the_old_paths_cells(self):
        for resource_class in RESOURCE_ORDER:
            for native in (True, False):
                with self.subTest(resource_class.__name__, native=native):
                    old = old_cells(resource_class, native)
                    self.assertGreater(len(old[1]), 1)
                    self.assertEqual(new_cells(resource_class, native), old)

    def test_the_cells_are_the_same_in_chinese_and_russian(self):
        for language in ("zh-hans", "ru"):
            with translation.override(language):
                for resource_class in RESOURCE_ORDER:
                    with self.subTest(resource_class.__name__, language=language):
                        self.assertEqual(
                            new_cells(resource_class, False),
                            old_cells(resource_class, False),
                        )

    def test_the_values_types_match_in_xlsx(self):
        headers, rows = new_cells(VisitResource, True)
        # Each date as its own text, and as a real date where the day is known.
        start = headers.index("Start date")
        day = headers.index("Start day (exact dates only)")
        self.assertTrue(all(isinstance(r[start], str) for r in rows))
        self.assertTrue(any(len(r[start]) == 7 for r in rows), "a month only")
        self.assertTrue(any(isinstance(r[day], datetime.date) for r in rows))
        for row in rows:
            if len(row[start]) == 10:
                self.assertEqual(row[day].isoformat()[:10], row[start])
            else:
                self.assertEqual(row[day], "")

    def test_the_rows_are_the_same_across_chunks(self):
        plan = exports.Plan(VisitResource())
        queryset = VisitResource().filter_export(VisitResource().get_queryset())
        self.assertEqual(
            [list(row) for row in plan.rows(queryset, chunk=3)],
            old_cells(VisitResource, False)[1],
        )

    def test_csv_text_is_the_old_csv(self):
        for resource_class in RESOURCE_ORDER:
            with self.subTest(resource_class.__name__):
                old = SafeCSV().export_data(resource_class().export())
                self.assertEqual("".join(exports.export_csv(resource_class())), old)

    def test_the_xlsx_sheet_is_the_old_sheet(self):
        for resource_class in RESOURCE_ORDER:
            with self.subTest(resource_class.__name__):
                old = SafeXLSX().export_data(
                    resource_class().export(force_native_type=True)
                )
                out = io.BytesIO()
                exports.export_xlsx(resource_class(), out)
                new = sheet_values(out.getvalue())
                self.assertEqual(new, sheet_values(old))
                fields_ = resource_class().get_export_fields()
                self.assertEqual(new[0], [str(f.column_name) for f in fields_])

    def test_formula_like_text_stays_text_and_control_characters_go(self):
        out = io.BytesIO()
        exports.export_xlsx(VisitResource(), out)
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
        titles = {row[5].value: row[5] for row in sheet.iter_rows(min_row=2)}
        self.assertTrue(titles["=1+1"].quotePrefix)
        self.assertEqual(titles["=1+1"].data_type, "s")
        self.assertIn("Bell and escape", titles)
        text = "".join(exports.export_csv(VisitResource()))
        self.assertTrue(text.startswith("\ufeffDirection,"))
        self.assertIn("'=1+1", text)
        self.assertIn("'@x", text)
        self.assertIn(",-3,", text)

    def test_the_export_query_count_does_not_grow_with_the_rows(self):
        for resource_class in RESOURCE_ORDER:
            plan = exports.Plan(resource_class())
            with (
                self.subTest(resource_class.__name__),
                self.assertNumQueries(1 + len(plan.lists)),
            ):
                new_cells(resource_class, True)
        moscow = make_city(name="Moscow", country="RU")
        for day in range(1, 6):
            make_visit(
                partner_city=moscow,
                start_date=datetime.date(2020, 1, day),
                members=[("Mayor", "head"), ("Aide", "member")],
                sectors=["economy", "sport"],
            )
        with self.assertNumQueries(3):
            headers, rows = new_cells(VisitResource, True)

    def test_a_column_without_a_twin_uses_the_old_path(self):
        class Odd(TextWidget):
            def render(self, value, obj=None, **kwargs):
                return f"<{value}>"

        resource = CityResource()
        resource.fields["name_en"].widget = Odd()
        headers, rows = exports.export_rows(resource)
        rows = list(rows)
        self.assertTrue(all(row[0].startswith("<") for row in rows))
        self.assertEqual(len(rows), CityResource().get_queryset().count())

    def test_an_overridden_dehydrate_method_uses_the_old_path(self):
        class Shouting(VisitResource):
            def dehydrate_delegation(self, visit):
                return self.fields["delegation"].export(visit).upper()

        with self.assertRaises(exports.Unsupported):
            exports.Plan(Shouting())
        headers, rows = exports.export_rows(Shouting())
        column = headers.index("Delegation")
        cells = [row[column] for row in rows]
        self.assertIn("HEAD OF DELEGATION: DEPUTY MAYOR", cells)

    def test_an_empty_list_exports_its_header(self):
        out = io.BytesIO()
        rows = exports.export_xlsx(VisitResource(), out, Visit.objects.none())
        self.assertEqual(rows, 0)
        self.assertEqual(
            sheet_values(out.getvalue()), [new_cells(VisitResource, True)[0]]
        )
        text = "".join(exports.export_csv(VisitResource(), Visit.objects.none()))
        self.assertEqual(text.count("\r\n"), 1)


class ExportEntryPointsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_varied()
        cls.official = make_user("official")
        cls.official.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_visit", "export_visit", "view_city", "export_city"]
            )
        )

    def admin_csv(self, model, query=""):
        self.client.force_login(self.official)
        url = reverse(f"admin:partnerships_{model}_export") + query
        response = self.client.post(url, {"format": "0", "resource": "0"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        return b"".join(response.streaming_content).decode("utf-8")

    def test_a_search_or_filter_in_the_admin_exports_just_those_rows(self):
        moscow = Visit.objects.filter(partner_city__name="Москва")
        self.assertEqual(
            self.admin_csv("visit", "?q=Москва"),
            SafeCSV().export_data(VisitResource().export(queryset=moscow)),
        )
        economy = Sector.objects.get(code="economy")
        with_economy = Visit.objects.filter(sectors=economy)
        self.assertGreater(with_economy.count(), 1)
        self.assertEqual(
            self.admin_csv("visit", f"?sectors__id__exact={economy.pk}"),
            SafeCSV().export_data(VisitResource().export(queryset=with_economy)),
        )

    def test_the_city_list_exports_despite_its_annotations(self):
        self.assertEqual(
            self.admin_csv("city"), SafeCSV().export_data(CityResource().export())
        )

    def test_the_admin_streams_the_fast_xlsx(self):
        self.client.force_login(self.official)
        url = reverse("admin:partnerships_visit_export")
        response = self.client.post(url, {"format": "1", "resource": "0"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.streaming)
        content = b"".join(response.streaming_content)
        old = SafeXLSX().export_data(VisitResource().export(force_native_type=True))
        self.assertEqual(sheet_values(content), sheet_values(old))

    def test_the_admin_streams_the_fast_csv(self):
        self.client.force_login(self.official)
        url = reverse("admin:partnerships_visit_export")
        response = self.client.post(url, {"format": "0", "resource": "0"})
        self.assertTrue(response.streaming)
        content = b"".join(response.streaming_content).decode("utf-8")
        self.assertEqual(content, SafeCSV().export_data(VisitResource().export()))

    def test_the_command_writes_the_old_cells(self):
        out = io.StringIO()
        call_command("export", "csv", "visits", stdout=out)
        self.assertEqual(
            out.getvalue(), SafeCSV().export_data(VisitResource().export())
        )
