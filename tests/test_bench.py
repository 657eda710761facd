"""Smoke test of the benchmark harness (bench/) at a tiny scale; nothing is timed."""

import json
from unittest import mock

from django.db import connection
from django.test import TestCase, override_settings

from bench import build, run
from partnerships.models import Agreement, City, DelegationMember, Visit
from partnerships.models.choices import CityRole


def quiet(*args, **kwargs):
    pass


@override_settings(PARTNERSHIPS_PAGE_CACHE_SECONDS=600)
class BenchSmokeTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.counts = build.build(
            run.SCALES["tiny"], force=True, log=quiet, migrate=False
        )
        cls.voronezh_visits = Visit.objects.filter(
            partner_city__slug="voronezh"
        ).count()

    def test_build_writes_synthetic_records_at_the_given_scale(self):
        self.assertEqual(
            City.objects.filter(name__startswith="Benchmark City ").count(), 12
        )
        self.assertEqual(
            Visit.objects.filter(title__startswith="Benchmark").count(), 60
        )
        self.assertEqual(
            DelegationMember.objects.filter(
                visit__title__startswith="Benchmark"
            ).count(),
            180,
        )
        registry = Agreement.objects.exclude(home_party__role=CityRole.HOME)
        self.assertEqual(registry.count(), self.counts["registry pairs"])
        self.assertGreater(registry.count(), 0)
        # The seed is there too, so the Voronezh page is measured.
        self.assertTrue(City.objects.filter(slug="voronezh").exists())

    def test_refuses_a_database_not_named_for_the_benchmark(self):
        with (
            mock.patch.dict(connection.settings_dict, {"NAME": "foreignaffairs"}),
            self.assertRaises(SystemExit),
        ):
            build.check_database(force=False)
        with mock.patch.dict(connection.settings_dict, {"NAME": "fa_bench"}):
            build.check_database(force=False)

    def test_every_pair_once_whichever_side_lists_it(self):
        cities, pairs, _skipped = build.read_registry(limit=200)
        keys = [frozenset(pair) for pair in pairs]
        self.assertEqual(len(keys), len(set(keys)))
        for origin, sister in pairs:
            self.assertIn(origin, cities)
            self.assertEqual(len(origin[1]), 2)  # an ISO code
            self.assertEqual(len(sister[1]), 2)

    def test_run_measures_each_path_next_to_its_anchor(self):
        report = run.run("tiny", build=False, fork=False, log=quiet, import_rows=10)
        results = report["results"]
        json.dumps(report, default=str)
        for name in (
            "export XLSX, all visits",
            "xlsxwriter constant_memory, same cells",
            "export CSV, all visits",
            "csv module, same rows",
            "admin visit changelist",
            "bare ModelAdmin changelist",
            "public partner list",
            "Voronezh page",
            "csv parse and COPY of the same visits",
            "import visits (manage.py import)",
            "COPY of the rows it wrote, history included, into copies of the tables",
        ):
            self.assertNotIn("error", results[name], name)
            self.assertIn("seconds", results[name])
            self.assertIn("queries", results[name])
        self.assertEqual(results["export XLSX, all visits"]["rows"], 60)
        self.assertEqual(results["xlsxwriter constant_memory, same cells"]["rows"], 60)
        self.assertIn("ratio", results["export XLSX, all visits"])
        self.assertEqual(results["Voronezh page, cached"]["queries"], 0)
        # The import's anchor COPYs exactly what the import wrote: the visits,
        # their members and links, and a history row for each.
        written = results["import visits (manage.py import)"]["written"]
        self.assertEqual(written["partnerships_visit"], 10)
        self.assertEqual(written["partnerships_historicalvisit"], 10)
        self.assertGreater(written["partnerships_delegationmember"], 10)
        self.assertEqual(
            written["partnerships_historicaldelegationmember"],
            written["partnerships_delegationmember"],
        )
        anchor = (
            "COPY of the rows it wrote, history included, into copies of the tables"
        )
        self.assertEqual(results[anchor]["rows"], sum(written.values()))
        self.assertIn("ratio", results["import visits (manage.py import)"])
        # Two stricter bounds beside it: logged copies, and the tables themselves.
        self.assertEqual(len(results[anchor]["also"]), 2)
        for seconds in results[anchor]["also"].values():
            self.assertGreater(seconds, 0)
        self.assertGreater(results["Voronezh page"]["queries"], 0)
        # The partner page next to itself with fewer visits, in as many queries;
        # the visits moved away for the anchor are back afterwards.
        for measured, anchor in (
            ("Voronezh page, 1,000 visits", "the same page with its 10 latest visits"),
            (
                "Voronezh's visits, page 20 (1,000 visits)",
                "its page 1 with only its 50 latest visits",
            ),
        ):
            self.assertNotIn("error", results[anchor], anchor)
            self.assertIn("ratio", results[measured])
            self.assertEqual(results[measured]["queries"], results[anchor]["queries"])
        self.assertEqual(
            Visit.objects.filter(partner_city__slug="voronezh").count(),
            self.voronezh_visits,
        )
        table = run.table(report)
        self.assertIn("| export XLSX, all visits | 60 |", table)
        self.assertIn("| ↳ the same COPY into the tables themselves |", table)
        # Measurements of others' code are in the table even when they fail.
        for name in ("import visits (manage.py import)", "period report 2020"):
            self.assertIn(name, results)
