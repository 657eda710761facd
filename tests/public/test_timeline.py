"""A partner's visits by year and in pages (``public/timeline.py``)."""

import datetime
from types import SimpleNamespace

from django.test import SimpleTestCase

from partnerships.public import timeline
from partnerships.public.timeline import VISITS_PAGE_SIZE, Year, by_year, grouped

D = datetime.date


def visit(year):
    return SimpleNamespace(start_date=D(year, 5, 1) if year else None)


class ByYearTests(SimpleTestCase):
    def test_every_year_listed_the_latest_open(self):
        counts = [(2026, 2), (2025, 1), (2024, 3), (None, 2)]
        shown = [visit(2026), visit(2026), visit(2025), visit(2024)]
        years = by_year(shown, counts, open_years=2)
        self.assertEqual([y.year for y in years], [2026, 2025, 2024, None])
        self.assertEqual([y.open for y in years], [True, True, False, False])
        self.assertEqual([len(y.visits) for y in years], [2, 1, 1, 0])
        self.assertEqual([y.more for y in years], [0, 0, 2, 2])
        self.assertEqual([y.anchor for y in years][-2:], ["year-2024", "year-undated"])

    def test_a_year_not_on_this_page_links_to_its_page_of_all_visits(self):
        # 60 visits in 2026, 30 in 2025, then 2024: each first found on page
        # 1 + (visits before it) // 50 of "all visits".
        counts = [(2026, 60), (2025, 30), (2024, 5)]
        shown = [visit(2026)] * timeline.TIMELINE_SIZE
        years = by_year(shown, counts)
        self.assertEqual([y.first for y in years], [0, 60, 90])
        # 2026's next visit after the 20 shown is the 21st: page 1.
        self.assertEqual(years[0].page, 1)
        self.assertEqual(years[1].page, 60 // VISITS_PAGE_SIZE + 1)
        self.assertEqual(years[2].page, 90 // VISITS_PAGE_SIZE + 1)

    def test_no_visits(self):
        self.assertEqual(by_year([], []), [])


class GroupedTests(SimpleTestCase):
    def test_a_page_by_year_in_its_order(self):
        years = grouped([visit(2026), visit(2026), visit(2019), visit(None)])
        self.assertEqual(
            [(y.year, y.count, y.open) for y in years],
            [(2026, 2, True), (2019, 1, True), (None, 1, True)],
        )

    def test_year_page_counts_from_its_first_visit(self):
        self.assertEqual(Year(year=2020, count=10, first=49).page, 1)
        self.assertEqual(Year(year=2020, count=10, first=50).page, 2)
