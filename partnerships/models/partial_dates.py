"""Dates as precise as they are known: to the day, the month, the year, or not at all.

A visit known as "May 2027" is stored as 2027-05-01 with the precision "month":
the first day keeps lists in order and year filters and indexes working, and the
precision says how much of it is true. Whatever reads or writes a date as text
goes through here, so no page, file or title says "1 May" of it:

- ``parse`` reads what a clerk types or a spreadsheet holds: ``2027-05-14``,
  ``2027-05``, ``2027``, ``2027/5/14``, ``2027.5.14``, ``2027年5月14日``,
  ``2027年5月``, ``2027年``, the partner's dotted ``14.05.2027``, month names in
  the three languages ("May 2027", "май 2027 г.", "14 мая 2027"), or nothing.
  A slashed day and month (``05/03/2027``) is refused as ambiguous.
- ``iso`` writes it for files: ``2027-05-14``, ``2027-05``, ``2027``.
- ``format_date`` writes it for people, in their language: "14 May 2027",
  "May 2027", "2027"; "2027年5月14日", "2027年5月", "2027年"; "14 мая 2027 г.",
  "май 2027 г.", "2027 г.".
"""

import datetime
import re
from functools import lru_cache

from django.utils import translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from .choices import DatePrecision

# A month's name before its year ("May 2027", "май 2027 г.", "2027年5月"), where
# Russian writes it in lower case (Django's own names are capitalised labels).
MONTH_IN_DATE = {
    1: pgettext_lazy("month before its year", "January"),
    2: pgettext_lazy("month before its year", "February"),
    3: pgettext_lazy("month before its year", "March"),
    4: pgettext_lazy("month before its year", "April"),
    5: pgettext_lazy("month before its year", "May"),
    6: pgettext_lazy("month before its year", "June"),
    7: pgettext_lazy("month before its year", "July"),
    8: pgettext_lazy("month before its year", "August"),
    9: pgettext_lazy("month before its year", "September"),
    10: pgettext_lazy("month before its year", "October"),
    11: pgettext_lazy("month before its year", "November"),
    12: pgettext_lazy("month before its year", "December"),
}
ACCEPTED = (
    "2027-05-14, 2027-05, 2027, 2027/5/14, 2027.5.14, 2027年5月14日, 2027年5月, "
    "14.05.2027, May 2027"
)

ISO = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2})(?:-(?P<day>\d{1,2}))?)?")
CHINESE = re.compile(
    r"(?P<year>\d{4})\s*年(?:\s*(?P<month>\d{1,2})\s*月(?:\s*(?P<day>\d{1,2})\s*日)?)?"
)
# "2027/5/14", "2027.5.14", "2027/5": year first, one separator throughout.
YEAR_FIRST = re.compile(
    r"(?P<year>\d{4})(?P<sep>[/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<day>\d{1,2}))?"
)
# "14.05.2027", "14.05.2027 г.": the day first, dotted, as Russian writes it.
DOTTED = re.compile(
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?:\s*(?:г\.?|года?))?"
)
# "05/03/2024": the 5th of March or the 3rd of May, depending on who wrote it.
SLASHED_DAY_MONTH = re.compile(r"\d{1,2}[/-]\d{1,2}[/-]\d{2,4}")
# "2027 г.", "2027 года": a year as Russian writes it.
RUSSIAN_YEAR = re.compile(r"(?P<year>\d{4})\s*(?:г\.?|года?)(?P<month>)(?P<day>)")
# "14 May 2027", "May 2027", "14 мая 2027 г.", "май 2027 года".
NAMED = re.compile(
    r"(?:(?P<day>\d{1,2})\.?\s+)?(?P<name>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})"
    r"(?:\s*(?:г\.?|года?))?",
)


class DateError(ValueError):
    """Text that is not a date this office writes; its message says what is."""


