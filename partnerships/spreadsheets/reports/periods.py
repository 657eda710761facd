"""The periods a report is asked for by name: this year, last quarter, …"""

import datetime

from django.utils.translation import gettext_lazy as _

THIS_YEAR, LAST_YEAR = "this_year", "last_year"
THIS_QUARTER, LAST_QUARTER = "this_quarter", "last_quarter"
THIS_MONTH, CUSTOM = "this_month", "custom"
PERIODS = (
    (THIS_YEAR, _("This year")),
    (LAST_YEAR, _("Last year")),
    (THIS_QUARTER, _("This quarter")),
    (LAST_QUARTER, _("Last quarter")),
    (THIS_MONTH, _("This month")),
    (CUSTOM, _("Custom: the dates below")),
)


def period_bounds(period, today):
    """``(first day, last day)`` of the named ``period`` around ``today``."""
    year = today.year
    if period == THIS_YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if period == LAST_YEAR:
        return datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)
    if period == THIS_MONTH:
        return month_bounds(year, today.month)
    quarter = (today.month - 1) // 3
    if period == LAST_QUARTER:
        year, quarter = (year - 1, 3) if quarter == 0 else (year, quarter - 1)
    elif period != THIS_QUARTER:
        raise ValueError(f"No period named {period!r}.")
    first = month_bounds(year, 3 * quarter + 1)[0]
    return first, month_bounds(year, 3 * quarter + 3)[1]


def month_bounds(year, month):
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)
