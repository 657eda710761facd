"""Writing spreadsheets that open as text and never run a formula.

One rule for every file the office gives out (list exports, the period report,
the open data): text that a spreadsheet would run as a formula is kept as text,
with a quote in CSV and Excel's quote prefix in XLSX.
"""

import csv
import datetime
import decimal
import io
import itertools
import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from . import printing

# Read from here too (the readers, the report, the templates).
from .widths import CJK_CHARACTER, display_width, is_cjk  # noqa: F401

# A cell that starts with one of these is run as a formula by some spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise_text(value):
    """Text a spreadsheet will show, never run: formula-like text gets a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        if PLAIN_NUMBER.match(value):
            return value
        return "'" + value
    return value


def xlsx_text(value):
    """Text safe inside XLSX XML: control characters it cannot hold removed."""
    if value.isprintable():
        # No control character at all (the common case): skip the regex.
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def write_csv(dataset, delimiter=","):
    return "".join(csv_lines(dataset.headers or [], dataset, delimiter))


class _Line:
    """A write-only file for csv.writer that hands back what was written."""

    def write(self, text):
        return text


#: What Excel reads a CSV file opened by double-click as: UTF-8 with this mark.
BOM = "\ufeff"
#: Excel's list separator where the decimal separator is a comma (Russia, most
#: of Europe): it reads a comma-separated file as one column there.
EXCEL_SEMICOLON = ";"


def csv_lines(headers, rows, delimiter=","):
    """The CSV text line by line (for a streaming response), formulas quoted."""
    writer = csv.writer(_Line(), lineterminator="\r\n", delimiter=delimiter)
    yield writer.writerow([neutralise_text(str(h)) for h in headers])
    for row in rows:
        # Plain text that starts with no trigger is written as it is; every other
        # value goes through the full rule.
        yield writer.writerow(
            [
                v
                if v.__class__ is str and not v.startswith(FORMULA_TRIGGERS)
                else csv_cell(v)
                for v in row
            ]
        )


def csv_cell(value):
    """One CSV cell by the full rule: nothing for None, else neutralised text."""
    return "" if value is None else neutralise_text(str(value))


# Text is never turned into a formula, a link or a number; constant memory keeps
# memory flat however many rows there are.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


class XlsxBook:
    """An XLSX workbook whose text is always text.

    ``styles`` (``{name: XlsxWriter format properties}``) become ``self.styles``.
    Text goes through ``write_text``: control characters XLSX cannot hold removed,
    formula-like text with Excel's quote prefix, so editing the cell keeps it text.
    """

    def __init__(self, out, styles=None, default_style=None):
        import xlsxwriter

        options = dict(WORKBOOK_OPTIONS)
        if default_style is not None:
            options["default_format_properties"] = default_style
        self.workbook = xlsxwriter.Workbook(out, options)
        # Formats cannot change once made, so each style is made with its quoted
        # twin (one never used is not written to the file).
        self.quoted = {None: self.workbook.add_format({"quote_prefix": True})}
        self.styles = {
            name: self.add_style(properties)
            for name, properties in (styles or {}).items()
        }

    def add_style(self, properties):
        """A cell format; formula-like text written in it gets its quoted twin."""
        style = self.workbook.add_format(properties)
        self.quoted[style] = self.workbook.add_format(
            {**properties, "quote_prefix": True}
        )
        return style

    def add_sheet(self, title):
        # Excel's limit: a sheet name of at most 31 characters.
        return self.workbook.add_worksheet(xlsx_text(title)[:31] or None)

    def write_text(self, sheet, row, column, value, style=None):
        """Write ``value`` as text in ``style`` (None or one of this book's)."""
        self.write_clean(sheet, row, column, xlsx_text(value), style)

    def write_clean(self, sheet, row, column, text, style=None):
        """``write_text`` for text already through ``xlsx_text``."""
        if text.startswith(FORMULA_TRIGGERS):
            style = self.quoted[style]
        sheet.write_string(row, column, text, style)

    def close(self):
        self.workbook.close()


def write_xlsx(sheets, out=None):
    """XLSX from ``[(title, headers, rows, sizes)]``, into ``out`` or as bytes.

    Written by ``XlsxBook``: text as text, dates as dates. ``rows`` may be any
    iterable, consumed once. ``sizes``: the ``printing.column_sizes`` of the first
    rows (None: of the headers alone), from which the columns are chosen to print
    (``printing.plan_columns``). A column of long or multi-line text wraps, by its
    column's format (not a format per cell), and each row is as tall as its
    wrapped text.
    """
    target = out if out is not None else io.BytesIO()
    top = {"valign": "top"}
    book = XlsxBook(
        target,
        {
            "header": {"bold": True, "text_wrap": True, **top},
            "day": {"num_format": "yyyy-mm-dd", **top},
            "moment": {"num_format": "yyyy-mm-dd hh:mm", **top},
            "wrap": {"text_wrap": True, **top},
        },
        # Every cell at the top of its (perhaps tall) row, with no format of its
        # own to write.
        default_style=top,
    )
    write_text = book.write_text
    for title, headers, rows, sizes in sheets:
        sheet = book.add_sheet(title)
        sheet.freeze_panes(1, 0)
        wrapped = printing.lay_out_list(book, sheet, headers, sizes)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                # Text, most cells, without write_cell's checks.
                if value.__class__ is not str:
                    write_cell(book, sheet, number, column, value)
                elif value:
                    write_text(sheet, number, column, value)
            if wrapped:
                lines = printing.row_lines(row, wrapped)
                if lines > 1:
                    # Spreadsheets do not grow a row for wrapped text written
                    # this way; the row is still open (constant-memory mode).
                    sheet.set_row(number, printing.list_row_height(lines))
    book.close()
    return target if out is not None else target.getvalue()


def sized_rows(headers, rows, sample=200):
    """``(sizes, rows)``: column sizes from the first rows, all rows still to come."""
    rows = iter(rows)
    first = list(itertools.islice(rows, sample))
    return printing.column_sizes(headers, first), itertools.chain(first, rows)


def write_cell(book, sheet, row, column, value):
    """One cell of a list: nothing for None or "", dates and numbers as such."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        book.write_text(sheet, row, column, value)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, datetime.datetime):
        moment = book.styles["moment"]
        sheet.write_datetime(row, column, value.replace(tzinfo=None), moment)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, book.styles["day"])
    elif isinstance(value, int | float | decimal.Decimal):
        sheet.write_number(row, column, float(value))
    else:
        book.write_text(sheet, row, column, str(value))
