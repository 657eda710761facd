"""Spreadsheet resources: natural keys, round trip, idempotence, all-or-nothing,
audit history, the import/export commands and the admin's import and export."""

import datetime
import gc
import io
import tempfile
from pathlib import Path

import openpyxl
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.models import (
    Activity,
    Agreement,
    AgreementStatusChange,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    FocusArea,
    Institution,
    InstitutionAlias,
    Person,
    Signatory,
    Visit,
)
from partnerships.models.choices import (
    ActivityKind,
    CityRole,
    DatePrecision,
    DelegationRole,
    Direction,
    InstitutionKind,
)
from partnerships.spreadsheets.children import DELEGATION
from partnerships.spreadsheets.formats import SafeCSV, SafeXLSX
from partnerships.spreadsheets.lines import parse_member
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import (
    RESOURCE_ORDER,
    ActivityResource,
    AgreementResource,
    CityResource,
    CollaborationResource,
    VisitResource,
)
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

VISIT_HEADER = "Direction,Home party,Partner city,Partner country,Start date,Status\n"


def build_records():
    """A small office: CJK and Cyrillic names, a district, people, participants."""
    home = make_home()
    district = make_district(name="Yuzhong", name_zh_hans="渝中区")
    voronezh = make_city(
        name="Voronezh",
        name_local="Воронеж",
        name_zh_hans="沃罗涅日",
        country="RU",
        founded_year=1586,
        population=1050000,
        latitude="51.671667",
        longitude="39.210556",
        description="One of the earliest centres of Slavic culture.",
    )
    toledo_es = make_city(name="Toledo", country="ES", population=None)
    make_city(name="Toledo", country="US", published=False)
    agreement = make_agreement(partner=voronezh)
    Signatory.objects.create(
        agreement=agreement, side="home", title_at_time="Mayor of Chongqing"
    )
    Signatory.objects.create(
        agreement=agreement,
        side="partner",
        person=make_person(name="Иван Петров", city=voronezh),
        title_at_time="Head of Voronezh",
    )
    make_agreement(home_party=district, partner=toledo_es, signed_on=None)
    lukin = make_person(name="Sergey Lukin", city=voronezh)
    make_visit(
        partner_city=voronezh,
        direction=Direction.INBOUND,
        start_date=datetime.date(2019, 5, 14),
        end_date=datetime.date(2019, 5, 17),
        members=[
            {
                "person": lukin,
                "title_at_time": "Chairman of the Voronezh City Duma",
                "role": DelegationRole.HEAD,
            },
            ("Vice Chairman of the Voronezh City Duma", DelegationRole.MEMBER),
        ],
        sectors=["economy", "healthcare"],
        internal_notes="Not for the public",
        public_summary="<b>Talks</b> on trade",
    )
    visit = make_visit(
        partner_city=voronezh,
        direction=Direction.OUTBOUND,
        start_date=None,
        date_note="The source gives no dates.",
        head_unrecorded=True,
        title="Leadership delegations from Chongqing to Voronezh",
    )
    hospital = make_institution(
        name="Chongqing Third People's Hospital",
        city=home,
        kind=InstitutionKind.HOSPITAL,
        aliases=["Chongqing China-Russia Friendship Hospital"],
    )
    partner_hospital = make_institution(
        name="Voronezh Eighth Hospital",
        name_local="Воронежская городская больница №8",
        city=voronezh,
        kind=InstitutionKind.HOSPITAL,
    )
    collaboration = make_collaboration(
        agreement=agreement,
        sector="healthcare",
        title="Hospital pairing",
        participants=[hospital, partner_hospital],
    )
    CollaborationParticipant.objects.create(
        collaboration=collaboration,
        side="partner",
        description="Voronezh news agencies",
        role="Media partner",
    )
    collaboration.focus_areas.add(FocusArea.objects.create(name="Expert training"))
    make_activity(
        collaboration=collaboration,
        kind=ActivityKind.TRAINING,
        title="Expert training programmes",
        location=voronezh,
        start_date=datetime.date(2020, 9, 1),
    )
    make_activity(visit=visit, kind=ActivityKind.MEETING, title="Talks at City Hall")


def export_all(file_format):
    native = isinstance(file_format, SafeXLSX)
    return {
        resource.__name__: file_format.export_data(
            resource().export(force_native_type=native)
        )
        for resource in RESOURCE_ORDER
    }


def as_bytes(data):
    return data.encode("utf-8") if isinstance(data, str) else data


