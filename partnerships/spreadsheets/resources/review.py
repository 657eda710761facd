"""An import obeys the Publisher's rule too (``partnerships/publication.py``).

A row that changes what the public sees of a live record, imported by someone
who may not publish it, writes only its internal fields; its public fields and
links wait as the record's draft, made once the import is written (never in a
preview, which says which rows will wait). A change to its lines (a
delegation, participants...) waits in the same draft, read as the admin form
keeps them, and new people in it are recorded when the draft is made.
"""

from django.core.exceptions import ValidationError

from ... import publication
from .. import drafted_lines
from .cells import CHILDREN


def hold_for_review(resource, instance):
    """Keep the row's public changes of a live record aside (``_import_draft``).

    Called before the row is compared and written (``skip_row``).
    """
    instance._import_draft = None
    model = type(instance)
    original = instance._import_original
    if (
        resource.user is None
        or not instance._import_existing
        or not getattr(original, "published", False)
        or publication.can_publish(resource.user, model)
    ):
        return
    names = publication.differing_fields(instance, original)
    proposed = {
        "fields": publication.field_values(instance, names),
        "m2m": {},
        "children": {},
    }
    publication.restore_live(instance, names, original)
    internal = publication.internal_fields(model)
    for name, records in list(instance._import_m2m.items()):
        attribute = resource.fields[name].attribute
        if attribute in internal:
            continue
        wanted = sorted(record.pk for record in records)
        live = sorted(getattr(instance, attribute).values_list("pk", flat=True))
        if wanted != live:
            proposed["m2m"][attribute] = wanted
        del instance._import_m2m[name]
    lines = {}
    for name, field, kind in resource.import_columns():
        if kind is not CHILDREN:
            continue
        children = field.children
        # Not written now, changed or not: what changed waits with the rest.
        wanted = instance._import_children.pop(children.related_name, None)
        if wanted is not None and wanted != children.recorded(instance):
            try:
                drafted_lines.check_drafted(children, instance, wanted, resource)
            except ValidationError as error:
                raise ValidationError({name: error.messages}) from None
            lines[children.related_name] = (children, wanted)
    if proposed["fields"] or proposed["m2m"] or lines:
        instance._import_draft = {**proposed, "lines": lines}


class ReviewedImportMixin:
    """Drafts for the rows ``hold_for_review`` kept aside, once written."""

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # For the preview: the rows that will wait (``SheetResult.held_for_review``).
        result.held_numbers = self.held_rows(result)
        if kwargs.get("dry_run") or result.has_errors():
            return
        if result.has_validation_errors():
            return
        for row in result.rows:
            instance = row.instance
            held = getattr(instance, "_import_draft", None)
            if not held:
                continue
            proposed = {part: held[part] for part in ("fields", "m2m", "children")}
            for related_name, (children, wanted) in held["lines"].items():
                proposed["children"][related_name] = drafted_lines.draft_rows(
                    children, instance, wanted, self
                )
            publication.propose(instance, self.user, proposed)

    def held_rows(self, result):
        """The rows whose change waits for review, by their numbers; each such
        row says so (``waits_for_review``, for the preview)."""
        held = []
        for number, row in enumerate(result.rows, start=1):
            row.waits_for_review = bool(getattr(row.instance, "_import_draft", None))
            if row.waits_for_review:
                held.append(number)
        return held
