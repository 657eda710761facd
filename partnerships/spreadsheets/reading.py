"""Reading uploaded spreadsheets safely: CSV (UTF-8) and XLSX, nothing else.

Every problem with an uploaded file becomes a ``SpreadsheetError`` whose message
tells a clerk what is wrong and how to fix it; nothing here raises anything else for
bad input.
"""

import codecs
import csv
import io
import re
import zipfile
from operator import methodcaller
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import SpreadsheetError
from .layout import make_dataset
from .writing import FORMULA_TRIGGERS, is_cjk

__all__ = ["SpreadsheetError", "read_table"]

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, or an encrypted workbook
ALLOWED_EXTENSIONS = (".csv", ".xlsx")


def max_upload_bytes():
    return settings.PARTNERSHIPS_IMPORT_MAX_BYTES


def max_unpacked_bytes():
    """What an XLSX may unpack to: far more than any honest workbook of that size."""
    return getattr(settings, "PARTNERSHIPS_IMPORT_MAX_UNPACKED_BYTES", 0) or max(
        20 * max_upload_bytes(), 50 * 1024 * 1024
    )


# Above this ratio a member of the zip is a bomb, not a spreadsheet.
MAX_COMPRESSION_RATIO = 200
MAX_ZIP_MEMBERS = 2000


def human_size(size):
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024


def check_size(size):
    limit = max_upload_bytes()
    if size > limit:
        raise SpreadsheetError(
            _("The file is %(size)s; files larger than %(limit)s cannot be imported.")
            % {"size": human_size(size), "limit": human_size(limit)}
        )


def read_table(data, filename):
    """A ``tablib.Dataset`` from the bytes of an uploaded CSV or XLSX file."""
    extension = PurePath(filename or "").suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise SpreadsheetError(
            _(
                "Only CSV and XLSX files can be imported; “%(name)s” is neither. "
                "Save the spreadsheet as CSV UTF-8 or as an Excel workbook (.xlsx)."
            )
            % {"name": PurePath(filename or "").name or _("the file")}
        )
    return read_data(data, read_xlsx if extension == ".xlsx" else read_csv)


def read_data(data, reader):
    """``reader(data)`` once the bytes are known to be neither too many nor none."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    check_size(len(data))
    if not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    return reader(data)


def read_csv(data):
    if data.startswith(ZIP_MAGIC):
        raise SpreadsheetError(
            _(
                "This file is named .csv but is an Excel workbook or another zip "
                "file. Rename it to .xlsx, or save it as CSV UTF-8."
            )
        )
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _(
                "This file is named .csv but is an old Excel (.xls) file. "
                "Save it as CSV UTF-8 or as .xlsx."
            )
        )
    text = decode_text(data)
    if "\x00" in text:
        raise SpreadsheetError(
            _("This file is named .csv but is not text. Save it as CSV UTF-8.")
        )
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file cannot be read: %(error)s") % {"error": error}
        ) from None
    rows = [list(map(str.strip, row)) for row in rows]
    # Only a row with a cell that starts with the apostrophe can need unquoting.
    quoted = methodcaller("startswith", "'")
    for row in rows:
        if any(map(quoted, row)):
            row[:] = map(unquote_cell, row)
    return make_dataset(list(enumerate(rows, start=1)))


def decode_text(data):
    """Text from UTF-8 (with or without a BOM) or UTF-16 with a BOM; else an error."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = guess_legacy_encoding(data)
    fix = _(
        "Save it again as “CSV UTF-8” (in Excel: Save As, CSV UTF-8) and upload it."
    )
    if guess == "gbk":
        message = _(
            "The file is not in UTF-8: it looks like GBK (Chinese Windows encoding)."
        )
    elif guess == "cp1251":
        message = _(
            "The file is not in UTF-8: it looks like Windows-1251 "
            "(Cyrillic Windows encoding)."
        )
    else:
        message = _("The file is not in UTF-8.")
    raise SpreadsheetError(f"{message} {fix}")