def wipe():
    """Empty the records (reference data such as sectors stays)."""
    for model in (
        Activity,
        CollaborationParticipant,
        Collaboration,
        DelegationMember,
        Visit,
        InstitutionAlias,
        Institution,
        AgreementStatusChange,
        Signatory,
        Agreement,
        Person,
        FocusArea,
    ):
        model.objects.all().delete()
    City.objects.filter(role=CityRole.DISTRICT).delete()
    City.objects.all().delete()


def import_all(exports, file_format, **kwargs):
    results = {}
    for resource in RESOURCE_ORDER:
        dataset = file_format.create_dataset(as_bytes(exports[resource.__name__]))
        result = resource().import_data(dataset, **kwargs)
        assert not result.has_errors(), [e.error for e in result.base_errors]
        assert not result.has_validation_errors(), [
            r.error_dict for r in result.invalid_rows
        ]
        results[resource.__name__] = result
    return results


def history_count():
    return sum(model.history.count() for model in (City, Visit, Agreement))


class RoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_records()

    def check_round_trip(self, file_format):
        before = export_all(file_format)
        csv_before = export_all(SafeCSV())
        wipe()
        self.assertFalse(City.objects.exists())
        import_all(before, file_format)
        self.assertEqual(export_all(SafeCSV()), csv_before)
        self.assertEqual(Visit.objects.count(), 2)
        self.assertEqual(DelegationMember.objects.count(), 2)
        head = DelegationMember.objects.get(role=DelegationRole.HEAD)
        self.assertEqual(head.person.name, "Sergey Lukin")
        self.assertEqual(head.title_at_time, "Chairman of the Voronezh City Duma")
        self.assertEqual(
            City.objects.get(name="Voronezh").name_local, "Воронеж"
        )  # Cyrillic intact
        self.assertEqual(City.objects.filter(name="Toledo").count(), 2)
        signatory = Signatory.objects.get(side="partner")
        self.assertEqual(
            (signatory.person.name, signatory.title_at_time),
            ("Иван Петров", "Head of Voronezh"),
        )

    def test_csv_round_trip_into_an_empty_database(self):
        self.check_round_trip(SafeCSV())

    def test_xlsx_round_trip_into_an_empty_database(self):
        self.check_round_trip(SafeXLSX())

    def test_importing_the_same_files_again_changes_nothing(self):
        for file_format in (SafeCSV(), SafeXLSX()):
            exports = export_all(file_format)
            histories = history_count()
            results = import_all(exports, file_format)
            for name, result in results.items():
                self.assertEqual(result.totals["new"], 0, name)
                self.assertEqual(result.totals["update"], 0, name)
            self.assertEqual(history_count(), histories)

    def test_related_records_are_written_by_natural_key_never_by_id(self):
        text = SafeCSV().export_data(VisitResource().export())
        header = text.splitlines()[0]
        self.assertNotIn("id", header.lower().split(","))
        self.assertIn("Voronezh,Russia", text)
        self.assertIn(
            "Head of delegation: Sergey Lukin — Chairman of the Voronezh City Duma",
            text,
        )

    def test_export_uses_a_fixed_number_of_queries(self):
        resource = VisitResource()
        with self.assertNumQueries(3):
            resource.export()
        make_visit(
            partner_city=City.objects.get(name="Voronezh"), members=[("X", "member")]
        )
        with self.assertNumQueries(3):
            VisitResource().export()


class DelegationCellTests(TestCase):
    def test_members_read_back_as_written(self):
        cases = [
            (
                "Head of delegation: Sergey Lukin — Chairman",
                ("head", "Sergey Lukin", "Chairman"),
            ),
            ("Member: Deputy Mayor", ("member", "", "Deputy Mayor")),
            ("Deputy head: Ivan Petrov —", ("deputy", "Ivan Petrov", "")),
            ("Deputy Mayor of Voronezh", ("member", "", "Deputy Mayor of Voronezh")),
            ("Member: Director: Research", ("member", "", "Director: Research")),
            # As a clerk typing Chinese writes them: a full-width colon, the
            # doubled dash, or a dash without spaces.
            ("团长：张三——市长", ("head", "张三", "市长")),
            ("成员：李四—翻译", ("member", "李四", "翻译")),
            ("Глава делегации: Иван Петров—мэр", ("head", "Иван Петров", "мэр")),
        ]
        for line, expected in cases:
            with self.subTest(line=line):
                self.assertEqual(parse_member(line), expected)

    def test_format_and_parse_agree(self):
        # The line the exports write for a deputy known by title only.
        line = DELEGATION.liner()(DelegationRole.DEPUTY, None, "Vice Chairman")
        self.assertEqual(parse_member(line), ("deputy", "", "Vice Chairman"))


