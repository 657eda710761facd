"""Inline rows a screen reader can fill in.

A tabular inline names its fields once, in the table's header, so each row's
inputs have no label of their own (axe: "Form elements must have labels").
Each field of every row, the "Delete?" box included, gets its label as
``aria-label``, with the row's number.
"""

from django.utils.text import capfirst
from django.utils.translation import gettext


class LabelledFieldsFormSet:
    """Mixed into an inline's formset by ``LabelledInlineMixin``."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        for name, field in form.fields.items():
            # A related field's widget is wrapped (the add and change links).
            widget = getattr(field.widget, "widget", field.widget)
            label = capfirst(str(field.label or name))
            if index is not None:
                label = gettext("%(label)s, row %(row)s") % {
                    "label": label,
                    "row": index + 1,
                }
            widget.attrs["aria-label"] = label


class LabelledInlineMixin:
    """For inlines: each row's fields labelled (see the module)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (LabelledFieldsFormSet, formset), {})
