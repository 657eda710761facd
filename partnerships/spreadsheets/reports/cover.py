"""The Cover sheet: who sends the report, for when, and its headline figures."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models.partial_dates import format_date, format_range
from ...office import office_names
from ..printing import Layout, set_up_page, text_lines
from .paragraph import list_text, summary_paragraph

# Labels, figures, what a figure needs said beside it.
COLUMNS = (50, 12, 68)
LINE_POINTS = 14
# So many quiet partners are named; the rest are counted.
NAMED_QUIET = 12


def figure_rows(figures):
    """``(label, figure, note)`` of each headline figure."""
    years = settings.PARTNERSHIPS_QUIET_AFTER_YEARS
    quiet = figures.quiet[:NAMED_QUIET]
    more = len(figures.quiet) - len(quiet)
    quiet_note = list_text(quiet)
    if more:
        quiet_note = ngettext(
            "%(names)s and %(count)s more", "%(names)s and %(count)s more", more
        ) % {"names": quiet_note, "count": more}
    level_note = ""
    if figures.level_recorded < figures.completed:
        level_note = _(
            "The level of the head is recorded for %(recorded)s of %(count)s "
            "completed visits."
        ) % {"recorded": figures.level_recorded, "count": figures.completed}
    return [
        (_("Delegations received (inbound visits, completed)"), figures.inbound, ""),
        (_("Delegations sent (outbound visits, completed)"), figures.outbound, ""),
        (
            _("Delegations led at vice-mayor level or above"),
            figures.senior_led,
            level_note,
        ),
        (
            _("Completed visits confirmed by the partner's office"),
            figures.confirmed,
            _("of %(count)s completed visits") % {"count": figures.completed},
        ),
        (_("Partner cities with a completed visit"), figures.partners_visited, ""),
        (_("Agreements signed"), figures.signed, ""),
        (_("Agreements renewed"), figures.renewed, ""),
        (_("Agreement renewals due"), figures.renewals_due, ""),
        (_("Agreements ended"), figures.ended, ""),
        (
            _("Anniversaries of signing reached"),
            figures.anniversaries,
            ngettext(
                "%(count)s round anniversary",
                "%(count)s round anniversaries",
                figures.round_anniversaries,
            )
            % {"count": figures.round_anniversaries}
            if figures.round_anniversaries
            else "",
        ),
        (
            ngettext(
                "Partners gone quiet (no completed visit for %(years)s year)",
                "Partners gone quiet (no completed visit for %(years)s years)",
                years,
            )
            % {"years": years},
            len(figures.quiet),
            quiet_note,
        ),
    ]


class Cover:
    """The cover, written top to bottom (constant-memory mode writes in order)."""

    def __init__(self, book):
        self.book, self.styles = book, book.styles
        self.sheet = book.add_sheet(_("Cover"))
        self.row = 0
        for column, width in enumerate(COLUMNS):
            self.sheet.set_column(column, column, width)

    def line(self, text, style, height=None, columns=(0, 2)):
        """``text`` across ``columns`` (merged), wrapped to its height."""
        first, last = columns
        if last > first:
            self.sheet.merge_range(self.row, first, self.row, last, "", style)
        self.book.write_text(self.sheet, self.row, first, text, style)
        width = sum(COLUMNS[first : last + 1])
        lines = text_lines(text, width)
        if height or lines > 1:
            self.sheet.set_row(self.row, round(max(height or 0, LINE_POINTS * lines)))
        self.row += 1

    def fact(self, label, value):
        self.book.write_text(self.sheet, self.row, 0, label, self.styles["label"])
        self.line(value, self.styles["text"], columns=(1, 2))

    def figure(self, label, figure, note):
        styles = self.styles
        self.book.write_text(self.sheet, self.row, 0, label, styles["label"])
        self.sheet.write_number(self.row, 1, figure, styles["figure"])
        if note:
            self.book.write_text(self.sheet, self.row, 2, note, styles["label"])
        lines = max(
            text_lines(label, COLUMNS[0]), text_lines(note, COLUMNS[2]) if note else 1
        )
        self.sheet.set_row(self.row, round(max(18, LINE_POINTS * lines)))
        self.row += 1

    def skip(self):
        self.row += 1


def write_cover(book, report, figures):
    """Write the Cover sheet, the first of the workbook."""
    cover = Cover(book)
    styles = book.styles
    first, *others = office_names()
    cover.line(first, styles["office"], height=24)
    for name in others:
        cover.line(name, styles["office_other"], height=18)
    cover.skip()
    cover.line(_("Partnerships report"), styles["title"], height=22)
    cover.fact(_("Period"), format_range(report.first, report.last))
    if report.partners:
        cover.fact(_("Partners"), list_text(p.name for p in report.partners))
    if report.sectors:
        cover.fact(_("Sectors"), list_text(s.name for s in report.sectors))
    cover.fact(_("Made on"), format_date(report.made_on()))
    if report.made_by:
        cover.fact(_("Made by"), report.made_by)
    cover.skip()
    cover.line(_("Headline figures"), styles["heading"], height=20)
    for label, figure, note in figure_rows(figures):
        cover.figure(label, figure, note)
    cover.skip()
    cover.line(_("In brief"), styles["heading"], height=20)
    cover.line(summary_paragraph(figures), styles["paragraph"])
    set_up_page(cover.sheet, Layout(list(COLUMNS), fit=True), gridlines=False)
    cover.sheet.activate()