def parse(value):
    """``(first day, precision)`` of ``value``: text, a date, or nothing.

    Raises ``DateError`` for anything else, with the forms accepted.
    """
    if value is None:
        return None, DatePrecision.UNKNOWN
    if isinstance(value, datetime.datetime):
        return value.date(), DatePrecision.DAY
    if isinstance(value, datetime.date):
        return value, DatePrecision.DAY
    if type(value) is str and len(value) == 10 and value[4] == value[7] == "-":
        # The common case, a whole ISO date, without the patterns below.
        try:
            return datetime.date.fromisoformat(value), DatePrecision.DAY
        except ValueError:
            pass
    text = " ".join(str(value).split()).strip()
    if not text:
        return None, DatePrecision.UNKNOWN
    for pattern in (ISO, CHINESE, YEAR_FIRST, DOTTED, RUSSIAN_YEAR):
        found = pattern.fullmatch(text)
        if found:
            return build(text, found["year"], found["month"], found["day"])
    if SLASHED_DAY_MONTH.fullmatch(text):
        raise DateError(
            gettext(
                "“%(text)s” is ambiguous: the day and the month could be either "
                "way round. Write it as %(accepted)s."
            )
            % {"text": text, "accepted": ACCEPTED}
        )
    found = NAMED.fullmatch(text)
    if found:
        month = month_numbers().get(found["name"].casefold())
        if month is not None:
            return build(text, found["year"], month, found["day"])
    raise DateError(
        gettext(
            "“%(text)s” is not a date. Write it as %(accepted)s, or leave it empty."
        )
        % {"text": text, "accepted": ACCEPTED}
    )


def build(text, year, month, day):
    precision = (
        DatePrecision.DAY
        if day
        else DatePrecision.MONTH
        if month
        else DatePrecision.YEAR
    )
    try:
        return (
            datetime.date(int(year), int(month or 1), int(day or 1)),
            precision,
        )
    except ValueError:
        raise DateError(
            gettext("“%(text)s” is not a day of the calendar.") % {"text": text}
        ) from None


@lru_cache(maxsize=1)
def month_numbers():
    """Month names in the three languages, as written alone or in a date."""
    names = {}
    for code in ("en", "zh-hans", "ru"):
        with translation.override(code):
            for number in range(1, 13):
                for name in (MONTHS[number], MONTHS_ALT[number], MONTH_IN_DATE[number]):
                    names[str(name).casefold()] = number
    # English abbreviations a spreadsheet may carry ("Sep 2027"), whatever
    # language is active when this is first asked.
    with translation.override("en"):
        for number in range(1, 13):
            names.setdefault(str(MONTHS_3[number]).casefold(), number)
    return names


def normalise(day, precision):
    """``day`` as stored for ``precision``: the first day of its month or year."""
    if day is None or precision == DatePrecision.UNKNOWN:
        return None
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    return day


def settle(day, precision):
    """``(day, precision)`` as stored: "unknown" without a day, a day's own
    precision where none is said, and a month or year as its first day."""
    if day is None:
        return None, DatePrecision.UNKNOWN
    if precision == DatePrecision.UNKNOWN:
        precision = DatePrecision.DAY
    return normalise(day, precision), precision


def period(start, end, precision):
    """``(first day, last day)`` a start and end could mean; ``None`` if undated.

    "May 2027" runs from 1 to 31 May; "2027" the whole year.
    """
    if start is None or precision == DatePrecision.UNKNOWN:
        return None
    last = end or start
    if precision == DatePrecision.YEAR:
        last = last.replace(month=12, day=31)
    elif precision == DatePrecision.MONTH:
        following = last.replace(day=28) + datetime.timedelta(days=4)
        last = following - datetime.timedelta(days=following.day)
    return start, last


def iso(day, precision):
    """ISO 8601 to the precision known: 2027, 2027-05 or 2027-05-14; "" if none."""
    if day is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{day.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def format_date(day, precision=DatePrecision.DAY):
    """``day`` for people, in the active language, no more exact than known.

    ``None`` (or the precision "unknown") gives "".
    """
    if day is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return pgettext("a year alone, as in a date", "%(year)s") % {"year": day.year}
    if precision == DatePrecision.MONTH:
        return pgettext("a month and its year", "%(month)s %(year)s") % {
            "month": MONTH_IN_DATE[day.month],
            "year": day.year,
        }
    if (translation.get_language() or "en").startswith("en"):
        # The office writes "20 October 1993", as the source article does.
        return date_format(day, "j F Y")
    return date_format(day, "DATE_FORMAT")


def format_range(start, end, precision=DatePrecision.DAY):
    """A start and an end for people; the end left out when it is the start."""
    first = format_date(start, precision)
    if end is None or end == start or not first:
        return first
    return gettext("%(start)s – %(end)s") % {
        "start": first,
        "end": format_date(end, precision),
    }


def span_text(start, start_precision, end, end_precision):
    """A start and an end each known to its own precision, for people:
    "2019 – March 2024", "since May 2019", "until 2023"; "" if neither."""
    first = format_date(start, start_precision)
    last = format_date(end, end_precision)
    if first and last:
        return gettext("%(start)s – %(end)s") % {"start": first, "end": last}
    if first:
        return gettext("since %(start)s") % {"start": first}
    if last:
        return gettext("until %(end)s") % {"end": last}
    return ""
