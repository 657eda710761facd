"""The officials' period report: one workbook for a period, sent up the hierarchy.

Sheets: a summary per partnership (kind, signed on, completed visits each way between
its two parties in the period, active collaborations, last contact, gone quiet), the
visits of the period with their delegations, the collaborations active in the period,
the agreements' anniversaries and renewals that fall in it, and a native chart of
completed visits per partner. A completed visit whose two parties have no agreement in
the list is counted on its own row, so the totals are the period's completed visits.

Written by the lists' own XLSX writer (``writing.XlsxBook``) in constant-memory mode:
text is always written as text (never a formula; formula-like text with Excel's
quote prefix), dates as real dates. Rows are read as tuples (``queries``). Internal
notes are not part of the report.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .agreements import write_agreements
from .chart import write_chart
from .collaborations import write_collaborations
from .queries import agreements_with_contacts
from .sheet import report_book
from .summary import write_summary
from .visits import write_visits


@dataclass
class ReportFilter:
    """What the report covers: a period, optionally some partners and sectors."""

    first: object
    last: object
    partners: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    today: object = None

    def describe(self):
        parts = [
            _("Period: %(first)s to %(last)s")
            % {"first": self.first.isoformat(), "last": self.last.isoformat()}
        ]
        if self.partners:
            parts.append(
                _("Partners: %(names)s")
                % {"names": ", ".join(p.name for p in self.partners)}
            )
        if self.sectors:
            parts.append(
                _("Sectors: %(names)s")
                % {"names": ", ".join(s.name for s in self.sectors)}
            )
        return "; ".join(parts)


def build_report(report, out=None):
    """Write the workbook for ``report`` to ``out`` (a file or buffer); return it."""
    out = out if out is not None else io.BytesIO()
    book = report_book(report, out)
    agreement_list = agreements_with_contacts(report)
    per_partner = write_summary(book, report, agreement_list)
    write_visits(book, report)
    write_collaborations(book, report)
    write_agreements(book, report, agreement_list)
    write_chart(book, per_partner)
    book.close()
    return out