def visit_dataset(rows, header=VISIT_HEADER):
    return read_table((header + rows).encode("utf-8"), "visits.csv")


class AllOrNothingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        make_city(name="Toledo", country="ES")
        make_city(name="Toledo", country="US")
        cls.clerk = make_user("clerk")
        cls.clerk.user_permissions.add(Permission.objects.get(codename="import_visit"))

    def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(self):
        dataset = visit_dataset(
            "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
            "inbound,Chongqing,Voronej,Russia,2019-06-01,completed\n"
            "outbound,Chongqing,Voronezh,Russia,03/04/2023,completed\n"
            "sideways,Chongqing,Voronezh,Russia,2023-02-30,completed\n"
            "inbound,Chongqing,Voronezh,Russia,2019-07-01,completed\n"
        )
        result = VisitResource().import_data(dataset)
        self.assertFalse(Visit.objects.exists())
        errors = {
            (row.number, column): " ".join(messages)
            for row in result.invalid_rows
            for column, messages in row.error_dict.items()
        }
        # Numbered as the sheet numbers its rows: the column names are row 1.
        self.assertIn("No city named “Voronej”", errors[(3, "Partner city")])
        self.assertIn("2027-05-14, 2027-05, 2027", errors[(4, "Start date")])
        self.assertIn("not a day of the calendar", errors[(5, "Start date")])
        self.assertIn("sideways", errors[(5, "Direction")])
        self.assertEqual({number for number, _column in errors}, {3, 4, 5})

    def test_the_cycle_collector_is_off_during_an_import_and_back_on_after(self):
        seen = []

        class Watched(VisitResource):
            def before_import_row(self, row, **kwargs):
                seen.append(gc.isenabled())

        good = "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
        bad = "inbound,Chongqing,Voronej,Russia,2019-06-01,completed\n"
        self.assertTrue(gc.isenabled())
        for rows in (good, good + bad):
            seen.clear()
            Watched().import_data(visit_dataset(rows), dry_run=True)
            self.assertEqual(seen, [False] * rows.count("\n"))
            self.assertTrue(gc.isenabled())
        # Left off by its caller, it stays off.
        gc.disable()
        try:
            Watched().import_data(visit_dataset(good), dry_run=True)
            self.assertFalse(gc.isenabled())
        finally:
            gc.enable()

    def test_two_rows_for_one_record_are_refused_not_merged(self):
        dataset = visit_dataset(
            "inbound,Chongqing,Voronezh,Russia,,completed\n"
            "outbound,Chongqing,Voronezh,Russia,,completed\n"
            "inbound,Chongqing,Voronezh,Russia,,completed\n"
        )
        result = VisitResource().import_data(dataset)
        # Rows as the sheet numbers them: the column names are on row 1.
        self.assertEqual([row.number for row in result.invalid_rows], [4])
        message = " ".join(result.invalid_rows[0].error_dict["__all__"])
        self.assertIn("same record as row 2", message)
        self.assertFalse(Visit.objects.exists())

    def test_a_city_shared_by_two_countries_needs_its_country(self):
        dataset = visit_dataset(
            "inbound,Chongqing,Toledo,,2019-05-14,completed\n",
        )
        result = VisitResource().import_data(dataset)
        message = " ".join(result.invalid_rows[0].error_dict["Partner city"])
        self.assertIn("Several cities", message)
        result = VisitResource().import_data(
            visit_dataset("inbound,Chongqing,Toledo,Spain,2019-05-14,completed\n")
        )
        self.assertFalse(result.has_validation_errors())
        self.assertEqual(Visit.objects.get().partner_city.country.code, "ES")

    def test_model_validation_runs_on_every_row(self):
        result = VisitResource().import_data(
            visit_dataset(
                "inbound,Chongqing,Voronezh,Russia,2099-01-01,completed\n",
            )
        )
        self.assertIn("Status", result.invalid_rows[0].error_dict)
        self.assertFalse(Visit.objects.exists())

    def test_a_member_is_matched_only_with_a_person_of_the_sides_city(self):
        minsk = make_city(name="Minsk", country="BY")
        namesake = make_person(name="Ivan Petrov", city=minsk)
        voronezh = City.objects.get(name="Voronezh")
        local = make_person(name="Anna Petrova", city=voronezh)
        unplaced = make_person(name="Oleg Sidorov")
        dataset = visit_dataset(
            "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed,"
            '"Head of delegation: Ivan Petrov — Mayor\nMember: Anna Petrova — Aide\n'
            'Member: Oleg Sidorov — Interpreter"\n',
            header=VISIT_HEADER.rstrip("\n") + ",Delegation\n",
        )
        result = VisitResource().import_data(dataset)
        self.assertFalse(result.has_validation_errors())
        head, member, interpreter = Visit.objects.get().members.order_by("position")
        self.assertNotEqual(head.person, namesake)
        self.assertEqual(head.person.city, voronezh)
        self.assertEqual(member.person, local)
        self.assertEqual(interpreter.person, unplaced)
        self.assertFalse(namesake.delegations.exists())

    def test_history_records_the_importing_user(self):
        result = VisitResource(user=self.clerk).import_data(
            visit_dataset("inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"),
            user=self.clerk,
        )
        self.assertFalse(result.has_validation_errors())
        record = Visit.history.get()
        self.assertEqual(record.history_user, self.clerk)

    def test_a_clerk_cannot_publish_through_an_import(self):
        dataset = visit_dataset(
            "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed,yes\n",
            header=VISIT_HEADER.rstrip("\n") + ",Published\n",
        )
        result = VisitResource(user=self.clerk).import_data(dataset, user=self.clerk)
        self.assertIn("Published", result.invalid_rows[0].error_dict)
        self.assertFalse(Visit.objects.exists())

    def test_unknown_and_missing_columns_are_named(self):
        result = VisitResource().import_data(
            read_table(b"Direction,Partner,When\ninbound,Voronezh,2019\n", "v.csv")
        )
        self.assertTrue(result.has_errors())
        message = str(result.base_errors[0].error)
        self.assertIn("“Partner”", message)
        self.assertIn("Partner city", message)
        self.assertFalse(Visit.objects.exists())

    def test_headers_in_another_language_are_understood(self):
        from django.utils import translation

        with translation.override("ru"):
            text = SafeCSV().export_data(CityResource().export())
        result = CityResource().import_data(SafeCSV().create_dataset(text.encode()))
        self.assertFalse(result.has_errors())

    def test_an_agreement_listed_from_the_other_side_is_the_same_agreement(self):
        voronezh = City.objects.get(name="Voronezh")
        agreement = make_agreement(partner=voronezh)
        dataset = read_table(
            b"Home party,Home party country,Partner city,Partner country,"
            b"Kind,Signed on\n"
            b"Voronezh,Russia,Chongqing,China,Sister city,1993-10-20\n",
            "a.csv",
        )
        result = AgreementResource().import_data(dataset)
        self.assertEqual(result.totals["skip"], 1)
        agreement.refresh_from_db()
        self.assertEqual(agreement.partner, voronezh)
        self.assertEqual(Agreement.objects.count(), 1)


