"""Writing the report's sheets: its styles, text measured for widths, the Sheet."""

from django.utils.translation import gettext as _

from ..writing import XlsxBook, display_width, xlsx_text

WRAP_AT = 45
DATE_FORMAT = "yyyy-mm-dd"
# Every cell's look: the workbook's default format, so an empty cell needs no writing.
REPORT_FONT = {"font_name": "Arial", "font_size": 10, "valign": "top"}
STYLES = {
    "title": {"bold": True, "font_size": 14},
    "note": {"italic": True, "font_color": "#555555"},
    "header": {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True},
    "text": {},
    "wrap": {"text_wrap": True},
    "date": {"num_format": DATE_FORMAT, "align": "left"},
    "number": {"align": "center"},
    "total": {"bold": True, "top": 1, "align": "center"},
}


def report_book(report, out):
    """The workbook of ``report``, written to ``out``, with the styles sheets use."""
    book = XlsxBook(
        out,
        {name: {**REPORT_FONT, **properties} for name, properties in STYLES.items()},
        default_style=REPORT_FONT,
    )
    book.workbook.set_properties(
        {"title": _("Partnerships report"), "subject": report.describe()}
    )
    return book


def text_lines(value):
    """How many lines a cell's text takes once wrapped at the column width."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(
        max(1, -(-display_width(line) // WRAP_AT)) for line in value.splitlines()
    )


def text_measure(text):
    """``(width of its longest line, lines once wrapped, wrapped?)`` of a text."""
    total = display_width(text)
    parts = text.splitlines()
    if len(parts) == 1 and len(parts[0]) == len(text):
        # One line, the common case: its width is the text's.
        return total, max(1, -(-total // WRAP_AT)), total > WRAP_AT
    widths = [display_width(line) for line in parts]
    lines = sum(max(1, -(-width // WRAP_AT)) for width in widths) if text else 1
    return max(widths, default=0), lines, "\n" in text or total > WRAP_AT


class Sheet:
    """A worksheet of ``book`` written row by row, tracking its columns' widths."""

    def __init__(self, book, title, headers, title_lines=()):
        self.styles, self.write_text = book.styles, book.write_text
        # The cells' text is cleaned as it is measured (``write``).
        self.write_clean = book.write_clean
        self.yes, self.no = _("yes"), _("no")
        self.sheet = book.add_sheet(title)
        self.widths = [display_width(str(h)) for h in headers]
        self.row = 0
        for line_number, line in enumerate(title_lines):
            style = self.styles["title" if line_number == 0 else "note"]
            self.write_text(self.sheet, self.row, 0, line, style)
            self.row += 1
        if title_lines:
            self.row += 1
        self.header_row = self.row
        for column, header in enumerate(headers):
            self.write_text(
                self.sheet, self.row, column, str(header), self.styles["header"]
            )
        self.row += 1
        # Frozen header: the title and column names stay in view when scrolling.
        self.sheet.freeze_panes(self.row, 0)
        # Printed (or saved as PDF): landscape A4, one page wide, header repeated.
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(self.header_row)
        self.sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.sheet.set_footer("&L&A&R&P / &N")
        self.first_data_row = self.row

    def append(self, values):
        row, lines = self.row, 1
        for column, value in enumerate(values):
            lines = max(lines, self.write(row, column, value))
        if lines > 1:
            # Spreadsheets do not grow a row for wrapped text written this way.
            # (The row is still open in constant-memory mode: it is written out
            # when the next one starts.)
            self.sheet.set_row(row, 13 * min(lines, 30))
        self.row += 1

    def write(self, row, column, value, style=None):
        """Write one cell, widen its column; return the lines its text takes."""
        styles = self.styles
        lines = 1
        if value is None or value == "":
            # The workbook's default format is the text style: only an empty cell
            # with a style of its own (a total's border) is written.
            if style is not None:
                self.sheet.write_blank(row, column, None, style)
            return lines
        if isinstance(value, str):
            if value.isprintable():
                # The common case: one line, nothing XLSX cannot hold.
                text, width = value, display_width(value)
                lines, wrap = max(1, -(-width // WRAP_AT)), width > WRAP_AT
            else:
                text = xlsx_text(value)
                width, lines, wrap = text_measure(text)
                if len(text) != len(value):
                    # Characters XLSX cannot hold were dropped; they broke lines.
                    lines = text_lines(value)
            style = style or styles["wrap" if wrap else "text"]
            self.write_clean(self.sheet, row, column, text, style)
        elif hasattr(value, "isoformat"):
            self.sheet.write_datetime(row, column, value, style or styles["date"])
            width = 10
        elif isinstance(value, bool):
            text = self.yes if value else self.no
            self.write_text(self.sheet, row, column, text, style or styles["text"])
            width = 3
        elif isinstance(value, int | float):
            self.sheet.write_number(row, column, value, style or styles["number"])
            width = len(str(value))
        else:
            text = xlsx_text(str(value))
            width, _lines, wrap = text_measure(text)
            style = style or styles["wrap" if wrap else "text"]
            self.write_clean(self.sheet, row, column, text, style)
        if column < len(self.widths) and width > self.widths[column]:
            self.widths[column] = width
        return lines

    def finish(self, autofilter=True):
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, min(max(width + 2, 8), WRAP_AT + 2))
        if autofilter and self.row > self.first_data_row:
            self.sheet.autofilter(
                self.header_row, 0, self.row - 1, len(self.widths) - 1
            )
