"""The derived-date rules: anniversaries, 29 February, unknown dates, quiet links."""

import datetime
from unittest import mock

from django.test import SimpleTestCase
from django.utils import timezone

from partnerships.models import dates

D = datetime.date


class AnniversaryInYearTests(SimpleTestCase):
    def test_ordinary_day(self):
        self.assertEqual(
            dates.anniversary_in_year(D(1993, 10, 20), 2026), D(2026, 10, 20)
        )

    def test_29_february_in_a_common_year_falls_on_28_february(self):
        self.assertEqual(
            dates.anniversary_in_year(D(2000, 2, 29), 2001), D(2001, 2, 28)
        )

    def test_29_february_in_a_leap_year_stays(self):
        self.assertEqual(
            dates.anniversary_in_year(D(2000, 2, 29), 2004), D(2004, 2, 29)
        )

    def test_unknown_date(self):
        self.assertIsNone(dates.anniversary_in_year(None, 2026))


class WholeYearsTests(SimpleTestCase):
    def test_day_before_anniversary(self):
        self.assertEqual(
            dates.whole_years_between(D(1993, 10, 20), D(2026, 10, 19)), 32
        )

    def test_on_anniversary(self):
        self.assertEqual(
            dates.whole_years_between(D(1993, 10, 20), D(2026, 10, 20)), 33
        )

    def test_29_february_counts_from_28_february_in_common_years(self):
        self.assertEqual(dates.whole_years_between(D(2000, 2, 29), D(2001, 2, 27)), 0)
        self.assertEqual(dates.whole_years_between(D(2000, 2, 29), D(2001, 2, 28)), 1)
        self.assertEqual(dates.whole_years_between(D(2000, 2, 29), D(2004, 2, 28)), 3)
        self.assertEqual(dates.whole_years_between(D(2000, 2, 29), D(2004, 2, 29)), 4)

    def test_unknown_dates(self):
        self.assertIsNone(dates.whole_years_between(None, D(2026, 1, 1)))
        self.assertIsNone(dates.whole_years_between(D(2026, 1, 1), None))

    def test_never_negative(self):
        self.assertEqual(dates.whole_years_between(D(2026, 1, 2), D(2026, 1, 1)), 0)


class NextRoundAnniversaryTests(SimpleTestCase):
    def test_voronezh_as_of_the_article(self):
        # Signed 1993-10-20; on 2024-03-20 the next round one is the 35th in 2028.
        self.assertEqual(
            dates.next_round_anniversary(D(1993, 10, 20), D(2024, 3, 20)),
            (D(2028, 10, 20), 35),
        )

    def test_round_anniversary_today_is_next(self):
        self.assertEqual(
            dates.next_round_anniversary(D(1993, 10, 20), D(2023, 10, 20)),
            (D(2023, 10, 20), 30),
        )

    def test_day_after_a_round_anniversary(self):
        self.assertEqual(
            dates.next_round_anniversary(D(1993, 10, 20), D(2023, 10, 21)),
            (D(2028, 10, 20), 35),
        )

    def test_signed_today_next_is_fifth(self):
        self.assertEqual(
            dates.next_round_anniversary(D(2026, 5, 1), D(2026, 5, 1)),
            (D(2031, 5, 1), 5),
        )

    def test_step_of_ten(self):
        self.assertEqual(
            dates.next_round_anniversary(D(1993, 10, 20), D(2024, 3, 20), step=10),
            (D(2033, 10, 20), 40),
        )

    def test_29_february(self):
        # The 5th anniversary of 2000-02-29 falls in 2005, a common year.
        self.assertEqual(
            dates.next_round_anniversary(D(2000, 2, 29), D(2004, 6, 1)),
            (D(2005, 2, 28), 5),
        )
        self.assertEqual(
            dates.next_round_anniversary(D(2000, 2, 29), D(2015, 3, 1)),
            (D(2020, 2, 29), 20),
        )

    def test_unknown_date(self):
        self.assertIsNone(dates.next_round_anniversary(None, D(2026, 1, 1)))


