"""Dates as precise as they are known: read, written for files, shown to people."""

import datetime

from django.test import SimpleTestCase
from django.utils import translation

from partnerships.models.partial_dates import (
    DateError,
    format_date,
    format_range,
    iso,
    month_numbers,
    parse,
)

D = datetime.date


class ParseTests(SimpleTestCase):
    def test_every_form_the_office_writes(self):
        cases = {
            "2027-05-14": (D(2027, 5, 14), "day"),
            "2027-05": (D(2027, 5, 1), "month"),
            "2027-5": (D(2027, 5, 1), "month"),
            "2027": (D(2027, 1, 1), "year"),
            "2027年5月14日": (D(2027, 5, 14), "day"),
            "2027年5月": (D(2027, 5, 1), "month"),
            "2027年": (D(2027, 1, 1), "year"),
            "2027 г.": (D(2027, 1, 1), "year"),
            "May 2027": (D(2027, 5, 1), "month"),
            "14 May 2027": (D(2027, 5, 14), "day"),
            "май 2027 г.": (D(2027, 5, 1), "month"),
            "Май 2027": (D(2027, 5, 1), "month"),
            "14 мая 2027 г.": (D(2027, 5, 14), "day"),
            "  2027-05  ": (D(2027, 5, 1), "month"),
            "2024/3/5": (D(2024, 3, 5), "day"),
            "2024.3.5": (D(2024, 3, 5), "day"),
            "2024/03": (D(2024, 3, 1), "month"),
            "05.03.2024": (D(2024, 3, 5), "day"),
            "5.3.2024 г.": (D(2024, 3, 5), "day"),
            "2024年3月5日": (D(2024, 3, 5), "day"),
            "2024年3月": (D(2024, 3, 1), "month"),
            "2024年": (D(2024, 1, 1), "year"),
            "март 2024": (D(2024, 3, 1), "month"),
            "March 2024": (D(2024, 3, 1), "month"),
            "2024": (D(2024, 1, 1), "year"),
            "": (None, "unknown"),
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                self.assertEqual(parse(text), expected)

    def test_english_abbreviations_in_any_language(self):
        month_numbers.cache_clear()
        self.addCleanup(month_numbers.cache_clear)
        with translation.override("ru"):
            self.assertEqual(parse("Sep 2027"), (D(2027, 9, 1), "month"))

    def test_spreadsheet_values(self):
        self.assertEqual(parse(None), (None, "unknown"))
        self.assertEqual(parse(D(2027, 5, 14)), (D(2027, 5, 14), "day"))
        moment = datetime.datetime(2027, 5, 14, 9, 30)
        self.assertEqual(parse(moment), (D(2027, 5, 14), "day"))

    def test_anything_else_is_refused_with_the_forms_accepted(self):
        for text in ("Mayday 2027", "27-05-14", "soon", "2027.05.14.1"):
            with self.subTest(text=text):
                with self.assertRaises(DateError) as caught:
                    parse(text)
                self.assertIn("2027-05", str(caught.exception))

    def test_a_slashed_day_and_month_is_ambiguous(self):
        for text in ("05/03/2024", "5/3/2024", "03-05-2024"):
            with self.subTest(text=text):
                with self.assertRaises(DateError) as caught:
                    parse(text)
                message = str(caught.exception)
                self.assertIn("ambiguous", message)
                self.assertIn("2027年5月14日", message)
                self.assertIn("14.05.2027", message)

    def test_mixed_separators_are_not_a_date(self):
        for text in ("2024/3.5", "05.03/2024", "2024.13.1"):
            with self.subTest(text=text), self.assertRaises(DateError):
                parse(text)

    def test_a_day_not_in_the_calendar(self):
        for text in ("2023-02-29", "2027-13"):
            with (
                self.subTest(text=text),
                self.assertRaisesMessage(DateError, "not a day of the calendar"),
            ):
                parse(text)


class WriteTests(SimpleTestCase):
    def test_iso_says_no_more_than_known(self):
        day = D(2027, 5, 14)
        self.assertEqual(iso(day, "day"), "2027-05-14")
        self.assertEqual(iso(day, "month"), "2027-05")
        self.assertEqual(iso(day, "year"), "2027")
        self.assertEqual(iso(None, "unknown"), "")

    def test_each_precision_in_each_language(self):
        day = D(2027, 5, 14)
        expected = {
            "en": ("14 May 2027", "May 2027", "2027"),
            "zh-hans": ("2027年5月14日", "2027年5月", "2027年"),
            "ru": ("14 мая 2027 г.", "май 2027 г.", "2027 г."),
        }
        for language, texts in expected.items():
            with self.subTest(language=language), translation.override(language):
                self.assertEqual(
                    tuple(format_date(day, p) for p in ("day", "month", "year")),
                    texts,
                )
                self.assertEqual(format_date(None, "unknown"), "")

    def test_a_range_leaves_out_an_end_that_is_the_start(self):
        self.assertEqual(
            format_range(D(2027, 5, 1), D(2027, 6, 1), "month"), "May 2027 – June 2027"
        )
        self.assertEqual(
            format_range(D(2027, 5, 1), D(2027, 5, 1), "month"), "May 2027"
        )
        self.assertEqual(format_range(D(2027, 5, 14), None), "14 May 2027")

    def test_what_is_shown_reads_back_the_same(self):
        day = D(2027, 5, 14)
        for language in ("en", "zh-hans", "ru"):
            for precision in ("day", "month", "year"):
                with self.subTest(language=language, precision=precision):
                    with translation.override(language):
                        text = format_date(day, precision)
                    self.assertEqual(parse(text)[1], precision)
