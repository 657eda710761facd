"""A spreadsheet file imported outside the admin (``manage.py import``): read as
bytes and checked like an upload, imported all or nothing, its problems described
row by row."""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS

from .reading import check_size, read_table


def read_file(path):
    """The bytes of the file at ``path``, refused before reading if it is too big."""
    check_size(path.stat().st_size)
    return path.read_bytes()


def read_stream(stream):
    """The bytes of a binary stream, up to one past the limit so a longer one is
    refused rather than cut short."""
    return stream.read(settings.PARTNERSHIPS_IMPORT_MAX_BYTES + 1)


def import_file(resource_class, data, filename, user=None, dry_run=False):
    """Import the bytes of the CSV or XLSX file ``filename``; django-import-export's
    ``Result``.

    Raises ``SpreadsheetError`` for a file that cannot be read as a spreadsheet.
    """
    dataset = read_table(data, filename)
    resource = resource_class(user=user)
    return resource.import_data(dataset, dry_run=dry_run, user=user, file_name=filename)


def describe_errors(result):
    """One line per problem: the row (and spreadsheet line), the column, the reason."""
    lines = []
    for error in result.base_errors:
        lines.append(str(error.error))
    for number, errors in result.row_errors():
        for error in errors:
            lines.append(f"Row {number} (line {number + 1}): {error.error}")
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            for message in messages:
                if column == NON_FIELD_ERRORS:
                    lines.append(f"Row {row.number} (line {row.number + 1}): {message}")
                else:
                    lines.append(
                        f"Row {row.number} (line {row.number + 1}), "
                        f"column “{column}”: {message}"
                    )
    return lines
