"""Columns that are more than one model field: children, alternatives, look-ups."""

from import_export import fields

from .exports import Memo, mapped
from .record_widgets import CityWidget
from .widgets import TextWidget


class ChildrenField(fields.Field):
    """A record's children, one per line (see ``children.ChildLines``).

    Read-only for django-import-export: the resource reads the cell with
    ``children.parse`` and writes the children after the record.
    """

    # Left blank in the import preview, as it has always been.
    previewed = False

    def __init__(self, children, column_name):
        super().__init__(
            attribute=children.related_name,
            column_name=column_name,
            widget=TextWidget(),
            readonly=True,
        )
        self.children = children

    def export(self, instance, **kwargs):
        if instance.pk is None:
            return ""
        return self.children.cell(instance)

    def export_column(self, plan):
        children = self.children
        return plan.related(
            children.model,
            children.parent,
            children.paths,
            children.liner(),
            children.separator,
        )


class FirstOfField(fields.Field):
    """A read-only column of the first of several paths that leads somewhere.

    An activity's partner city is its collaboration's, else its visit's.
    """

    # Left blank in the import preview, as it has always been.
    previewed = False

    def __init__(self, paths, column_name, widget=None):
        super().__init__(
            attribute=paths[0],
            column_name=column_name,
            widget=widget or TextWidget(),
            readonly=True,
        )
        self.paths = paths

    def get_value(self, instance):
        for path in self.paths:
            value = fields.Field(attribute=path).get_value(instance)
            if value is not None:
                return value
        return None

    def export_column(self, plan):
        shown = Memo(plan.render(self.widget))

        def first(*values):
            return shown[next((v for v in values if v is not None), None)]

        return mapped(first, *(plan.index(path) for path in self.paths))


class LookupField(fields.Field):
    """A city read from a column for another field's widget; not a column itself."""

    hidden = True

    def __init__(self, column_name, country_column):
        super().__init__(
            column_name=column_name,
            widget=CityWidget(country_column=country_column),
            readonly=True,
        )


class DateAsKnownField(fields.Field):
    """A date column whose widget writes it as precisely as the record knows it:
    the widget is given the record (``obj``), as django-import-export's own
    ``Field.export`` does not."""

    def export(self, instance, **kwargs):
        return self.widget.render(self.get_value(instance), obj=instance, **kwargs)
