"""Files whose column names are not ours: each of their columns matched to one
of the list's (or ignored), the match saved under a name (``ColumnMapping``) and
proposed again for a file with the same column names.

The admin asks for the match when a file's names are unknown (``NeedsMapping``);
``manage.py import --mapping NAME`` uses a saved one. Either way the resource
applies it (``apply``) before it reads the headers, so a mapped file is checked
and imported exactly as one with our names.
"""

from django.utils.translation import gettext as _

from ..models.mappings import ColumnMapping, header_key, headers_signature
from .errors import SpreadsheetError

#: The values of each column the mapping step shows.
SAMPLES = 3


class NeedsMapping(SpreadsheetError):
    """Column names that are not the list's: the admin asks which is which."""

    def __init__(self, message, headers, samples):
        super().__init__(message)
        self.headers = list(headers)
        self.samples = samples


def samples(dataset, count=SAMPLES):
    """``{column name: its first filled values}`` of a dataset."""
    found = {header: [] for header in dataset.headers}
    for row in dataset:
        for header, value in zip(dataset.headers, row, strict=False):
            if value not in ("", None) and len(found[header]) < count:
                found[header].append(str(value))
        if all(len(values) >= count for values in found.values()):
            break
    return found


def list_name(resource):
    return resource._meta.model._meta.model_name


def our_columns(resource):
    """``[(field name, column name)]`` a file may fill, in the list's order."""
    names = {field: name for name, field in resource.fields.items()}
    return [
        (names[field], str(field.column_name)) for field in resource.get_import_fields()
    ]


def guess(resource, headers):
    """``{header: field name or ""}``: the headers that are ours, in any language."""
    known = resource.known_headers()
    by_column = {column: name for name, column in our_columns(resource)}
    return {
        header: by_column.get(known.get(header_key(header)), "") for header in headers
    }


def proposal(resource, headers):
    """The saved mapping for these column names (the latest saved), or None, and
    the columns to propose: the saved ones, else ``guess``."""
    saved = (
        ColumnMapping.objects.filter(
            records=list_name(resource), signature=headers_signature(headers)
        )
        .order_by("-updated")
        .first()
    )
    columns = guess(resource, headers)
    if saved is not None:
        by_key = {header_key(h): field for h, field in saved.columns.items()}
        fields = dict(our_columns(resource))
        columns = {
            header: field
            for header in headers
            if (field := by_key.get(header_key(header), "")) in fields or field == ""
        }
    return saved, columns


def find(resource, name):
    """The mapping saved as ``name`` for the resource's list; a clear error else."""
    try:
        return ColumnMapping.objects.get(records=list_name(resource), name=name)
    except ColumnMapping.DoesNotExist:
        saved = ColumnMapping.objects.filter(records=list_name(resource))
        names = ", ".join(f"“{m.name}”" for m in saved) or _("none")
        raise SpreadsheetError(
            _("No column mapping “%(name)s” is saved for %(what)s. Saved: %(saved)s.")
            % {
                "name": name,
                "what": resource.get_display_name().lower(),
                "saved": names,
            }
        ) from None


def save(resource, name, headers, columns, user=None):
    """Save (or replace) the mapping ``name`` of the resource's list."""
    mapping, _created = ColumnMapping.objects.update_or_create(
        records=list_name(resource),
        name=name,
        defaults={
            "headers": list(headers),
            "columns": {header: columns.get(header, "") for header in headers},
            "created_by": user if user is not None and user.pk else None,
        },
    )
    return mapping


def check(resource, columns):
    """What is wrong with ``columns`` (``{header: field name or ""}``), or []."""
    fields = dict(our_columns(resource))
    problems = []
    chosen = {}
    for header, field in columns.items():
        if field and field not in fields:
            problems.append(
                _("“%(field)s” is not a column of this list.") % {"field": field}
            )
        elif field:
            chosen.setdefault(field, []).append(header)
    for field, headers in chosen.items():
        if len(headers) > 1:
            problems.append(
                _(
                    "The columns %(headers)s are all matched to “%(column)s”; "
                    "match one, and ignore the others."
                )
                % {
                    "headers": ", ".join(f"“{h}”" for h in headers),
                    "column": fields[field],
                }
            )
    return problems


def apply(dataset, resource, columns):
    """Rename the dataset's columns to ours as ``columns`` says, dropping those it
    ignores. A column it does not name, or two matched to one, are errors."""
    by_key = {header_key(header): field for header, field in columns.items()}
    unnamed = [h for h in dataset.headers if header_key(h) not in by_key]
    if unnamed:
        raise SpreadsheetError(
            _(
                "The column mapping does not say what to do with the column(s) "
                "%(columns)s: this file's column names are not the ones it was "
                "saved for."
            )
            % {"columns": ", ".join(f"“{h}”" for h in unnamed)}
        )
    problems = check(resource, {h: by_key[header_key(h)] for h in dataset.headers})
    if problems:
        raise SpreadsheetError(" ".join(problems))
    fields = dict(our_columns(resource))
    for header in list(dataset.headers):
        if not by_key[header_key(header)]:
            del dataset[header]
    dataset.headers = [fields[by_key[header_key(h)]] for h in dataset.headers]
    return dataset
