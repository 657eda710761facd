"""A record's lines (a delegation, participants...) held in a draft by an import
(``resources/review.py``): checked as approval will write them, and kept as the
draft keeps child rows (``publication.child_rows``' form)."""

from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint

from ..publication import child_columns
from . import bulk
from .children import resolve_person, write_new_people


def check_drafted(children, record, wanted, resource):
    """For a checked kind, refuse the lines a draft would hold that its
    approval could not write: a child its model refuses, or one line twice
    (``ValidationError``). Nothing is written."""
    if not children.checked:
        return
    names = children.row_columns()
    rows = [
        dict(zip(names, row, strict=True))
        for row in children.rows(record, wanted, resource)
    ]
    for values in rows:
        # Against the draft's other lines, not the live ones it replaces.
        children.model(**values).full_clean(
            validate_unique=False, validate_constraints=False
        )
    for constraint in children.model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint):
            continue
        columns = [children.model._meta.get_field(f).attname for f in constraint.fields]
        keys = [
            tuple(values.get(column) for column in columns)
            for values in rows
            if all(values.get(column) is not None for column in columns)
        ]
        if len(set(keys)) != len(keys):
            raise ValidationError(constraint.violation_error_message)


def draft_rows(children, record, wanted, resource):
    """The children ``wanted`` as a draft keeps them (each a dict of the
    child's fields, ``publication.child_rows``' form); people the office
    has not recorded yet are recorded now, as ``replace`` would."""
    rows = children.rows(record, wanted, resource)
    write_new_people(resource)
    attnames, rows = bulk.in_languages(children.model, children.row_columns(), rows)
    names = {field.attname: field.name for field in children.model._meta.fields}
    empty = children.model()
    defaults = {
        field.name: field.value_from_object(empty)
        for field in child_columns(children.model, children.parent)
    }
    return [
        {
            **defaults,
            **{
                names[attname]: resolve_person(value)
                for attname, value in zip(attnames[1:], row[1:], strict=True)
            },
        }
        for row in rows
    ]
