"""The bulk visit import: a fixed number of queries per file, a dry run that writes
nothing, all or nothing at any length, one history row per visit, and the same
outcome as the per-row import it replaces."""

import datetime
import io
import json
from pathlib import Path

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from partnerships.models import DelegationMember, Person, Visit
from partnerships.spreadsheets.formats import SafeCSV
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import VisitResource
from tests.factories import make_city, make_home, make_person, make_user, make_visit

GOLDEN = Path(__file__).parent / "golden" / "visit_import.json"
HEADER = (
    "Direction,Home party,Partner city,Partner country,Title,Start date,Status,"
    "Delegation,Sectors,Published\n"
)


def visit_rows(count, start=0, title="Import", partner="Voronezh"):
    """``count`` valid rows, each with a head, a member (no role given: a plain
    member), two sectors."""
    day = datetime.date(2010, 1, 1)
    return "".join(
        f"inbound,Chongqing,{partner},Russia,{title} {number:05d},"
        f"{day + datetime.timedelta(days=number)},completed,"
        f'"Head of delegation: Ivan Petrov — Mayor\nDeputy Mayor",'
        f'"economy; healthcare",no\n'
        for number in range(start, start + count)
    )


def dataset(rows, header=HEADER):
    return read_table((header + rows).encode("utf-8"), "visits.csv")


def written_state():
    """Everything an import writes, as comparable values."""
    through = Visit.sectors.through
    return {
        "visits": Visit.objects.count(),
        "members": DelegationMember.objects.count(),
        "people": Person.objects.count(),
        "links": through.objects.count(),
        "visit history": Visit.history.count(),
        "member history": DelegationMember.history.count(),
        "person history": Person.history.count(),
        "sector snapshots": Visit.history.model.sectors.model.objects.count(),
        "export": SafeCSV().export_data(VisitResource().export()),
    }


class English:
    """Column names and messages in English, whatever an earlier test left on."""

    def setUp(self):
        super().setUp()
        translation.activate("en")
        self.addCleanup(translation.deactivate)


def writes(queries):
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "COPY"))
    ]