def guess_legacy_encoding(data):
    """'gbk', 'cp1251' or None: which legacy encoding the bytes read best in."""
    sample = data[:65536]
    scores = {}
    for encoding, wanted in (("gbk", is_cjk), ("cp1251", is_cyrillic)):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            # The sample may end inside a character; judge what decodes.
            text = sample.decode(encoding, errors="ignore")
            if encoding == "gbk" and len(sample) < 65536:
                continue
        foreign = [char for char in text if ord(char) > 127]
        if foreign:
            scores[encoding] = sum(map(wanted, foreign)) / len(foreign)
    if not scores:
        return None
    # GBK bytes read as Windows-1251 give Cyrillic letters in random case mixed
    # with symbols; real Russian has words in natural case. Cyrillic read as GBK
    # seldom decodes at all.
    if scores.get("cp1251", 0) >= 0.97 and natural_cyrillic(sample):
        return "cp1251"
    if "gbk" in scores and scores["gbk"] >= 0.6:
        return "gbk"
    best = max(scores, key=scores.get)
    return best if scores[best] >= 0.6 else None


CYRILLIC_WORD = re.compile(r"[\u0400-\u04ff]+")
NATURAL_WORD = re.compile(
    r"^([\u0400-\u042f\u0401]?[\u0430-\u044f\u0451]+|[\u0400-\u042f]+)$"
)


def natural_cyrillic(sample):
    """Whether Windows-1251 gives words in natural case ('Воронеж', 'СССР')."""
    words = CYRILLIC_WORD.findall(sample.decode("cp1251", errors="ignore"))
    if not words:
        return False
    return sum(bool(NATURAL_WORD.match(word)) for word in words) / len(words) >= 0.8


def is_cyrillic(char):
    return 0x0400 <= ord(char) <= 0x04FF or char in "«»–—№"