class VisitReferenceTests(TestCase):
    """An activity names its visit; a reference several visits fit is refused."""

    @classmethod
    def setUpTestData(cls):
        voronezh = make_city(name="Voronezh", country="RU")
        cls.municipal = make_visit(partner_city=voronezh, home_party=make_home())
        cls.district = make_visit(
            partner_city=voronezh, home_party=make_district(name="Yuzhong")
        )

    def import_activity(self, extra_header="", extra=""):
        dataset = read_table(
            (
                "Title,Kind,Partner city,Partner country,Visit direction,"
                f"Visit start date{extra_header}\n"
                f"Talks,meeting,Voronezh,Russia,inbound,2019-05-14{extra}\n"
            ).encode(),
            "activities.csv",
        )
        return ActivityResource().import_data(dataset)

    def test_several_matching_visits_are_refused(self):
        result = self.import_activity()
        message = " ".join(result.invalid_rows[0].error_dict["Visit direction"])
        self.assertIn("Several visits match", message)
        self.assertIn("Visit home party", message)
        self.assertFalse(Activity.objects.exists())

    def test_the_home_party_tells_them_apart(self):
        result = self.import_activity(",Visit home party", ",Yuzhong")
        self.assertFalse(result.has_validation_errors())
        self.assertEqual(Activity.objects.get().visit, self.district)

    def test_the_home_party_is_exported(self):
        make_activity(visit=self.district, kind=ActivityKind.MEETING, title="Talks")
        dataset = ActivityResource().export()
        self.assertEqual(dataset["Visit home party"], ["Yuzhong"])


class CommandTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.user = make_user("importer")

    def write(self, content, suffix=".csv"):
        folder = Path(tempfile.mkdtemp())
        path = folder / f"visits{suffix}"
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def test_bad_rows_are_listed_and_nothing_is_written(self):
        path = self.write(
            VISIT_HEADER
            + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
            + "inbound,Chongqing,Nowhere,Russia,2019-05-14,completed\n"
        )
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            call_command("import", "visits", str(path), stderr=err)
        self.assertIn("Row 3, column “Partner city”", err.getvalue())
        self.assertFalse(Visit.objects.exists())

    def test_a_good_file_is_imported_with_the_user_in_the_history(self):
        path = self.write(
            VISIT_HEADER + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
        )
        out = io.StringIO()
        call_command("import", "visits", str(path), user="importer", stdout=out)
        self.assertIn("1 new", out.getvalue())
        self.assertEqual(Visit.history.get().history_user, self.user)
        call_command(
            "import",
            "partnerships.spreadsheets.resources.visits.VisitResource",
            str(path),
            stdout=out,
        )
        self.assertEqual(Visit.objects.count(), 1)

    def test_a_visit_without_a_head_is_refused_naming_row_and_column(self):
        header = (
            VISIT_HEADER.rstrip("\n") + ",Delegation,Head of delegation not recorded\n"
        )
        path = self.write(
            header
            + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed,"
            + "Head of delegation: Ivan Petrov — Mayor,no\n"
            + "inbound,Chongqing,Voronezh,Russia,2019-06-14,completed,,no\n"
            + "inbound,Chongqing,Voronezh,Russia,2019-07-14,completed,"
            + "Member: Deputy Mayor,\n"
            + "inbound,Chongqing,Voronezh,Russia,2019-08-14,completed,,yes\n"
        )
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            call_command("import", "visits", str(path), stderr=err)
        # The rows as the clerk's program numbers them, the column names on 1.
        self.assertIn("Row 3, column “Delegation”", err.getvalue())
        self.assertIn("Row 4, column “Delegation”", err.getvalue())
        self.assertIn("no head of delegation", err.getvalue())
        self.assertNotIn("Row 2,", err.getvalue())
        self.assertNotIn("Row 5,", err.getvalue())
        self.assertFalse(Visit.objects.exists())

    def test_swapped_sides_are_refused_with_the_row(self):
        path = self.write(
            "Direction,Home party,Home party country,Partner city,Partner country,"
            "Start date,Status,Head of delegation not recorded\n"
            "inbound,Voronezh,Russia,Chongqing,China,2019-05-14,completed,yes\n"
        )
        err = io.StringIO()
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            call_command("import", "visits", str(path), stderr=err)
        self.assertIn("Row 2, column “Home party”", err.getvalue())
        self.assertIn("must be the home municipality", err.getvalue())
        self.assertFalse(Visit.objects.exists())

    def test_a_bad_file_is_a_clear_error(self):
        path = self.write(b"Direction,Home party\n" + "重庆".encode("gbk"))
        with self.assertRaisesMessage(CommandError, "GBK"):
            call_command("import", "visits", str(path))

    def test_export_command_writes_csv_and_xlsx(self):
        out = io.StringIO()
        call_command("export", "CSV", "cities", stdout=out)
        self.assertIn("Voronezh", out.getvalue())
        path = Path(tempfile.mkdtemp()) / "cities.xlsx"
        call_command("export", "xlsx", "cities", output=str(path))
        sheet = openpyxl.load_workbook(path).worksheets[0]
        self.assertEqual(sheet["A1"].value, "Name")
        out = io.StringIO()
        call_command("export", "csv", "cities", "--semicolon", stdout=out)
        self.assertTrue(out.getvalue().startswith("\ufeffName;Local name;"))


def grant(user, *codenames):
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))


class AdminImportExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.clerk = make_user("clerk")
        grant(cls.clerk, "view_visit", "change_visit", "add_visit", "import_visit")
        cls.official = make_user("official")
        grant(cls.official, "view_visit", "export_visit")
        cls.nobody = make_user("nobody")
        grant(cls.nobody, "view_visit", "change_visit", "add_visit")

    def upload(self, content, name="visits.csv", file_format="0"):
        upload = io.BytesIO(content)
        upload.name = name
        return self.client.post(
            reverse("admin:partnerships_visit_import"),
            {"resource": "0", "format": file_format, "import_file": upload},
        )

    def test_import_needs_the_import_permission_on_every_url(self):
        for user in (self.nobody, self.official):
            self.client.force_login(user)
            self.assertEqual(
                self.client.get(reverse("admin:partnerships_visit_import")).status_code,
                403,
            )
            response = self.upload(VISIT_HEADER.encode())
            self.assertEqual(response.status_code, 403)
            response = self.client.post(
                reverse("admin:partnerships_visit_process_import"),
                {"import_file_name": "x", "original_file_name": "x.csv", "format": "0"},
            )
            self.assertEqual(response.status_code, 403)
        self.assertFalse(Visit.objects.exists())

    def test_export_needs_the_export_permission(self):
        url = reverse("admin:partnerships_visit_export")
        for user in (self.nobody, self.clerk):
            self.client.force_login(user)
            self.assertEqual(self.client.get(url).status_code, 403)
            self.assertEqual(self.client.post(url, {"format": "0"}).status_code, 403)
        self.client.force_login(self.official)
        make_visit(
            partner_city=City.objects.get(name="Voronezh"),
            start_date=datetime.date(2019, 5, 14),
        )
        response = self.client.post(url, {"format": "1", "resource": "0"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment;", response["Content-Disposition"])
        content = b"".join(response.streaming_content)
        sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
        self.assertEqual(sheet["A1"].value, "Direction")
        self.assertEqual(sheet["D2"].value, "Voronezh")
        self.assertEqual(sheet["J1"].value, "Start date")
        self.assertEqual(sheet["J2"].value, "2019-05-14")
        self.assertEqual(sheet["L1"].value, "Start day (exact dates only)")
        self.assertEqual(sheet["L2"].value, datetime.datetime(2019, 5, 14))

    def test_the_csv_for_excel_is_separated_by_semicolons(self):
        self.client.force_login(self.official)
        make_visit(partner_city=City.objects.get(name="Voronezh"), title="Talks, trade")
        response = self.client.post(
            reverse("admin:partnerships_visit_export"), {"format": "2", "resource": "0"}
        )
        text = b"".join(response.streaming_content).decode("utf-8")
        header, row = text.splitlines()[:2]
        self.assertTrue(header.startswith("\ufeffDirection;Home party;"))
        self.assertIn(";Talks, trade;", row)
        # And it imports again as it is.
        dataset = read_table(text.encode("utf-8"), "visits.csv")
        self.assertEqual(dataset["Title"], ["Talks, trade"])

    def test_csv_export_streams_and_its_queries_do_not_grow(self):
        self.client.force_login(self.official)
        url = reverse("admin:partnerships_visit_export")
        voronezh = City.objects.get(name="Voronezh")
        make_visit(partner_city=voronezh, title="=1+1", members=[("Mayor", "head")])

        def export():
            response = self.client.post(url, {"format": "0", "resource": "0"})
            self.assertTrue(response.streaming)
            return b"".join(response.streaming_content).decode("utf-8")

        with CaptureQueriesContext(connection) as first:
            text = export()
        self.assertTrue(text.startswith("\ufeffDirection,"))
        self.assertIn("'=1+1", text)
        for day in range(1, 11):
            make_visit(
                partner_city=voronezh,
                start_date=datetime.date(2019, 5, day),
                members=[("Mayor", "head")],
                sectors=["economy"],
            )
        with self.assertNumQueries(len(first.captured_queries)):
            self.assertEqual(len(export().splitlines()), 12)

    def test_preview_then_confirm_imports_with_the_clerk_in_the_history(self):
        self.client.force_login(self.clerk)
        response = self.upload(
            (
                VISIT_HEADER
                + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
            ).encode()
        )
        self.assertEqual(response.status_code, 200)
        confirm = response.context["confirm_form"]
        self.assertFalse(Visit.objects.exists())
        response = self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm.initial[name] for name in confirm.fields},
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Visit.history.get().history_user, self.clerk)

    def test_preview_lists_every_bad_row_and_offers_no_confirm(self):
        self.client.force_login(self.clerk)
        response = self.upload(
            (
                VISIT_HEADER
                + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
                + "inbound,Chongqing,Atlantis,Russia,2019-05-14,completed\n"
                + "inbound,Chongqing,Voronezh,Russia,05/14/2019,completed\n"
            ).encode()
        )
        self.assertNotIn("confirm_form", response.context)
        self.assertContains(response, "No city named “Atlantis”")
        self.assertContains(response, "2027-05-14, 2027-05, 2027")
        self.assertContains(response, "nothing will be imported")

    def test_a_file_changed_after_the_preview_is_not_imported(self):
        self.client.force_login(self.clerk)
        response = self.upload(
            (
                VISIT_HEADER
                + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
            ).encode()
        )
        confirm = response.context["confirm_form"]
        stored = Path(tempfile.gettempdir()) / confirm.initial["import_file_name"]
        stored.write_bytes(
            (
                VISIT_HEADER
                + "outbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
            ).encode()
        )
        response = self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm.initial[name] for name in confirm.fields},
            follow=True,
        )
        self.assertContains(response, "not the one you previewed")
        self.assertFalse(Visit.objects.exists())

    def test_rows_that_became_invalid_before_the_confirm_write_nothing(self):
        self.client.force_login(self.clerk)
        response = self.upload(
            (
                VISIT_HEADER
                + "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
                + "outbound,Chongqing,Voronezh,Russia,2019-06-14,completed\n"
            ).encode()
        )
        confirm = response.context["confirm_form"]
        City.objects.filter(name="Voronezh").update(name="Voronezh (renamed)")
        response = self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm.initial[name] for name in confirm.fields},
        )
        self.assertContains(response, "Nothing was imported")
        self.assertFalse(Visit.objects.exists())

    @override_settings(PARTNERSHIPS_IMPORT_MAX_BYTES=200)
    def test_a_file_over_the_limit_is_refused(self):
        self.client.force_login(self.clerk)
        rows = "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n" * 10
        response = self.upload((VISIT_HEADER + rows).encode())
        self.assertContains(response, "cannot be imported")
        self.assertFalse(Visit.objects.exists())

    @override_settings(PARTNERSHIPS_IMPORT_MAX_BYTES=1024)
    def test_a_huge_upload_is_refused_without_being_parsed(self):
        self.client.force_login(self.clerk)
        rows = "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n" * 2000
        response = self.upload((VISIT_HEADER + rows).encode())
        self.assertEqual(response.status_code, 302)
        response = self.client.get(response["Location"])
        self.assertContains(response, "larger than 1.0 KB")
        self.assertFalse(Visit.objects.exists())

    @override_settings(PARTNERSHIPS_IMPORT_MAX_WEB_ROWS=3)
    def test_a_file_too_long_for_the_browser_points_to_the_command(self):
        self.client.force_login(self.clerk)
        rows = "".join(
            f"inbound,Chongqing,Voronezh,Russia,2019-05-{day:02d},completed\n"
            for day in range(1, 5)
        )
        response = self.upload((VISIT_HEADER + rows).encode())
        self.assertContains(response, "manage.py import visit FILE")
        self.assertFalse(Visit.objects.exists())

    def test_a_wrongly_encoded_upload_gets_a_clear_message(self):
        self.client.force_login(self.clerk)
        content = (
            VISIT_HEADER + "inbound,Chongqing,Воронеж,Россия,2019-05-14,completed\n"
        )
        response = self.upload(content.encode("cp1251"))
        self.assertContains(response, "Windows-1251")
        self.assertFalse(Visit.objects.exists())

    def test_only_csv_and_xlsx_are_offered(self):
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("admin:partnerships_visit_import"))
        choices = [
            label for _value, label in response.context["form"].fields["format"].choices
        ]
        self.assertEqual([c for c in choices if c != "---"], ["csv", "xlsx"])


