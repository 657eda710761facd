"""How an import reads a row: each column's kind, each cell, the record before."""

import gc
from contextlib import contextmanager

from django.db.models import NOT_PROVIDED
from import_export import widgets

from ..fields import ChildrenField

CHILDREN, MANY, VALUE = "children", "many", "value"


@contextmanager
def collector_paused():
    """Python's cycle collector off while an import runs.

    An import keeps every row's record until the end, so the collector would
    walk them all again and again, finding nothing to free: about a tenth of a
    10,000-row import. What the import leaves behind is collected afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def column_kind(field):
    """What an import does with a column's cell (see ``import_columns``)."""
    if isinstance(field, ChildrenField):
        return CHILDREN
    if field.readonly or not field.attribute:
        return None
    if isinstance(field.widget, widgets.ManyToManyWidget):
        return MANY
    return VALUE


def read_cell(field, row):
    """A cell as its field reads it, or the ``ValueError`` that says why not."""
    try:
        if field.default is NOT_PROVIDED:
            # What Field.clean does for a field without a default.
            return field.widget.clean(row[field.column_name], row=row)
        return field.clean(row)
    except ValueError as error:
        return error


def original_of(instance):
    """A copy of a saved record as it is now, with what it had prefetched."""
    from copy import deepcopy

    original = deepcopy(instance)
    # deepcopy leaves out the prefetched related records.
    original._prefetched_objects_cache = dict(
        getattr(instance, "_prefetched_objects_cache", {})
    )
    return original