class BulkVisitImportTests(English, TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        cls.voronezh = make_city(name="Voronezh", country="RU")
        make_city(name="Minsk", country="BY")
        cls.clerk = make_user("bulk-clerk")
        cls.clerk.user_permissions.add(Permission.objects.get(codename="import_visit"))

    def import_(self, rows, dry_run=False, user=None):
        result = VisitResource(user=user).import_data(
            dataset(rows), dry_run=dry_run, user=user
        )
        self.assertFalse(result.has_errors(), [e.error for e in result.base_errors])
        return result

    def queries(self, rows, dry_run=False):
        with CaptureQueriesContext(connection) as captured, transaction.atomic():
            self.import_(rows, dry_run=dry_run)
            transaction.set_rollback(True)
        return captured.captured_queries

    def test_a_recorded_person_is_found_whatever_the_script_or_case(self):
        ivanov = make_person(name="Иванов", city=self.voronezh)
        weiss = make_person(name="Weiß", city=self.voronezh)
        rows = "".join(
            f"inbound,Chongqing,voronezh,Russia,Talks {number},2011-0{number}-01,"
            f'completed,"Head of delegation: {name} — Mayor",economy,no\n'
            for number, name in enumerate(("Иванов", "иванов", "WEISS", "weiß"), 1)
        )
        people = Person.objects.count()
        self.import_(rows)
        self.assertEqual(Person.objects.count(), people)
        heads = DelegationMember.objects.filter(visit__title__startswith="Talks")
        self.assertEqual(
            sorted(head.person_id for head in heads),
            sorted([ivanov.pk, ivanov.pk, weiss.pk, weiss.pk]),
        )

    def test_a_namesake_of_another_city_is_a_new_person(self):
        make_person(name="Иванов", city=make_city(name="Minsk 2", country="BY"))
        rows = (
            "inbound,Chongqing,Voronezh,Russia,Talks,2011-01-01,completed,"
            '"Head of delegation: Иванов — Mayor",economy,no\n'
        )
        self.import_(rows)
        head = DelegationMember.objects.get(visit__title="Talks")
        self.assertEqual(head.person.city, self.voronezh)
        self.assertEqual(Person.objects.filter(name="Иванов").count(), 2)

    def test_the_queries_do_not_grow_with_the_rows(self):
        # Few enough rows for one INSERT each on SQLite, whose statements take at
        # most 999 parameters (a visit and its history row, in three languages,
        # take about 50 each); beyond that, one INSERT per batch.
        for dry_run in (True, False):
            with self.subTest(dry_run=dry_run):
                few = self.queries(visit_rows(3), dry_run)
                many = self.queries(visit_rows(15), dry_run)
                self.assertEqual(len(few), len(many))
        self.import_(visit_rows(3))
        few = self.queries(visit_rows(3))
        self.import_(visit_rows(15))
        many = self.queries(visit_rows(15))
        self.assertEqual(writes(many), [])
        self.assertEqual(len(few), len(many))

    def test_the_dry_run_writes_nothing(self):
        before = written_state()
        with CaptureQueriesContext(connection) as captured:
            result = self.import_(visit_rows(25), dry_run=True, user=self.clerk)
        self.assertEqual(result.totals["new"], 25)
        self.assertEqual(writes(captured.captured_queries), [])
        self.assertEqual(written_state(), before)

    def test_a_bad_row_in_the_middle_of_a_long_file_writes_nothing(self):
        rows = (
            visit_rows(150)
            + "inbound,Chongqing,Atlantis,Russia,Lost,2011-01-01,completed,,,no\n"
            + visit_rows(150, start=150)
        )
        before = written_state()
        result = VisitResource().import_data(dataset(rows))
        self.assertEqual(
            [row.number for row in result.invalid_rows], [152]
        )  # the sheet row: names on row 1
        self.assertEqual(
            set(result.invalid_rows[0].error_dict), {"Partner city", "Delegation"}
        )
        self.assertEqual(written_state(), before)

    def test_one_history_row_per_new_visit_with_the_importing_user(self):
        make_person(name="Ivan Petrov", city=make_city(name="Omsk", country="RU"))
        result = self.import_(visit_rows(12), user=self.clerk)
        self.assertEqual(result.totals["new"], 12)
        visits = Visit.objects.all()
        self.assertEqual(Visit.history.count(), 12)
        for visit in visits:
            record = visit.history.get()
            self.assertEqual(record.history_type, "+")
            self.assertEqual(record.history_user, self.clerk)
            self.assertEqual(
                sorted(s.sector.code for s in record.sectors.all()),
                ["economy", "healthcare"],
            )
            self.assertEqual(visit.members.count(), 2)
        # The Omsk namesake is another person: one new Ivan Petrov of Voronezh.
        ivan = Person.objects.get(name="Ivan Petrov", city=self.voronezh)
        self.assertEqual(ivan.delegations.count(), 12)
        self.assertEqual(ivan.history.get().history_user, self.clerk)
        members = DelegationMember.history.all()
        self.assertEqual(members.count(), 24)
        self.assertEqual({m.history_user for m in members}, {self.clerk})

    def test_the_public_pages_are_renewed_when_the_import_commits(self):
        from partnerships.public import cache

        before = cache.generation()
        with self.captureOnCommitCallbacks() as callbacks:
            self.import_(visit_rows(2).replace(",no\n", ",yes\n"))
        self.assertEqual(len(callbacks), 1)
        renewed = cache.generation()
        self.assertNotEqual(renewed, before)
        callbacks[0]()
        self.assertNotEqual(cache.generation(), renewed)

    def test_the_same_file_again_changes_nothing(self):
        self.import_(visit_rows(5))
        before = written_state()
        result = self.import_(visit_rows(5))
        self.assertEqual(result.totals["skip"], 5)
        self.assertEqual(written_state(), before)

    def test_an_update_writes_one_history_row_and_the_new_values(self):
        self.import_(visit_rows(2), user=self.clerk)
        changed = visit_rows(2).replace("healthcare", "culture", 1)
        changed = changed.replace("\nDeputy Mayor", "\nMember: Aide", 1)
        result = self.import_(changed, user=self.clerk)
        self.assertEqual((result.totals["update"], result.totals["skip"]), (1, 1))
        visit = Visit.objects.get(title="Import 00000")
        self.assertEqual(
            sorted(visit.sectors.values_list("code", flat=True)),
            ["culture", "economy"],
        )
        self.assertEqual(
            [m.title_at_time for m in visit.members.all()], ["Mayor", "Aide"]
        )
        latest = visit.history.first()
        self.assertEqual(visit.history.count(), 2)
        self.assertEqual(latest.history_type, "~")
        self.assertEqual(
            sorted(s.sector.code for s in latest.sectors.all()),
            ["culture", "economy"],
        )

    def test_the_outcome_recorded_from_the_per_row_import(self):
        """The outcome pinned in golden/visit_import.json.

        The cases "good" and "bad" were recorded from the per-row import this
        bulk import replaced (django-import-export's own loop, a save per row);
        "valid" from the bulk import once it matched it, with everything written.
        """
        make_visit(
            partner_city=self.voronezh,
            title="Import 00001",
            start_date=datetime.date(2010, 1, 2),
            status="completed",
            published=False,
            members=[("Mayor", "head")],
        )
        good = visit_rows(4) + visit_rows(2, title="Other", partner="Minsk")
        bad = (
            good
            + "inbound,Chongqing,Voronezh,Russia,Import 00002,2010-01-03,completed,"
            + '"Head of delegation: X — Y",economy,no\n'
            + "outbound,Chongqing,Voronezh,Russia,,2099-01-01,completed,,bogus,yes\n"
        )
        valid = good.replace("Minsk,Russia", "Minsk,Belarus")
        golden = json.loads(GOLDEN.read_text(encoding="utf-8"))

        def outcome(rows, dry_run):
            with transaction.atomic():
                resource = VisitResource(user=self.clerk)
                result = resource.import_data(
                    dataset(rows), dry_run=dry_run, user=self.clerk
                )
                state = written_state()
                transaction.set_rollback(True)
            return {
                "totals": dict(result.totals),
                "errors": [
                    (row.number, {k: list(v) for k, v in row.error_dict.items()})
                    for row in result.invalid_rows
                ],
                "diffs": [row.diff for row in result.valid_rows()],
                "types": [row.import_type for row in result.rows],
                "state": state,
            }

        for name, rows in (("good", good), ("bad", bad), ("valid", valid)):
            for dry_run in (True, False):
                case = f"{name}, {'dry run' if dry_run else 'import'}"
                with self.subTest(case):
                    old, new = golden[case], outcome(rows, dry_run)
                    self.assertEqual(new["totals"], old["totals"])
                    self.assertEqual(new["types"], old["types"])
                    self.assertEqual(new["diffs"], old["diffs"])
                    self.assertEqual(new["state"]["export"], old["state"]["export"])
                    self.assertEqual(new["state"]["visits"], old["state"]["visits"])
                    self.assertEqual(new["state"]["members"], old["state"]["members"])
                    for number, errors in old["errors"]:
                        self.assertIn(number, dict(new["errors"]))
                        for column, messages in errors.items():
                            self.assertEqual(
                                dict(new["errors"])[number][column], messages
                            )
                    if name == "valid":
                        # The bulk import's own record: every table it writes.
                        self.assertEqual(new, old)


class AdminPreviewTests(English, TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.clerk = make_user("preview-clerk")
        cls.clerk.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_visit", "add_visit", "change_visit", "import_visit"]
            )
        )

    def upload(self, rows):
        upload = io.BytesIO((HEADER + rows).encode())
        upload.name = "visits.csv"
        return self.client.post(
            reverse("admin:partnerships_visit_import"),
            {"resource": "0", "format": "0", "import_file": upload},
        )

    @override_settings(PARTNERSHIPS_IMPORT_PREVIEW_ROWS=5)
    def test_a_long_preview_shows_the_counts_and_the_first_rows(self):
        self.client.force_login(self.clerk)
        response = self.upload(visit_rows(12))
        self.assertIn("confirm_form", response.context)
        self.assertContains(response, "12 new, 0 updated and 0 unchanged rows.")
        self.assertContains(response, "The first 5 rows are shown.")
        self.assertContains(response, "Import 00004")
        self.assertNotContains(response, "Import 00005")
        self.assertFalse(Visit.objects.exists())

    @override_settings(PARTNERSHIPS_IMPORT_MAX_WEB_ROWS=10)
    def test_a_file_too_long_for_the_web_names_the_command_and_reads_no_row(self):
        self.client.force_login(self.clerk)
        with CaptureQueriesContext(connection) as captured:
            response = self.upload(visit_rows(11))
        self.assertContains(response, "manage.py import visit FILE")
        self.assertNotIn("confirm_form", response.context)
        self.assertFalse(
            [q for q in captured.captured_queries if "partnerships_visit" in q["sql"]]
        )

    def test_the_confirm_writes_the_visits_and_one_log_entry_each(self):
        from django.contrib.admin.models import ADDITION, LogEntry

        self.client.force_login(self.clerk)
        confirm = self.upload(visit_rows(3)).context["confirm_form"]
        response = self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm.initial[name] for name in confirm.fields},
        )
        self.assertEqual(response.status_code, 302)
        entries = LogEntry.objects.all()
        self.assertEqual(
            {(e.object_id, e.object_repr, e.action_flag, e.user) for e in entries},
            {(str(v.pk), v.title, ADDITION, self.clerk) for v in Visit.objects.all()},
        )
        self.assertEqual(len(entries), 3)
        self.assertEqual(entries[0].change_message, "new through import_export")