class RolePermissionTests(TestCase):
    """Clerk imports visits; Official exports every list; nobody else does either."""

    MODELS = ("city", "agreement", "visit", "institution", "collaboration", "activity")

    @classmethod
    def setUpTestData(cls):
        from partnerships.accounts.roles import CLERK, OFFICIAL, PUBLISHER, setup_roles

        setup_roles()
        cls.clerk = make_user("role-clerk", groups=[CLERK])
        cls.official = make_user("role-official", groups=[OFFICIAL])
        cls.publisher = make_user("role-publisher", groups=[PUBLISHER])

    def status(self, user, url_name, method="get"):
        self.client.force_login(user)
        url = reverse(url_name)
        if method == "post":
            return self.client.post(url, {"format": "0", "resource": "0"}).status_code
        return self.client.get(url).status_code

    def test_who_may_import_and_export_each_list(self):
        for model in self.MODELS:
            importing = f"admin:partnerships_{model}_import"
            exporting = f"admin:partnerships_{model}_export"
            with self.subTest(model=model):
                clerk_imports = 200 if model == "visit" else 403
                self.assertEqual(self.status(self.clerk, importing), clerk_imports)
                self.assertEqual(self.status(self.clerk, exporting), 403)
                self.assertEqual(self.status(self.clerk, exporting, "post"), 403)
                self.assertEqual(self.status(self.official, importing), 403)
                self.assertEqual(self.status(self.official, importing, "post"), 403)
                self.assertEqual(self.status(self.official, exporting), 200)
                self.assertEqual(self.status(self.official, exporting, "post"), 200)
                self.assertEqual(self.status(self.publisher, importing), 403)
                self.assertEqual(self.status(self.publisher, exporting), 403)