def read_xlsx(data):
    if not data.startswith(ZIP_MAGIC):
        if data.startswith(OLE_MAGIC):
            raise SpreadsheetError(
                _(
                    "This is an old Excel (.xls) file or a password-protected "
                    "workbook. Save it as an unprotected .xlsx workbook."
                )
            )
        raise SpreadsheetError(
            _(
                "This file is named .xlsx but is not an Excel workbook (it may be "
                "CSV or another file renamed). Upload it with its real extension."
            )
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise SpreadsheetError(
            _("This .xlsx file is damaged or incomplete and cannot be read.")
        ) from None
    check_zip(members)
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise SpreadsheetError(
            _(
                "This file is a zip archive but not an Excel workbook. "
                "Upload an .xlsx file saved by Excel or LibreOffice."
            )
        )
    try:
        import openpyxl

        workbook = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception:  # noqa: BLE001 - any failure to parse is the file's fault
        raise SpreadsheetError(
            _("This .xlsx file is damaged and cannot be read.")
        ) from None
    try:
        sheets = list(workbook.worksheets)
        if not sheets:
            raise SpreadsheetError(_("The workbook has no sheets."))
        first = sheets[0]
        if not sheet_rows(first, limit=1):
            others = [ws.title for ws in sheets[1:] if sheet_rows(ws, limit=2)]
            if others:
                raise SpreadsheetError(
                    _(
                        "The first sheet (“%(first)s”) is empty; the data is on "
                        "“%(other)s”. Only the first sheet is imported: move the "
                        "data there, or delete the empty sheet."
                    )
                    % {"first": first.title, "other": others[0]}
                )
            raise SpreadsheetError(_("The file is empty."))
        # Read row by row into the dataset: no second copy of the sheet.
        dataset = make_dataset(filled_rows(first), merged_ranges(first))
        dataset.other_sheets = {
            ws.title: [str(v).strip() for v in cells_list(header[0][1])]
            for ws in sheets[1:]
            if (header := sheet_rows(ws, limit=1))
        }
        dataset.first_sheet = first.title
        # Messages name the sheet of a row when the workbook has several.
        dataset.sheet_name = first.title if len(sheets) > 1 else ""
        return dataset
    finally:
        workbook.close()


def check_zip(members):
    if len(members) > MAX_ZIP_MEMBERS:
        raise zip_bomb()
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and (
            member.compress_size == 0
            or member.file_size / member.compress_size > MAX_COMPRESSION_RATIO
        ):
            raise zip_bomb()
    if total > max_unpacked_bytes():
        raise zip_bomb()


def zip_bomb():
    return SpreadsheetError(
        _(
            "This .xlsx file unpacks to far more data than a spreadsheet of its size "
            "could hold, so it was refused as unsafe (a “zip bomb”)."
        )
    )


def sheet_rows(sheet, limit=None):
    """The sheet's rows that hold a value, as ``(row number, {column: value})``.

    Read from the cells the file holds, so the cost follows them: never the
    size the sheet declares (``<dimension ref="A1:XFD8000"/>``), nor the empty
    rows between, which openpyxl's ``iter_rows`` pads and fills cell by cell.
    """
    rows = []
    for row in filled_rows(sheet):
        rows.append(row)
        if limit and len(rows) >= limit:
            break
    return rows


def filled_rows(sheet):
    """``sheet_rows``, one at a time."""
    for number, cells in present_cells(sheet):
        values = {}
        for column, value in cells:
            value = clean_cell(value)
            if value != "":
                values[column] = value
        if values:
            yield number, values


def present_cells(sheet):
    """``(row number, [(column, value)])`` for each row a read-only sheet's XML
    holds. openpyxl's own parser, which ``iter_rows`` wraps; it has no public
    way to read only the cells present."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in parser.parse():
            yield number, [(cell["column"], cell["value"]) for cell in cells]


#: A merged range in a sheet's XML: ``<mergeCell ref="A1:H1"/>``.
MERGE_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3})([0-9]{1,7})"
    rb"(?::([A-Z]{1,3})([0-9]{1,7}))?\""
)
#: The most merged ranges read from a sheet (those of its header come first).
MAX_MERGES = 100_000


def merged_ranges(sheet):
    """A read-only sheet's merged cells, ``(first column, first row, last column,
    last row)``.

    openpyxl reads them only after every row, in its ``<mergeCells>`` element at
    the end of the sheet, and the header must be known before: so the sheet's XML
    is scanned for them first, as bytes, without parsing it.
    """
    found = []
    carried = b""
    with sheet._get_source() as source:
        while chunk := source.read(1 << 20):
            text = carried + chunk
            # A tag cut by the chunk's end is scanned with the next one.
            cut = text.rfind(b"<")
            text, carried = (text[:cut], text[cut:]) if cut >= 0 else (text, b"")
            if b"mergeCell" not in text:
                continue
            for match in MERGE_CELL.finditer(text):
                first_column, first_row, last_column, last_row = match.groups()
                found.append(
                    (
                        column_index(first_column),
                        int(first_row),
                        column_index(last_column or first_column),
                        int(last_row or first_row),
                    )
                )
                if len(found) >= MAX_MERGES:
                    return found
    return found


def column_index(letters):
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letters.decode("ascii"))


def cells_list(values, width=None):
    """A row's cells as a list: ``values`` is one (CSV) or ``{column: value}``
    (XLSX, 1-based), then as wide as ``width`` or its last value."""
    if not isinstance(values, dict):
        return list(values)[:width]
    size = width if width is not None else max(values, default=0)
    return [values.get(column, "") for column in range(1, size + 1)]


def clean_cell(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def unquote_cell(value):
    """Undo the apostrophe our CSV exports put before formula-like text."""
    value = value.strip()
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_TRIGGERS:
        return value[1:]
    return value
