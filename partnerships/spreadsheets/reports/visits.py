"""The Visits sheet: the period's visits with their delegations and sectors."""

from django.utils.translation import gettext as _

from ...models import City, DelegationMember, Visit
from ...models.choices import DatePrecision
from ...models.partial_dates import format_date
from ..exports import chunks
from .queries import (
    choice_labels,
    delegations,
    visit_rows,
    visit_sectors,
)
from .sheet import Sheet


def visit_title(title, direction, start_date, precision, partner, home):
    """The visit's own title, or the one it is shown under when it has none."""
    if title:
        return title
    return Visit(
        title=title,
        direction=direction,
        start_date=start_date,
        date_precision=precision,
        partner_city=City(pk=partner[0], name=partner[1]),
        home_party=City(pk=home[0], name=home[1]),
    ).display_title


def as_known(day, precision):
    """A real date where the day is known; else the month or year, as text."""
    if day is None or precision == DatePrecision.DAY:
        return day
    return format_date(day, precision)


def write_visits(book, report):
    """Write the Visits sheet, reading the visits in chunks."""
    visit_sheet = Sheet(
        book,
        _("Visits"),
        [
            _("Start date"),
            _("End date"),
            _("Direction"),
            _("Partner city"),
            _("Home party"),
            _("Title"),
            _("Status"),
            _("Delegation"),
            _("Sectors"),
            _("Purpose"),
            _("Outcomes"),
            _("Public summary"),
        ],
    )
    directions = choice_labels(Visit, "direction")
    statuses = choice_labels(Visit, "status")
    roles = choice_labels(DelegationMember, "role")
    for chunk in chunks(visit_rows(report)):
        ids = [row[0] for row in chunk]
        members, sectors = delegations(ids, roles), visit_sectors(ids)
        for (
            pk,
            start_date,
            end_date,
            precision,
            direction,
            partner_id,
            partner,
            home_id,
            home,
            title,
            status,
            purpose,
            outcomes,
            public_summary,
        ) in chunk:
            visit_sheet.append(
                [
                    as_known(start_date, precision),
                    as_known(end_date, precision),
                    directions.get(direction, direction),
                    partner,
                    home,
                    visit_title(
                        title,
                        direction,
                        start_date,
                        precision,
                        (partner_id, partner),
                        (home_id, home),
                    ),
                    statuses.get(status, status),
                    members.get(pk, ""),
                    sectors.get(pk, ""),
                    purpose,
                    outcomes,
                    public_summary,
                ]
            )
    visit_sheet.finish()