class DatesAsKnownImportTests(English, TestCase):
    """Each date is read as precisely as it is written, and written back so."""

    HEADER = (
        "Direction,Home party,Partner city,Partner country,Title,Start date,End date"
    )

    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.voronezh = make_city(name="Voronezh", country="RU")
        cls.clerk = make_user(is_superuser=True)

    def run_import(self, rows, header=None, dry_run=False):
        resource = VisitResource(user=self.clerk)
        return resource.import_data(
            dataset(rows, (header or self.HEADER) + "\n"), dry_run=dry_run
        )

    def test_the_precision_is_how_the_date_is_written(self):
        result = self.run_import(
            "inbound,Chongqing,Voronezh,Russia,A,2027-05,2027-06\n"
            "inbound,Chongqing,Voronezh,Russia,B,2027年5月,\n"
            "inbound,Chongqing,Voronezh,Russia,C,2027,\n"
            "inbound,Chongqing,Voronezh,Russia,D,2027-05-14,2027-05-16\n"
            "inbound,Chongqing,Voronezh,Russia,E,,\n"
        )
        self.assertFalse(result.has_errors() or result.has_validation_errors())
        found = {
            v.title: (v.start_date, v.end_date, v.date_precision)
            for v in Visit.objects.all()
        }
        D = datetime.date
        self.assertEqual(
            found,
            {
                "A": (D(2027, 5, 1), D(2027, 6, 1), "month"),
                "B": (D(2027, 5, 1), None, "month"),
                "C": (D(2027, 1, 1), None, "year"),
                "D": (D(2027, 5, 14), D(2027, 5, 16), "day"),
                "E": (None, None, "unknown"),
            },
        )

    def test_dates_at_two_precisions_are_refused(self):
        result = self.run_import(
            "inbound,Chongqing,Voronezh,Russia,A,2027-05,2027-06-02\n"
        )
        self.assertTrue(result.has_validation_errors())
        self.assertFalse(Visit.objects.exists())
        messages = str(result.invalid_rows[0].error_dict)
        self.assertIn("same precision", messages)

    def test_a_file_from_before_keeps_its_precision_column(self):
        self.run_import(
            "inbound,Chongqing,Voronezh,Russia,A,2027-05-01,,Month only\n",
            header=self.HEADER + ",Date precision",
        )
        visit = Visit.objects.get()
        self.assertEqual(
            (visit.start_date, visit.date_precision),
            (datetime.date(2027, 5, 1), "month"),
        )

    def test_a_changed_precision_alone_is_an_update(self):
        make_visit(
            home_party=self.home,
            partner_city=self.voronezh,
            title="A",
            start_date=datetime.date(2027, 5, 1),
            date_precision="day",
            status="planned",
        )
        result = self.run_import("inbound,Chongqing,Voronezh,Russia,A,2027-05,\n")
        self.assertEqual(result.totals["update"], 1)
        self.assertEqual(Visit.objects.get().date_precision, "month")

    def test_an_export_imports_back_the_same_dates(self):
        D = datetime.date
        for title, start, end, precision in (
            ("Day", D(2027, 5, 14), D(2027, 5, 16), "day"),
            ("Month", D(2027, 5, 1), D(2027, 6, 1), "month"),
            ("Year", D(2027, 1, 1), None, "year"),
            ("None", None, None, "unknown"),
        ):
            make_visit(
                home_party=self.home,
                partner_city=self.voronezh,
                title=title,
                start_date=start,
                end_date=end,
                date_precision=precision,
                published=False,
                status="planned",
                head_unrecorded=True,
            )
        before = sorted(
            Visit.objects.values_list(
                "title", "start_date", "end_date", "date_precision"
            )
        )
        for fmt in ("csv", "xlsx"):
            with self.subTest(fmt=fmt):
                from partnerships.spreadsheets.formats import SafeXLSX

                exported = VisitResource().export()
                data = (
                    SafeCSV().export_data(exported).encode("utf-8")
                    if fmt == "csv"
                    else SafeXLSX().export_data(
                        VisitResource().export(force_native_type=True)
                    )
                )
                Visit.objects.all().delete()
                result = VisitResource(user=self.clerk).import_data(
                    read_table(data, f"visits.{fmt}"), dry_run=False
                )
                self.assertFalse(
                    result.has_errors() or result.has_validation_errors(),
                    [row.error_dict for row in result.invalid_rows],
                )
                after = sorted(
                    Visit.objects.values_list(
                        "title", "start_date", "end_date", "date_precision"
                    )
                )
                self.assertEqual(after, before)


