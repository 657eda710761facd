"""A spreadsheet file imported outside the admin (``manage.py import``): read as
bytes and checked like an upload, imported all or nothing, its problems described
row by row."""

from django.conf import settings

from . import mapping as mappings
from .reading import check_size, read_table
from .results import describe_errors

__all__ = ["describe_errors", "import_file", "read_file", "read_stream"]


def read_file(path):
    """The bytes of the file at ``path``, refused before reading if it is too big."""
    check_size(path.stat().st_size)
    return path.read_bytes()


def read_stream(stream):
    """The bytes of a binary stream, up to one past the limit so a longer one is
    refused rather than cut short."""
    return stream.read(settings.PARTNERSHIPS_IMPORT_MAX_BYTES + 1)


def import_file(resource_class, data, filename, user=None, dry_run=False, mapping=None):
    """Import the bytes of the CSV or XLSX file ``filename``; django-import-export's
    ``Result``. ``mapping`` names a saved ``ColumnMapping`` of the file's columns.

    Raises ``SpreadsheetError`` for a file that cannot be read as a spreadsheet.
    """
    dataset = read_table(data, filename)
    resource = resource_class(user=user)
    kwargs = {}
    if mapping:
        kwargs["mapping"] = mappings.find(resource, mapping).columns
    return resource.import_data(
        dataset, dry_run=dry_run, user=user, file_name=filename, **kwargs
    )