class ActivityDatesAsKnownTests(TestCase):
    """An activity's dates go out and come back as precisely as they are known."""

    @classmethod
    def setUpTestData(cls):
        cls.voronezh = make_city(name="Voronezh", country="RU")
        cls.visit = make_visit(
            partner_city=cls.voronezh,
            home_party=make_home(),
            start_date=datetime.date(2027, 5, 1),
            date_precision=DatePrecision.MONTH,
            title="May delegation",
        )

    def test_export_then_import_keeps_each_precision(self):
        cases = [
            ("2027-05-14", "2027-05-16", DatePrecision.DAY),
            ("2027-05", "", DatePrecision.MONTH),
            ("2027", "", DatePrecision.YEAR),
            ("", "", DatePrecision.UNKNOWN),
        ]
        for start, end, precision in cases:
            with self.subTest(start=start):
                Activity.objects.all().delete()
                dataset = read_table(
                    (
                        "Title,Kind,Start date,End date,Partner city,"
                        "Partner country,Visit direction,Visit start date,"
                        "Visit title\n"
                        f"Talks,meeting,{start},{end},Voronezh,Russia,inbound,"
                        "2027-05,May delegation\n"
                    ).encode(),
                    "activities.csv",
                )
                result = ActivityResource().import_data(dataset)
                self.assertFalse(result.has_validation_errors())
                activity = Activity.objects.get()
                self.assertEqual(activity.visit, self.visit)
                self.assertEqual(activity.date_precision, precision)
                exported = ActivityResource().export()
                self.assertEqual(exported["Start date"], [start])
                self.assertEqual(exported["End date"], [end])
                self.assertEqual(exported["Visit start date"], ["2027-05"])
                exact = [
                    datetime.date.fromisoformat(start).isoformat()
                    if precision == DatePrecision.DAY
                    else ""
                ]
                self.assertEqual(exported["Start day (exact dates only)"], exact)
                again = ActivityResource().import_data(
                    read_table(exported.export("csv").encode(), "again.csv"),
                    dry_run=True,
                )
                self.assertEqual(again.totals["skip"], 1)

    def test_dates_of_two_precisions_are_refused(self):
        dataset = read_table(
            b"Title,Kind,Start date,End date,Partner city,Partner country,"
            b"Visit direction,Visit start date,Visit title\n"
            b"Talks,meeting,2027-05,2027-06-02,Voronezh,Russia,inbound,2027-05,"
            b"May delegation\n",
            "activities.csv",
        )
        result = ActivityResource().import_data(dataset)
        self.assertTrue(result.has_validation_errors())
        self.assertFalse(Activity.objects.exists())


class CollaborationDatesAsKnownTests(TestCase):
    """A collaboration's dates go out and come back, each at its precision."""

    @classmethod
    def setUpTestData(cls):
        cls.agreement = make_agreement(
            home_party=make_home(), partner=make_city(name="Voronezh", country="RU")
        )

    def test_export_then_import_keeps_each_precision(self):
        collaboration = make_collaboration(
            agreement=self.agreement,
            title="River ports",
            started_on=datetime.date(2019, 1, 1),
            started_precision=DatePrecision.YEAR,
            ended_on=datetime.date(2024, 3, 14),
            ended_precision=DatePrecision.DAY,
        )
        exported = CollaborationResource().export()
        self.assertEqual(exported["Started on"], ["2019"])
        self.assertEqual(exported["Started on (exact day)"], [""])
        self.assertEqual(exported["Ended on"], ["2024-03-14"])
        self.assertEqual(exported["Ended on (exact day)"], ["2024-03-14"])
        text = exported.export("csv").replace("2024-03-14", "2024-03", 1)
        result = CollaborationResource().import_data(
            read_table(text.encode(), "again.csv")
        )
        self.assertFalse(result.has_validation_errors())
        collaboration.refresh_from_db()
        self.assertEqual(
            (
                collaboration.started_on,
                collaboration.started_precision,
                collaboration.ended_on,
                collaboration.ended_precision,
            ),
            (
                datetime.date(2019, 1, 1),
                DatePrecision.YEAR,
                datetime.date(2024, 3, 1),
                DatePrecision.MONTH,
            ),
        )
