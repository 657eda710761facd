"""Date arithmetic for agreements' derived facts: anniversaries and quiet periods.

Every derived date in the system comes from here, so the rules for 29 February and
for unknown dates live in one place. A date that is not known is ``None`` and every
function answers ``None`` for it rather than guessing.
"""

import datetime

from django.utils import timezone


def is_after_today(day):
    """Whether ``day`` is after the office's today.

    The office's today is within a day of UTC's, so a day before that needs no
    look-up of the office's time zone (which costs more than the rest of a
    visit's checks when a spreadsheet checks thousands).
    """
    utc_today = datetime.datetime.now(datetime.UTC).date()
    if day < utc_today - datetime.timedelta(days=1):
        return False
    return day > timezone.localdate()


def anniversary_in_year(start, year):
    """The anniversary of ``start`` in ``year``; 29 February falls on 28 February."""
    if start is None:
        return None
    try:
        return start.replace(year=year)
    except ValueError:
        # Only 29 February fails; the anniversary stays in the month it was signed.
        return start.replace(year=year, day=28)


def whole_years_between(start, end):
    """Completed years from ``start`` to ``end``; ``None`` if either is unknown."""
    if start is None or end is None:
        return None
    years = end.year - start.year
    if end < anniversary_in_year(start, end.year):
        years -= 1
    return max(years, 0)


def next_round_anniversary(start, today, step=5):
    """The next anniversary on or after ``today`` that is a multiple of ``step``.

    Returns ``(date, years)`` or ``None`` when ``start`` is unknown.
    """
    if start is None:
        return None
    if today <= start:
        years = step
    else:
        years = today.year - start.year
        if anniversary_in_year(start, today.year) < today:
            years += 1
        years = max(years, 1)
        years = -(-years // step) * step
    return anniversary_in_year(start, start.year + years), years


def anniversaries_between(start, first, last):
    """Every anniversary of ``start`` from ``first`` to ``last``, inclusive.

    Yields ``(date, years)``; nothing when ``start`` is unknown.
    """
    if start is None or first > last:
        return
    for year in range(max(first.year, start.year + 1), last.year + 1):
        day = anniversary_in_year(start, year)
        if first <= day <= last:
            yield day, year - start.year


def years_before(day, years):
    """The same calendar day ``years`` earlier; 29 February becomes 28 February."""
    return anniversary_in_year(day, day.year - years)


def has_gone_quiet(last_contact, today, quiet_after_years, since=None):
    """True when nothing is recorded within the last ``quiet_after_years`` years.

    ``since`` is when the relationship began: a partnership younger than the quiet
    period has not gone quiet yet. An unknown last contact counts as none at all:
    undated visits cannot show that the link is alive now.
    """
    threshold = years_before(today, quiet_after_years)
    if since is not None and since > threshold:
        return False
    return last_contact is None or last_contact < threshold
