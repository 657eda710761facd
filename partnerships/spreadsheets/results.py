"""An import's result as the clerk reads it: each row named by its number in the
sheet they have open (and the sheet, when the workbook has several), whatever
titles or empty rows came before it."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from import_export.results import Result


def sheet_row(row_numbers, number):
    """The sheet's row of data row ``number`` (1-based), by a dataset's
    ``row_numbers``."""
    if row_numbers and 0 < number <= len(row_numbers):
        return row_numbers[number - 1]
    # A dataset made in code: its column names on the first row.
    return number + 1


class SheetResult(Result):
    """django-import-export's ``Result``, its rows placed in the file.

    The library numbers the data rows 1, 2, 3…; ``row_numbers`` (from the
    dataset, ``layout.make_dataset``) gives each its row in the sheet.
    """

    def __init__(self):
        super().__init__()
        self.row_numbers = None
        self.sheet = ""
        #: The library's numbers of the rows that wait for review.
        self.held_numbers = []

    def place_rows(self, dataset):
        """Number the rows as ``dataset``'s sheet does, once the import is done:
        the invalid rows' ``number`` becomes their sheet row."""
        self.row_numbers = getattr(dataset, "row_numbers", None)
        self.sheet = getattr(dataset, "sheet_name", "")
        self.file_columns = list(dataset.headers or ())
        for row in self.invalid_rows:
            row.number = self.sheet_row(row.number)

    def trim_preview(self):
        """Leave out of the preview the columns that are neither in the file nor
        filled in any row it shows: a list has some forty."""
        shown = [row for row in self.rows if row.diff]
        keep = [
            index
            for index, header in enumerate(self.diff_headers)
            if header in getattr(self, "file_columns", ())
            or any(row.diff[index] for row in shown)
            or any(row.values[index] not in ("", "---") for row in self.invalid_rows)
        ]
        self.diff_headers = [self.diff_headers[index] for index in keep]
        for row in shown:
            row.diff = [row.diff[index] for index in keep]
        for row in self.invalid_rows:
            row.values = tuple(row.values[index] for index in keep)

    def sheet_row(self, number):
        """The sheet's row of the library's data row ``number`` (1-based)."""
        return sheet_row(self.row_numbers, number)

    def place(self, row):
        """'row 4', or 'sheet “Visits”, row 4': where the clerk finds sheet row
        ``row``."""
        if self.sheet:
            return _("sheet “%(sheet)s”, row %(row)s") % {
                "sheet": self.sheet,
                "row": row,
            }
        return _("row %(row)s") % {"row": row}

    def row_errors(self):
        return [(self.sheet_row(n), errors) for n, errors in super().row_errors()]

    @property
    def held_for_review(self):
        """The sheet rows whose change waits for a Publisher's review."""
        return [self.sheet_row(number) for number in self.held_numbers]

    def problems(self):
        """Every problem as ``(where, column, message)``: where and column are ""
        for the file as a whole and for a row as a whole."""
        found = [("", "", str(error.error)) for error in self.base_errors]
        for number, errors in self.row_errors():
            found.extend((self.place(number), "", str(e.error)) for e in errors)
        for row in self.invalid_rows:
            for column, messages in row.error_dict.items():
                column = "" if column == NON_FIELD_ERRORS else column
                found.extend((self.place(row.number), column, m) for m in messages)
        return found


def describe_errors(result):
    """One line per problem, for the command line: where, the column, the reason."""
    lines = []
    for where, column, message in result.problems():
        if column:
            where = _("%(where)s, column “%(column)s”") % {
                "where": where,
                "column": column,
            }
        lines.append(f"{where[:1].upper()}{where[1:]}: {message}" if where else message)
    return lines