class OnePersonOneRecordImportTests(English, TestCase):
    """A delegation names a person by any of their names, in any script."""

    HEADER = "Direction,Home party,Partner city,Partner country,Title,Delegation\n"

    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.voronezh = make_city(name="Voronezh", country="RU")
        cls.clerk = make_user(is_superuser=True)
        cls.petrov = make_person(
            name="Sergei Petrov",
            name_zh_hans="谢尔盖·彼得罗夫",
            name_ru="Сергей Петров",
            city=cls.voronezh,
            current_title="Deputy Mayor of Voronezh",
        )

    def run_import(self, delegation, title="Visit"):
        rows = f'inbound,Chongqing,Voronezh,Russia,{title},"{delegation}"\n'
        return VisitResource(user=self.clerk).import_data(
            dataset(rows, self.HEADER), dry_run=False
        )

    def test_the_person_on_file_is_found_by_any_of_their_names(self):
        people = Person.objects.count()
        for number, name in enumerate(
            ("谢尔盖·彼得罗夫", "谢尔盖 彼得罗夫", "сергей петров", "SERGEI  PETROV")
        ):
            with self.subTest(name=name):
                result = self.run_import(
                    f"Head of delegation: {name} — 沃罗涅日市副市长", f"Visit {number}"
                )
                self.assertFalse(result.has_validation_errors(), name)
                head = DelegationMember.objects.get(visit__title=f"Visit {number}")
                self.assertEqual(head.person, self.petrov)
        self.assertEqual(Person.objects.count(), people)
        self.assertEqual(
            list(
                Visit.objects.filter(members__person__name__icontains="Petrov")
                .values_list("title", flat=True)
                .order_by("title")
            ),
            ["Visit 0", "Visit 1", "Visit 2", "Visit 3"],
        )

    def test_a_name_two_people_go_by_is_an_error_naming_both(self):
        first = make_person(
            name="Anna Ivanova", city=self.voronezh, current_title="Deputy Mayor"
        )
        second = make_person(
            name="Anna Ivanova", city=self.voronezh, current_title="Interpreter"
        )
        result = self.run_import("Head of delegation: Anna Ivanova — Guest")
        self.assertTrue(result.has_validation_errors())
        message = str(result.invalid_rows[0].error_dict)
        self.assertIn(f"#{first.pk} (Deputy Mayor)", message)
        self.assertIn(f"#{second.pk} (Interpreter)", message)
        self.assertFalse(Visit.objects.exists())

    def test_the_one_recorded_under_exactly_that_name_wins(self):
        exact = make_person(name="Anna Ivanova", city=self.voronezh)
        make_person(name="Anna-Ivanova", city=self.voronezh)
        result = self.run_import("Head of delegation: Anna Ivanova — Guest")
        self.assertFalse(result.has_validation_errors())
        self.assertEqual(DelegationMember.objects.get().person, exact)

    def test_an_other_spelling_finds_the_person(self):
        self.petrov.aliases.create(name="Serguei Petrov")
        result = self.run_import("Head of delegation: Serguei Petrov — Guest")
        self.assertFalse(result.has_validation_errors())
        self.assertEqual(DelegationMember.objects.get().person, self.petrov)

    def test_an_exact_other_spelling_wins(self):
        make_person(name="Anna-Ivanova", city=self.voronezh)
        spelled = make_person(
            name="Anna Ivanova (interpreter)",
            aliases=["Anna Ivanova"],
            city=self.voronezh,
        )
        result = self.run_import("Head of delegation: Anna Ivanova — Guest")
        self.assertFalse(result.has_validation_errors())
        self.assertEqual(DelegationMember.objects.get().person, spelled)

    def test_a_person_the_import_records_is_found_by_name_afterwards(self):
        self.run_import("Head of delegation: Oleg Smirnov — Guest")
        self.assertEqual(
            list(Person.objects.named("oleg·smirnov").values_list("name", flat=True)),
            ["Oleg Smirnov"],
        )

    def test_a_new_name_is_a_new_person(self):
        people = Person.objects.count()
        self.run_import("Head of delegation: Oleg Smirnov — Guest")
        self.assertEqual(Person.objects.count(), people + 1)


