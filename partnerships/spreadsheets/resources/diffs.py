"""The import preview's cells: a row's record before and after, and what changed."""

import copy

from diff_match_patch import diff_match_patch
from django.utils.encoding import force_str
from django.utils.html import escape, format_html_join
from import_export.resources import Diff

from ... import publication
from .cells import CHILDREN


class PreviewDiff(Diff):
    """The preview's cells of a row: its record before and after, column by column.

    The lines columns (a delegation, signatories...) show the children recorded
    and those the row asks for, or its draft will propose.
    """

    def __init__(self, resource, instance, new):
        self.left = preview_cells(
            resource,
            instance._import_original,
            children=lambda lines: lines.recorded(instance),
        )
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        held = getattr(instance, "_import_draft", None)
        drafted = (held or {}).get("lines", {})

        def children(lines):
            name = lines.related_name
            if name in drafted:
                return drafted[name][1]
            wanted = instance._import_children.get(name)
            return lines.recorded(instance) if wanted is None else wanted

        if held:
            # What waits for review is shown as the row's change, though only
            # the draft holds it (``review.hold_for_review``).
            instance = copy.copy(instance)
            instance._state = copy.copy(instance._state)
            # A drafted link is read anew, not from the live record's cache.
            instance._state.fields_cache = {
                name: related
                for name, related in instance._state.fields_cache.items()
                if name not in held["fields"]
            }
            publication.assign(instance, held["fields"])
        self.right = preview_cells(resource, instance, children=children)

    def as_html(self):
        """Each cell's change marked by classes (``fa-diff-added``,
        ``fa-diff-removed``), not by the inline styles the library writes, which
        the Content Security Policy blocks."""
        cells = []
        differ = diff_match_patch()
        for before, after in zip(self.left, self.right, strict=False):
            if before != after and self.new:
                before = ""
            pieces = differ.diff_main(force_str(before), force_str(after))
            differ.diff_cleanupSemantic(pieces)
            cells.append(
                format_html_join(
                    "",
                    '<{0} class="{1}">{2}</{0}>',
                    (
                        (*DIFF_MARKUP[operation], lines(text))
                        for operation, text in pieces
                    ),
                )
            )
        return cells


def preview_cells(resource, instance, children):
    """A row's cells in the import preview: the record's, column by column.

    ``children(lines)`` gives the children a column of lines shows.
    """
    cells = []
    for name, field, kind in resource.import_columns():
        if kind is CHILDREN:
            lines = field.children
            cells.append(lines.preview(children(lines)))
        elif not getattr(field, "previewed", True):
            cells.append("")
        elif name in getattr(instance, "_import_m2m", {}):
            cells.append(field.widget.render_records(instance._import_m2m[name]))
        else:
            cells.append(field.export(instance))
    return cells


#: A diff's operation as its element and class.
DIFF_MARKUP = {
    -1: ("del", "fa-diff-removed"),
    0: ("span", "fa-diff-same"),
    1: ("ins", "fa-diff-added"),
}


def lines(text):
    """``text`` escaped, its line breaks kept."""
    *before, last = text.split("\n")
    return format_html_join("", "{}<br>", ((line,) for line in before)) + escape(last)
