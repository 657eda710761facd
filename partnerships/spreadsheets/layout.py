"""Where the table is in a sheet as people make them: titles and notes above the
column names, names merged over several cells or rows, empty rows and columns.

``make_dataset`` turns the filled rows a reader found into a ``tablib.Dataset`` of
the named columns, remembering each data row's number in the sheet
(``row_numbers``), so that every message names the row the clerk sees.
"""

import math
from itertools import chain, islice

import tablib
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from .errors import SpreadsheetError

#: The most filled rows at the top of a sheet that may be titles or notes.
HEAD_ROWS = 10
#: The most rows one header may span ("Dates" merged over "Start" and "End").
HEADER_DEPTH = 3
#: The most named columns a list may have (the widest list has about 40).
MAX_COLUMNS = 200


def make_dataset(rows, merges=()):
    """A ``tablib.Dataset`` from ``[(row number, cells)]`` (cells: a CSV row's
    list, or an XLSX row's ``{column: value}``, 1-based), below its header.

    ``merges`` are the sheet's merged cells as ``(first column, first row, last
    column, last row)``.
    """
    rows = ((number, filled(values)) for number, values in rows)
    rows = ((number, values) for number, values in rows if values)
    head = list(islice(rows, HEAD_ROWS))
    if not head:
        raise SpreadsheetError(_("The file is empty."))
    at = header_position(head)
    depth = header_depth(head, at, merges)
    names = column_names(head[at : at + depth], merges)
    if len(names) > MAX_COLUMNS:
        raise SpreadsheetError(
            _(
                "Row %(row)s, read as the column names, has more than %(max)s "
                "columns; no list here has that many."
            )
            % {"row": head[at][0], "max": MAX_COLUMNS}
        )
    check_names(names)
    columns = sorted(names)
    dataset = tablib.Dataset(headers=[names[column] for column in columns])
    header_row = head[at + depth - 1][0]
    numbers = []
    for number, values in chain(head[at + depth :], rows):
        stray = min((column for column in values if column not in names), default=None)
        if stray is not None:
            raise SpreadsheetError(
                _(
                    "Row %(row)s has a value in column %(column)s, which has no "
                    "name in the column names (row %(header)s). Name the column, "
                    "or clear it."
                )
                % {
                    "row": number,
                    "column": get_column_letter(stray),
                    "header": header_row,
                }
            )
        # Appended as read: the file's rows are never held twice.
        dataset.append([values.get(column, "") for column in columns])
        numbers.append(number)
    if not numbers:
        raise SpreadsheetError(
            _("The file has column names but no rows of data to import.")
        )
    dataset.row_numbers = numbers
    dataset.header_row = header_row
    return dataset


def filled(values):
    """A row's cells that hold something, as ``{column: value}`` (1-based)."""
    if isinstance(values, dict):
        return values
    return {
        column: value
        for column, value in enumerate(values, start=1)
        if value not in ("", None)
    }


def header_position(head):
    """Which of the first rows holds the column names: the first that is nearly
    as wide as the widest. Titles and notes above them fill a cell or two."""
    counts = [len(values) for _number, values in head]
    widest = max(counts)
    need = 1 if widest == 1 else max(2, math.ceil(0.6 * widest))
    return next(index for index, count in enumerate(counts) if count >= need)


def header_depth(head, at, merges):
    """How many rows the column names take: more than one where a name is merged
    down over the names below it."""
    top = head[at][0]
    bottom = max(
        (last_row for _c, first_row, _l, last_row in merges if first_row == top),
        default=top,
    )
    bottom = min(bottom, top + HEADER_DEPTH - 1)
    return sum(1 for number, _values in head[at:] if number <= bottom)


def column_names(block, merges):
    """``{column: name}`` of the header rows ``block``: a merged name read for
    every cell it covers, names stacked over several rows joined by a space.

    In a one-row header a name merged across columns names the first only: the
    rows below are merged alike, their values in that first column.
    """
    texts = {}
    for number, values in block:
        for column, value in values.items():
            text = str(value).strip().lstrip("\ufeff")
            if text:
                texts[(number, column)] = text
    numbers = [number for number, _values in block]
    top, bottom = numbers[0], numbers[-1]
    for first_column, first_row, last_column, last_row in merges:
        text = texts.get((first_row, first_column))
        if text is None or last_row < top or first_row > bottom:
            continue
        if len(block) == 1:
            last_column = first_column
        last_column = min(last_column, MAX_COLUMNS + 1)
        for number in numbers:
            if first_row <= number <= last_row:
                for column in range(first_column, last_column + 1):
                    texts.setdefault((number, column), text)
    stacked = {}
    for (_number, column), text in sorted(texts.items()):
        parts = stacked.setdefault(column, [])
        if not parts or parts[-1] != text:
            parts.append(text)
    return {column: " ".join(parts) for column, parts in stacked.items()}


def check_names(names):
    seen = {}
    for column, name in sorted(names.items()):
        key = " ".join(name.split()).casefold()
        if key in seen:
            raise SpreadsheetError(
                _(
                    "The column name “%(name)s” appears twice (columns %(first)s "
                    "and %(second)s); every column needs its own."
                )
                % {
                    "name": names[seen[key]],
                    "first": get_column_letter(seen[key]),
                    "second": get_column_letter(column),
                }
            )
        seen[key] = column
