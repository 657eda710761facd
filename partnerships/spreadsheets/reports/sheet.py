"""Writing the report's sheets: its styles, and the Sheet, sized for the page.

A sheet keeps its first ``SAMPLE_ROWS`` rows until its columns are chosen from
them (``printing.plan_columns``: the page, and 8 pt at least), then writes them
and every row after, each as tall as its wrapped text (spreadsheets do not grow a
row for wrapped text written this way). Memory stays flat: XlsxWriter's constant
memory mode writes each row as the next one starts.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from ..printing import (
    BOLD_LETTER,
    MOST_LINES,
    NARROWEST,
    WIDEST,
    header_widths,
    plan_columns,
    set_up_page,
    text_lines,
)
from ..widths import display_width
from ..writing import XlsxBook, xlsx_text

SAMPLE_ROWS = 200
FONT_SIZE = 10
LINE_POINTS = 13
# Every cell's look: the workbook's default format, so an empty cell needs no writing.
REPORT_FONT = {"font_name": "Arial", "font_size": FONT_SIZE, "valign": "top"}
STYLES = {
    "title": {"bold": True, "font_size": 14},
    "note": {"italic": True, "font_color": "#555555", "text_wrap": True},
    "header": {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True},
    "text": {},
    "wrap": {"text_wrap": True},
    "number": {"align": "center"},
    "total": {"bold": True, "top": 1, "align": "center"},
    # The cover.
    "office": {"bold": True, "font_size": 16},
    "office_other": {"font_size": 12, "font_color": "#333333"},
    "heading": {"bold": True, "font_size": 12, "bottom": 1},
    "label": {"text_wrap": True},
    "figure": {"bold": True, "font_size": 12, "align": "center"},
    "paragraph": {"text_wrap": True},
}
# A day, in each language's own way; its width in characters.
DATE_FORMATS = {
    "en": ("[$-409]d mmm yyyy", 11),
    "zh-hans": ('yyyy"年"m"月"d"日"', 14),
    "ru": ("dd.mm.yyyy", 10),
}


def date_format():
    """``(number format, width)`` of a day in the active language."""
    return DATE_FORMATS.get(translation.get_language(), DATE_FORMATS["en"])


def report_book(report, out):
    """The workbook of ``report``, written to ``out``, with the styles sheets use."""
    styles = {
        name: {**REPORT_FONT, **properties} for name, properties in STYLES.items()
    }
    styles["date"] = {**REPORT_FONT, "num_format": date_format()[0], "align": "left"}
    book = XlsxBook(out, styles, default_style=REPORT_FONT)
    book.workbook.set_properties(
        {"title": _("Partnerships report"), "subject": report.describe()}
    )
    return book


class Sheet:
    """A worksheet of ``book`` written row by row, its columns sized for print."""

    def __init__(
        self, book, title, headers, title_lines=(), extra_px=0, gridlines=True
    ):
        self.book, self.styles = book, book.styles
        self.write_clean = book.write_clean
        self.yes, self.no = _("yes"), _("no")
        self.date_width = date_format()[1]
        self.sheet = book.add_sheet(title)
        self.headers = [str(header) for header in headers]
        self.title_lines = list(title_lines)
        self.extra_px, self.gridlines = extra_px, gridlines
        natural, least = zip(*map(header_widths, self.headers), strict=True)
        # Widths from the rows kept: ``least``, what dates and numbers need.
        self.natural, self.least = list(natural), list(least)
        self.filled = [False] * len(self.headers)
        self.pending = []
        self.widths = None
        self.header_row = len(self.title_lines)
        self.first_data_row = self.row = self.header_row + 1

    def append(self, values, style=None):
        """Add a row; ``style`` (a book style) for every cell of it, blanks too."""
        if self.widths is not None:
            self.write_row(values, style)
            return
        for column, value in enumerate(values[: len(self.natural)]):
            if value is None or value == "":
                continue
            text, width = self.measure(value)
            self.filled[column] = True
            width += 2
            if width > self.natural[column]:
                self.natural[column] = width
            least = min(width, NARROWEST) if text else width
            if least > self.least[column]:
                self.least[column] = least
        self.pending.append((values, style))
        if len(self.pending) >= SAMPLE_ROWS:
            self.lay_out()

    def measure(self, value):
        """``(is text, width)`` of a value as written."""
        if isinstance(value, str):
            lines = xlsx_text(value).split("\n")
            return True, max(display_width(line) for line in lines)
        if hasattr(value, "isoformat"):
            return False, self.date_width
        if isinstance(value, bool):
            return True, 3
        if isinstance(value, int | float):
            return False, len(str(value))
        return self.measure(str(value))

    def lay_out(self):
        """Choose the columns from the rows kept, then write everything so far."""
        # An empty column's header wraps to its longest word.
        natural = [
            width if filled else least
            for width, least, filled in zip(
                self.natural, self.least, self.filled, strict=True
            )
        ]
        layout = plan_columns(natural, self.least, FONT_SIZE, extra_px=self.extra_px)
        self.widths = layout.widths
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, width)
        self.write_title()
        header = self.styles["header"]
        lines = 1
        for column, text in enumerate(self.headers):
            self.book.write_text(self.sheet, self.header_row, column, text, header)
            lines = max(lines, text_lines(text, self.widths[column], BOLD_LETTER))
        if lines > 1:
            self.sheet.set_row(self.header_row, round(LINE_POINTS * lines))
        # Frozen header: the title and column names stay in view when scrolling.
        self.sheet.freeze_panes(self.first_data_row, 0)
        set_up_page(
            self.sheet,
            layout,
            header_rows=(self.header_row, self.header_row),
            gridlines=self.gridlines,
        )
        for cells, style in self.pending:
            self.write_row(cells, style)
        self.pending = []

    def write_title(self):
        """The title lines, each across the table's width, the notes wrapped."""
        last = len(self.widths) - 1
        for row, line in enumerate(self.title_lines):
            style = self.styles["title" if row == 0 else "note"]
            if last > 0:
                self.sheet.merge_range(row, 0, row, last, "", style)
            self.book.write_text(self.sheet, row, 0, line, style)
            lines = 1 if row == 0 else text_lines(xlsx_text(line), sum(self.widths))
            self.sheet.set_row(row, 22 if row == 0 else round(LINE_POINTS * lines))

    def write_row(self, values, style):
        row, lines, widths = self.row, 1, self.widths
        sheet, styles = self.sheet, self.styles
        for column, value in enumerate(values):
            if value is None or value == "":
                if style is not None:
                    sheet.write_blank(row, column, None, style)
                continue
            if value.__class__ is not str:
                if hasattr(value, "isoformat"):
                    sheet.write_datetime(row, column, value, style or styles["date"])
                    continue
                if isinstance(value, bool):
                    value = self.yes if value else self.no
                elif isinstance(value, int | float):
                    sheet.write_number(row, column, value, style or styles["number"])
                    continue
                else:
                    value = str(value)
            width = widths[column] if column < len(widths) else WIDEST
            one_line = value.isprintable()
            text = value if one_line else xlsx_text(value)
            # Short text fits without measuring: no character is wider than two.
            if one_line and (
                2 * len(text) <= width - 2 or display_width(text) <= width - 2
            ):
                chosen = style or styles["text"]
            else:
                lines = max(lines, text_lines(text, width))
                chosen = style or styles["wrap"]
            self.write_clean(sheet, row, column, text, chosen)
        if lines > 1:
            # The row is still open in constant-memory mode: it is written out
            # when the next one starts.
            sheet.set_row(row, round(LINE_POINTS * min(lines, MOST_LINES)))
        self.row += 1

    def finish(self, autofilter=True):
        if self.widths is None:
            self.lay_out()
        if autofilter and self.row > self.first_data_row:
            self.sheet.autofilter(
                self.header_row, 0, self.row - 1, len(self.widths) - 1
            )