class AnniversariesBetweenTests(SimpleTestCase):
    def test_lists_each_in_range(self):
        got = list(
            dates.anniversaries_between(D(1993, 10, 20), D(2022, 1, 1), D(2024, 12, 31))
        )
        self.assertEqual(
            got, [(D(2022, 10, 20), 29), (D(2023, 10, 20), 30), (D(2024, 10, 20), 31)]
        )

    def test_excludes_the_signing_itself(self):
        got = list(
            dates.anniversaries_between(D(1993, 10, 20), D(1993, 1, 1), D(1994, 12, 31))
        )
        self.assertEqual(got, [(D(1994, 10, 20), 1)])

    def test_29_february_in_common_year(self):
        got = list(
            dates.anniversaries_between(D(2000, 2, 29), D(2001, 2, 28), D(2001, 2, 28))
        )
        self.assertEqual(got, [(D(2001, 2, 28), 1)])

    def test_unknown_or_empty(self):
        self.assertEqual(
            list(dates.anniversaries_between(None, D(2000, 1, 1), D(2030, 1, 1))), []
        )
        self.assertEqual(
            list(
                dates.anniversaries_between(
                    D(1993, 10, 20), D(2030, 1, 1), D(2000, 1, 1)
                )
            ),
            [],
        )


class GoneQuietTests(SimpleTestCase):
    today = D(2026, 11, 28)

    def test_recent_contact_is_not_quiet(self):
        self.assertFalse(dates.has_gone_quiet(D(2025, 1, 1), self.today, 3))

    def test_contact_exactly_three_years_ago_is_not_quiet(self):
        self.assertFalse(dates.has_gone_quiet(D(2023, 11, 28), self.today, 3))

    def test_older_contact_is_quiet(self):
        self.assertTrue(dates.has_gone_quiet(D(2023, 11, 27), self.today, 3))

    def test_no_known_contact_is_quiet(self):
        self.assertTrue(dates.has_gone_quiet(None, self.today, 3, D(1993, 10, 20)))

    def test_young_partnership_is_not_quiet(self):
        self.assertFalse(dates.has_gone_quiet(None, self.today, 3, D(2025, 1, 1)))

    def test_29_february_threshold(self):
        today = D(2028, 2, 29)
        # Three years before 2028-02-29 is 2025-02-28.
        self.assertFalse(dates.has_gone_quiet(D(2025, 2, 28), today, 3))
        self.assertTrue(dates.has_gone_quiet(D(2025, 2, 27), today, 3))


class AfterTodayTests(SimpleTestCase):
    """``is_after_today`` answers as ``day > timezone.localdate()`` in any zone."""

    def test_the_same_answer_as_the_offices_today_in_every_time_zone(self):
        now = datetime.datetime.now(datetime.UTC)
        days = [now.date() + datetime.timedelta(days=n) for n in range(-3, 4)]
        days += [D(1993, 10, 20), D(2999, 1, 1)]
        for zone in ("Pacific/Kiritimati", "Asia/Shanghai", "UTC", "Pacific/Niue"):
            with self.settings(TIME_ZONE=zone), timezone.override(zone):
                today = timezone.localdate()
                for day in days:
                    with self.subTest(zone=zone, day=day):
                        self.assertEqual(dates.is_after_today(day), day > today)

    def test_a_day_long_past_needs_no_time_zone(self):
        with mock.patch.object(timezone, "localdate") as localdate:
            self.assertFalse(dates.is_after_today(D(2001, 1, 1)))
            localdate.assert_not_called()
            tomorrow = datetime.datetime.now(datetime.UTC).date()
            tomorrow += datetime.timedelta(days=1)
            localdate.return_value = tomorrow - datetime.timedelta(days=1)
            self.assertTrue(dates.is_after_today(tomorrow))
