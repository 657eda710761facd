"""The EU registry import: each pair once, namesakes apart, all or nothing."""

import hashlib
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db.models import Q
from django.test import TestCase

from partnerships.accounts.roles import PUBLISHER, setup_roles
from partnerships.models import Agreement, City
from partnerships.spreadsheets import registry
from partnerships.spreadsheets.registry import REGISTRY_FILE
from tests.factories import make_city, make_district, make_home, make_user

HEADER = (
    "origincityLabel\torigincountry\toriginlat\toriginlong\toriginpopulation\t"
    "sistercityLabel\tdestinationlat\tdestinationlong\tdestinationpopulation\t"
    "destination_countryLabel\tdist\teu\n"
)

ROWS = [
    # Asti and Veliko Tarnovo, listed once from each side, and once repeated.
    ("Veliko Tarnovo", "Bulgaria", "43.08", "25.63", "71150"),
    ("Asti", "44.9", "8.2", "76173", "Italy"),
    ("Asti", "Italy", "44.9", "8.2", "76173"),
    ("Veliko Tarnovo", "43.08", "25.63", "71150", "Bulgaria"),
    ("Veliko Tarnovo", "Bulgaria", "43.08", "25.63", "71150"),
    ("Asti", "44.9", "8.2", "76173", "Italy"),
    # Two Toledos in two countries.
    ("Veliko Tarnovo", "Bulgaria", "43.08", "25.63", "71150"),
    ("Toledo", "39.8667", "-4.0333", "83459", "Spain"),
    ("Poznań", "Poland", "52.4", "16.9167", ""),
    ("Toledo", "41.6639", "-83.5552", "", "United States of America"),
    # Two communes called Ennery in France, twinned with each other.
    ("Ennery", "France", "49.2261", "6.2167", "1938"),
    ("Ennery", "49.0744", "2.1061", "2377", "France"),
    # A registry glitch, resolved by another row naming Vlăhița nearby.
    ("Cegléd", "Hungary", "47.1772", "19.7981", "35000"),
    ("Vlăhița", "46.35", "25.53", "", "Kingdom of Hungary"),
    ("Tulln", "Austria", "48.33", "16.05", "16000"),
    ("Vlăhița", "46.35", "25.53", "", "Romania"),
    # A country that cannot be told.
    ("Montreuil", "France", "48.8603", "2.443", ""),
    ("Beit Sira", "31.8874", "35.0441", "", "Prussia"),
]
ROWS = ["\t".join(ROWS[i] + ROWS[i + 1]) for i in range(0, len(ROWS), 2)]


def tsv(rows):
    return HEADER + "".join(f"{row}\t100\tEU\n" for row in rows)


class ImportPartnershipsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = make_user("registrar")

    def write(self, text):
        path = Path(tempfile.mkdtemp()) / "registry.tsv"
        path.write_text(text, encoding="utf-8")
        return path

    def run_command(self, text, *args):
        out = io.StringIO()
        call_command(
            "import_partnerships",
            str(self.write(text)),
            *args,
            stdout=out,
            stderr=io.StringIO(),
        )
        return out.getvalue()

    def pair(self, a, b):
        return Agreement.objects.filter(
            Q(home_party__name=a, partner__name=b)
            | Q(home_party__name=b, partner__name=a)
        )

    def test_the_registry_becomes_cities_and_agreements(self):
        output = self.run_command(tsv(ROWS), "--user", "registrar")
        self.assertEqual(self.pair("Veliko Tarnovo", "Asti").count(), 1)
        toledos = City.objects.filter(name="Toledo")
        self.assertEqual(sorted(t.country.code for t in toledos), ["ES", "US"])
        self.assertIsNone(toledos.get(country="US").population)
        self.assertEqual(toledos.get(country="ES").population, 83459)
        enneries = City.objects.filter(name="Ennery", country="FR")
        self.assertEqual(enneries.count(), 2)
        self.assertEqual(self.pair("Ennery", "Ennery").count(), 1)
        self.assertEqual(City.objects.get(name="Vlăhița").country.code, "RO")
        self.assertFalse(City.objects.filter(name="Beit Sira").exists())
        self.assertEqual(Agreement.objects.count(), 6)
        self.assertIn("rows repeated outright                1", output)
        self.assertIn("pairs listed from both sides          1", output)
        self.assertIn("Beit Sira", output)
        self.assertEqual(City.history.filter(name="Asti").get().history_user, self.user)
        self.assertFalse(City.objects.filter(published=True).exists())

    def test_the_rows_and_their_history_rows_exactly(self):
        self.run_command(tsv(ROWS), "--user", "registrar")
        cities = City.objects.order_by("pk").values_list(
            "name", "country", "region", "population", "latitude", "longitude", "slug"
        )
        self.assertEqual(
            list(cities),
            [
                (
                    "Veliko Tarnovo",
                    "BG",
                    "",
                    71150,
                    Decimal("43.08"),
                    Decimal("25.63"),
                    "veliko-tarnovo-bg",
                ),
                ("Asti", "IT", "", 76173, Decimal("44.9"), Decimal("8.2"), "asti-it"),
                (
                    "Toledo",
                    "ES",
                    "",
                    83459,
                    Decimal("39.8667"),
                    Decimal("-4.0333"),
                    "toledo-es",
                ),
                (
                    "Poznań",
                    "PL",
                    "",
                    None,
                    Decimal("52.4"),
                    Decimal("16.9167"),
                    "poznan-pl",
                ),
                (
                    "Toledo",
                    "US",
                    "",
                    None,
                    Decimal("41.6639"),
                    Decimal("-83.5552"),
                    "toledo-us",
                ),
                (
                    "Ennery",
                    "FR",
                    "at 49.23°N, 6.22°E",
                    1938,
                    Decimal("49.2261"),
                    Decimal("6.2167"),
                    "ennery-fr",
                ),
                (
                    "Ennery",
                    "FR",
                    "at 49.07°N, 2.11°E",
                    2377,
                    Decimal("49.0744"),
                    Decimal("2.1061"),
                    "ennery-fr-2",
                ),
                (
                    "Cegléd",
                    "HU",
                    "",
                    35000,
                    Decimal("47.1772"),
                    Decimal("19.7981"),
                    "cegled-hu",
                ),
                (
                    "Vlăhița",
                    "RO",
                    "",
                    None,
                    Decimal("46.35"),
                    Decimal("25.53"),
                    "vlahita-ro",
                ),
                (
                    "Tulln",
                    "AT",
                    "",
                    16000,
                    Decimal("48.33"),
                    Decimal("16.05"),
                    "tulln-at",
                ),
                (
                    "Montreuil",
                    "FR",
                    "",
                    None,
                    Decimal("48.8603"),
                    Decimal("2.443"),
                    "montreuil-fr",
                ),
            ],
        )
        self.assertEqual(
            set(City.objects.values_list("role", "published", "name_local", "parent")),
            {("partner", False, "", None)},
        )
        agreements = Agreement.objects.order_by("pk").values_list(
            "home_party__slug", "partner__slug"
        )
        self.assertEqual(
            list(agreements),
            [
                ("veliko-tarnovo-bg", "asti-it"),
                ("veliko-tarnovo-bg", "toledo-es"),
                ("poznan-pl", "toledo-us"),
                ("ennery-fr", "ennery-fr-2"),
                ("cegled-hu", "vlahita-ro"),
                ("tulln-at", "vlahita-ro"),
            ],
        )
        self.assertEqual(
            set(
                Agreement.objects.values_list(
                    "kind", "status", "published", "signed_on", "origin"
                )
            ),
            {("sister_city", "active", False, None, "")},
        )
        # One "created" history row per row, equal to it, by the user, no reason.
        for model in (City, Agreement):
            fields = [f.attname for f in model._meta.concrete_fields]
            rows = {row[0]: row for row in model.objects.values_list(*fields)}
            history = model.history.values_list(
                *fields, "history_type", "history_user", "history_change_reason"
            )
            self.assertEqual(
                sorted(history),
                sorted((*row, "+", self.user.pk, None) for row in rows.values()),
            )

    def test_cached_public_pages_are_renewed_after_the_import(self):
        from partnerships.public import cache

        before = cache.generation()
        with self.captureOnCommitCallbacks(execute=True):
            self.run_command(tsv(ROWS), "--publish")
        self.assertNotEqual(cache.generation(), before)

    def test_only_a_publisher_publishes_what_it_imports(self):
        with self.assertRaisesMessage(CommandError, "may not publish"):
            self.run_command(tsv(ROWS), "--publish", "--user", "registrar")
        self.assertFalse(Agreement.objects.exists())
        setup_roles()
        self.user.groups.add(Group.objects.get(name=PUBLISHER))
        self.run_command(tsv(ROWS), "--publish", "--user", "registrar")
        self.assertTrue(Agreement.objects.exists())
        self.assertFalse(Agreement.objects.filter(published=False).exists())

    def test_running_it_again_changes_nothing(self):
        self.run_command(tsv(ROWS))
        cities, agreements = City.objects.count(), Agreement.objects.count()
        histories = City.history.count() + Agreement.history.count()
        output = self.run_command(tsv(ROWS))
        self.assertIn("cities created                        0", output)
        self.assertEqual(City.objects.count(), cities)
        self.assertEqual(Agreement.objects.count(), agreements)
        self.assertEqual(City.history.count() + Agreement.history.count(), histories)

    def test_recorded_cities_are_reused_and_left_alone(self):
        asti = make_city(name="Asti", country="IT", population=None)
        self.run_command(tsv(ROWS[:1]))
        asti.refresh_from_db()
        self.assertIsNone(asti.population)
        self.assertEqual(City.objects.filter(name="Asti").count(), 1)

    def test_strict_refuses_a_country_it_cannot_tell_and_writes_nothing(self):
        with self.assertRaisesMessage(CommandError, "Beit Sira"):
            self.run_command(tsv(ROWS), "--strict")
        self.assertFalse(City.objects.exists())

    def test_a_bad_row_writes_nothing(self):
        rows = [*ROWS[:3], "Asti\tItaly\t95.0\t8.2\t1\tNice\t43.7\t7.26\t1\tFrance"]
        with self.assertRaisesMessage(CommandError, "Nothing was imported"):
            self.run_command(tsv(rows))
        self.assertFalse(City.objects.exists())
        self.assertFalse(Agreement.objects.exists())

    def test_a_city_its_fields_refuse_writes_nothing(self):
        long_name = "A" * 201
        rows = [
            *ROWS[:3],
            f"{long_name}\tItaly\t45.0\t8.2\t1\tNice\t43.7\t7.26\t1\tFrance",
        ]
        with self.assertRaisesMessage(CommandError, "at most 200 characters"):
            self.run_command(tsv(rows))
        self.assertFalse(City.objects.exists())
        self.assertFalse(Agreement.objects.exists())

    def test_a_file_that_is_not_the_registry(self):
        with self.assertRaisesMessage(CommandError, "lacks the column"):
            self.run_command("Name\tCountry\nAsti\tItaly\n")
        with self.assertRaisesMessage(CommandError, "not UTF-8"):
            path = Path(tempfile.mkdtemp()) / "r.tsv"
            path.write_bytes(tsv(ROWS[3:5]).encode("cp1250"))
            call_command("import_partnerships", str(path), stdout=io.StringIO())

    def test_dry_run_writes_nothing(self):
        output = self.run_command(tsv(ROWS), "--dry-run")
        self.assertIn("Dry run", output)
        self.assertFalse(City.objects.exists())

    def test_progress_bar(self):
        err = io.StringIO()
        call_command(
            "import_partnerships",
            str(self.write(tsv(ROWS))),
            "--progress",
            stdout=io.StringIO(),
            stderr=err,
        )
        self.assertIn("100%", err.getvalue())

    def test_a_row_naming_the_home_municipality_second_puts_it_on_the_home_side(self):
        home = make_home(region="Chongqing Municipality")
        row = "\t".join(
            ("Toulouse", "France", "43.6044", "1.4419", "458298")
            + ("Chongqing", "29.55", "106.5069", "30165500")
            + ("People's Republic of China",)
        )
        self.run_command(tsv([row]))
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.home_party, home)
        self.assertEqual(agreement.partner.name, "Toulouse")
        self.assertEqual(City.objects.filter(name="Chongqing").count(), 1)

    def test_a_district_named_first_stays_on_the_home_side(self):
        district = make_district(name="Yuzhong")
        row = "\t".join(
            ("Yuzhong", "China", "29.55", "106.56", "")
            + ("Asti", "44.9", "8.2", "76173", "Italy")
        )
        self.run_command(tsv([row]))
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.home_party, district)
        self.assertEqual(agreement.partner.name, "Asti")


# What a write reports, for a run that only reads and plans the file.
WRITTEN = dict.fromkeys(
    (
        "cities_new",
        "cities_existing",
        "agreements_new",
        "agreements_existing",
        "no_population",
    ),
    0,
)


class RegistryFileTests(TestCase):
    """The registry travels with the repository: a clone needs nothing beside it."""

    def test_the_default_file_is_the_copy_in_the_repository(self):
        self.assertTrue(REGISTRY_FILE.is_relative_to(settings.BASE_DIR))
        digest = hashlib.sha256(REGISTRY_FILE.read_bytes()).hexdigest()
        # The digest its README gives: the file is kept as published.
        readme = (REGISTRY_FILE.parent / "README.md").read_text()
        self.assertIn(digest, readme)
        self.assertIn("CC0", readme)

    def test_the_command_reads_it_when_given_no_path(self):
        out = io.StringIO()
        with mock.patch.object(registry, "write", return_value=WRITTEN):
            call_command("import_partnerships", "--dry-run", stdout=out)
        self.assertIn("rows read                        13,081", out.getvalue())
