"""CSV and XLSX as django-import-export formats: read safely, written safely."""

from django.utils.translation import gettext as _
from import_export.formats import base_formats

from .printing import column_sizes
from .reading import read_csv, read_data, read_xlsx
from .writing import BOM, EXCEL_SEMICOLON, write_csv, write_xlsx


class SafeCSV(base_formats.CSV):
    """CSV read from raw bytes (encoding checked here) and written safely."""

    def get_title(self):
        return "csv"

    def is_binary(self):
        # Read as bytes so the encoding is diagnosed here, not by a blind decode.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_data(in_stream, read_csv)

    def export_data(self, dataset, **kwargs):
        # The BOM makes Excel read the file as UTF-8, so Chinese and Cyrillic
        # names open intact; our own reader skips it.
        return BOM + write_csv(dataset, self.delimiter)

    #: What separates the cells (``SafeExcelCSV``: a semicolon).
    delimiter = ","


class SafeExcelCSV(SafeCSV):
    """CSV for Excel where it expects semicolons (a comma decimal separator)."""

    delimiter = EXCEL_SEMICOLON

    def get_title(self):
        return _("CSV for Excel (semicolon)")


class SafeXLSX(base_formats.XLSX):
    """XLSX read with zip-bomb and first-sheet checks and written safely."""

    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return read_data(in_stream, read_xlsx)

    def export_data(self, dataset, **kwargs):
        headers = list(dataset.headers or [])
        rows = list(dataset)
        sizes = column_sizes(headers, rows[:200])
        title = dataset.title or "Sheet1"
        return write_xlsx([(title, headers, rows, sizes)])


SAFE_FORMATS = [SafeCSV, SafeXLSX]
#: What a list may be exported as: an import reads either CSV.
EXPORT_FORMATS = [*SAFE_FORMATS, SafeExcelCSV]
