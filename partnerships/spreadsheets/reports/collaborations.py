"""The Collaborations sheet: those active or completed in the period."""

from django.utils.translation import gettext as _

from ...models import Collaboration
from ...models.choices import Side
from ..exports import CHUNK_ROWS
from .queries import (
    activity_counts,
    choice_labels,
    collaboration_rows,
    focus_areas,
    participants,
)
from .sheet import Sheet
from .visits import as_known


def write_collaborations(book, report):
    """Write the Collaborations sheet with what each lists and its activities."""
    collaboration_sheet = Sheet(
        book,
        _("Collaborations"),
        [
            _("Partner city"),
            _("Sector"),
            _("Title"),
            _("Status"),
            _("Started on"),
            _("Ended on"),
            _("Focus areas"),
            _("Home participants"),
            _("Partner participants"),
            _("Activities in the period"),
        ],
    )
    statuses = choice_labels(Collaboration, "status")
    activities = activity_counts(report)
    areas, sides = focus_areas(report), participants(report)
    for (
        pk,
        partner,
        sector,
        title,
        status,
        started_on,
        started_precision,
        ended_on,
        ended_precision,
    ) in collaboration_rows(report).iterator(chunk_size=CHUNK_ROWS):
        collaboration_sheet.append(
            [
                partner,
                sector,
                title,
                statuses.get(status, status),
                as_known(started_on, started_precision),
                as_known(ended_on, ended_precision),
                areas.get(pk, ""),
                sides.get((pk, Side.HOME), ""),
                sides.get((pk, Side.PARTNER), ""),
                activities.get(pk, 0),
            ]
        )
    collaboration_sheet.finish()