class TitleFromPositionImportTests(English, TestCase):
    """A member named without a title gets the post held on the visit's dates."""

    HEADER = (
        "Direction,Home party,Partner city,Partner country,Title,Start date,"
        "Delegation\n"
    )

    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.voronezh = make_city(name="Voronezh", country="RU")
        cls.clerk = make_user(is_superuser=True)
        cls.petrov = make_person(
            name="Sergei Petrov",
            city=cls.voronezh,
            positions=[("Deputy Mayor of Voronezh", "2019", "2023")],
        )

    def run_import(self, start, delegation):
        rows = f'inbound,Chongqing,Voronezh,Russia,Visit,{start},"{delegation}"\n'
        return VisitResource(user=self.clerk).import_data(
            dataset(rows, self.HEADER), dry_run=False
        )

    def test_the_post_held_then_is_proposed_and_a_written_title_kept(self):
        cases = [
            (
                "2021-05",
                "Head of delegation: Sergei Petrov —",
                "Deputy Mayor of Voronezh",
            ),
            ("2018", "Head of delegation: Sergei Petrov —", ""),
            ("2021-05", "Head of delegation: Sergei Petrov — Guest", "Guest"),
        ]
        for start, delegation, title in cases:
            with self.subTest(start=start, delegation=delegation):
                Visit.objects.all().delete()
                result = self.run_import(start, delegation)
                self.assertFalse(result.has_validation_errors())
                member = DelegationMember.objects.get()
                self.assertEqual(member.title_at_time_en, title)

    def test_importing_the_same_file_again_changes_nothing(self):
        self.run_import("2021-05", "Head of delegation: Sergei Petrov —")
        result = self.run_import("2021-05", "Head of delegation: Sergei Petrov —")
        self.assertEqual(result.totals["update"], 0)
