"""The officials' period report: one workbook for a period, sent up the hierarchy.

Sheets: a cover (the office's name in three languages, the period, when and by
whom it was made, the headline figures and a paragraph saying them), a summary
per partnership (kind, signed on, completed visits each way between its two
parties in the period, active collaborations, last contact, gone quiet), the
visits of the period with their delegations, the collaborations active in the
period, the agreements' anniversaries and renewals that fall in it, and a native
chart of completed visits per partner. A completed visit whose two parties have no
agreement in the list is counted on its own row, so the totals are the period's
completed visits.

Everything is written in the report's language (``ReportFilter.language``):
headers, names, sectors, and dates as precisely as they are known. Every sheet
prints on A4 landscape (``printing``). Written by the lists' own XLSX writer
(``writing.XlsxBook``) in constant-memory mode: text is always written as text
(never a formula; formula-like text with Excel's quote prefix), dates as real
dates. Rows are read as tuples (``queries``). Unpublished records are counted (the
report is the office's own); internal notes are not part of the report.
"""

import io
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ... import office
from ...models.partial_dates import format_date
from .agreements import agreement_events, write_agreements
from .chart import write_chart
from .collaborations import write_collaborations
from .cover import write_cover
from .figures import headline_figures
from .paragraph import list_text
from .queries import agreements_with_contacts, completed_visits
from .sheet import report_book
from .summary import write_summary
from .visits import write_visits


@dataclass
class ReportFilter:
    """What the report covers, in which language, made when and by whom."""

    first: object
    last: object
    partners: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    today: object = None
    language: str = None
    made_by: str = ""

    def made_on(self):
        return self.today or timezone.localdate()

    def describe(self):
        parts = [
            _("Period: %(first)s to %(last)s")
            % {"first": format_date(self.first), "last": format_date(self.last)}
        ]
        if self.partners:
            parts.append(
                _("Partners: %(names)s")
                % {"names": list_text(p.name for p in self.partners)}
            )
        if self.sectors:
            parts.append(
                _("Sectors: %(names)s")
                % {"names": list_text(s.name for s in self.sectors)}
            )
        return "; ".join(parts)


def build_report(report, out=None):
    """Write the workbook for ``report`` to ``out`` (a file or buffer); return it."""
    out = out if out is not None else io.BytesIO()
    language = report.language or translation.get_language()
    # The cover and every sheet's footer name the office: its settings read once.
    with translation.override(language), office.read_once():
        book = report_book(report, out)
        agreement_list = agreements_with_contacts(report)
        events = agreement_events(report, agreement_list)
        groups = completed_visits(report)
        figures = headline_figures(report, groups, agreement_list, events)
        write_cover(book, report, figures)
        per_partner = write_summary(book, report, agreement_list, groups, figures)
        write_visits(book, report)
        write_collaborations(book, report)
        write_agreements(book, events)
        write_chart(book, per_partner)
        book.close()
    return out
