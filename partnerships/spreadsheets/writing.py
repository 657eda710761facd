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

# A cell that starts with one of these is run as a formula by some spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


# CJK ideographs, their punctuation and full-width forms: two columns wide.
CJK_CHARACTER = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def is_cjk(char):
    return CJK_CHARACTER.match(char) is not None


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


def write_csv(dataset):
    return "".join(csv_lines(dataset.headers or [], dataset))


class _Line:
    """A write-only file for csv.writer that hands back what was written."""

    def write(self, text):
        return text


def csv_lines(headers, rows):
    """The CSV text line by line (for a streaming response), formulas quoted."""
    writer = csv.writer(_Line(), lineterminator="\r\n")
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


def write_xlsx(sheets, out=None):
    """XLSX from ``[(title, headers, rows, widths)]``, into ``out`` or as bytes.

    Text cells are always written as text (never formulas), with Excel's quote
    prefix on formula-like text so editing the cell keeps it text. XlsxWriter's
    constant-memory mode keeps memory flat however many rows there are; ``rows``
    may be any iterable, consumed once.
    """
    import xlsxwriter

    target = out if out is not None else io.BytesIO()
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    styles = {
        "header": book.add_format({"bold": True}),
        "quoted": book.add_format({"quote_prefix": True}),
        "day": book.add_format({"num_format": "yyyy-mm-dd"}),
        "moment": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
    }
    for title, headers, rows, widths in sheets:
        sheet = book.add_worksheet(xlsx_text(title)[:31] or None)
        sheet.freeze_panes(1, 0)
        for index, width in enumerate(widths or []):
            sheet.set_column(index, index, width)
        for column, name in enumerate(headers):
            sheet.write_string(0, column, xlsx_text(str(name)), styles["header"])
        write_string, quoted = sheet.write_string, styles["quoted"]
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                # Text, most cells, as write_cell writes it without its checks.
                if value.__class__ is not str:
                    write_cell(sheet, number, column, value, styles)
                elif value:
                    text = xlsx_text(value)
                    if text.startswith(FORMULA_TRIGGERS):
                        write_string(number, column, text, quoted)
                    else:
                        write_string(number, column, text)
    book.close()
    return target if out is not None else target.getvalue()


def sized_rows(headers, rows, sample=200):
    """``(widths, rows)``: widths from the first rows, all rows still to come."""
    rows = iter(rows)
    first = list(itertools.islice(rows, sample))
    return column_widths(headers, first), itertools.chain(first, rows)


def write_cell(sheet, row, column, value, styles):
    if value is None or value == "":
        return
    if isinstance(value, str):
        text = xlsx_text(value)
        if text.startswith(FORMULA_TRIGGERS):
            sheet.write_string(row, column, text, styles["quoted"])
        else:
            sheet.write_string(row, column, text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), styles["moment"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, column, value, styles["day"])
    elif isinstance(value, int | float | decimal.Decimal):
        sheet.write_number(row, column, float(value))
    else:
        sheet.write_string(row, column, xlsx_text(str(value)))


def column_widths(headers, rows, sample=200, low=8, high=60):
    widths = [len(str(h)) for h in headers]
    for row in rows[:sample]:
        for index, value in enumerate(row[: len(widths)]):
            text = "" if value is None else str(value)
            longest = max(
                (display_width(line) for line in text.splitlines()), default=0
            )
            widths[index] = max(widths[index], longest)
    return [min(max(width + 2, low), high) for width in widths]


def display_width(text):
    """Columns a text takes: CJK characters are twice as wide."""
    if text.isascii():
        return len(text)
    return len(text) + len(CJK_CHARACTER.findall(text))
