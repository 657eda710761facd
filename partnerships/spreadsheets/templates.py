"""Import templates: an empty workbook of a list's columns, to fill in and import.

Its first sheet (the active one, the only one an import reads) holds the columns
the list's import reads, named in the reader's language, an example row
(``example_rows``: ignored on import) and a drop-down list on each column of a
choice, a country, a sector or a city. The lists too long to be written in the
validation itself are on a hidden sheet; the instructions, in English, Chinese
and Russian, on a sheet of their own (``template_instructions``). Written by
``writing.XlsxBook``: text stays text.
"""

import io

from django.utils.translation import gettext as _
from django_countries import countries
from xlsxwriter.utility import xl_col_to_name

from ..models import City, Sector, in_reader_language
from ..models.choices import HOME_ROLES, CityRole
from .example_rows import Context, example_values, marked
from .record_widgets import CityWidget, SectorsWidget, SectorWidget, VisitRefWidget
from .resources.columns import is_hidden
from .template_instructions import instructions
from .widgets import (
    ChoiceWidget,
    CountryWidget,
    DecimalWidget,
    ExactDayWidget,
    IntegerWidget,
    YesNoWidget,
)
from .writing import XlsxBook, display_width

#: Drop-downs from the first row below the example to Excel's last (0-based).
FIRST_ROW, LAST_ROW = 2, 1_048_575
#: Excel's limit on a list written in the validation itself ("a,b,c").
INLINE_LIMIT = 255
STOP, WARNING = "stop", "warning"
A4 = 9  # Excel's paper size code
LINE_POINTS = 16

STYLES = {
    "header": {
        "bold": True,
        "bg_color": "#DDEBF7",
        "border": 1,
        "text_wrap": True,
        "valign": "top",
    },
    "example": {
        "italic": True,
        "font_color": "#595959",
        "bg_color": "#F2F2F2",
        "text_wrap": True,
        "valign": "top",
    },
    # Typed as text: a spreadsheet would turn 2024-03 into the 1st of March.
    "text": {"num_format": "@"},
    "heading": {"bold": True, "font_size": 13},
    "paragraph": {"text_wrap": True, "valign": "top"},
}


def template_fields(resource):
    """``[(name, field)]``: the columns the list's import reads, in its order.

    Not the exact-day columns (written beside each date for spreadsheets'
    arithmetic, never read) nor the date precision that old files had (read, no
    longer written): neither is how anyone should fill in a new file.
    """
    names = {field: name for name, field in resource.fields.items()}
    exported = {id(field) for field in resource.get_export_fields()}
    return [
        (names[field], field)
        for field in resource.get_import_fields()
        if id(field) in exported
        and not (field.readonly and isinstance(field.widget, ExactDayWidget))
    ]


def reader(resource, name, field):
    """``(name, widget)`` that reads a column: a hidden look-up that reads the
    same column (a collaboration's cities) before the column's own field."""
    column = str(field.column_name)
    for other_name, other in resource.fields.items():
        if is_hidden(other) and str(other.column_name) == column:
            return other_name, other.widget
    return name, field.widget


def city_roles(name):
    """Which cities a city column names, from its field's name (None: any)."""
    if "home_party" in name or name == "parent":
        return HOME_ROLES
    if "partner" in name:
        return (CityRole.PARTNER,)
    return None


class Lists:
    """The values a column's drop-down offers, each list read once per workbook."""

    def __init__(self):
        self.known = {}

    def once(self, key, read):
        if key not in self.known:
            self.known[key] = read()
        return self.known[key]

    def countries(self):
        return self.once("countries", lambda: [str(name) for _c, name in countries])

    def sectors(self):
        return self.once("sectors", lambda: [s.name for s in Sector.objects.all()])

    def cities(self, roles):
        def read():
            found = City.objects.all()
            if roles is not None:
                found = found.filter(role__in=roles)
            names = found.annotate(shown=in_reader_language("name")).values_list(
                "shown", flat=True
            )
            # Two cities of one name are one entry: the country column tells them.
            return sorted({name for name in names.iterator() if name})

        return self.once(("cities", roles), read)

    def of(self, resource, name, field):
        """``(values, error type)`` for the column's drop-down, or None."""
        name, widget = reader(resource, name, field)
        if isinstance(widget, YesNoWidget):
            return [_("yes"), _("no")], STOP
        if isinstance(widget, VisitRefWidget):
            widget = widget.directions
        if isinstance(widget, ChoiceWidget):
            return [str(label) for _value, label in widget.choices], STOP
        # Countries, sectors and cities are read in other spellings too (a code,
        # another language), and a city may be added after the template is made.
        if isinstance(widget, CountryWidget):
            return self.countries(), WARNING
        if isinstance(widget, SectorWidget | SectorsWidget):
            return self.sectors(), WARNING
        if isinstance(widget, CityWidget):
            return self.cities(city_roles(name)), WARNING
        return None


def inline(values):
    """The list as a validation holds it, or None if it must go on the Lists sheet."""
    if any("," in value or '"' in value for value in values):
        return None
    if len(",".join(values)) + 2 > INLINE_LIMIT:
        return None
    return values


def write_template(resource_class, out=None, user=None):
    """The import template of ``resource_class``'s list in the active language,
    into ``out`` (a binary file) or as bytes."""
    target = out if out is not None else io.BytesIO()
    resource = resource_class(user=user)
    fields = template_fields(resource)
    headers = [str(field.column_name) for _name, field in fields]
    example = example_values(resource, fields, Context())
    if example:
        example[0] = marked(example[0])
    lists = Lists()
    dropdowns = [lists.of(resource, name, field) for name, field in fields]

    book = XlsxBook(target, STYLES)
    sheet_title = resource.get_display_name()
    data = book.add_sheet(sheet_title)
    notes = book.add_sheet(_("Instructions"))
    listed = {}  # a long list's values -> its column on the Lists sheet
    for dropdown in dropdowns:
        if dropdown and dropdown[0] and inline(dropdown[0]) is None:
            listed.setdefault(tuple(dropdown[0]), len(listed))
    hidden = book.add_sheet(_("Lists")) if listed else None

    write_data_sheet(book, data, fields, headers, example)
    for column, dropdown in enumerate(dropdowns):
        if dropdown and dropdown[0]:
            values, error_type = dropdown
            source = inline(values)
            if source is None:
                source = list_range(hidden, listed[tuple(values)], len(values))
            data.data_validation(
                FIRST_ROW, column, LAST_ROW, column, validation(source, error_type)
            )
    write_instructions(book, notes, resource, data.name)
    if hidden is not None:
        write_lists(book, hidden, list(listed))
        hidden.hide()
    data.activate()
    book.close()
    return target if out is not None else target.getvalue()


def write_data_sheet(book, sheet, fields, headers, example):
    """The column names, the example row, the columns' widths and formats."""
    widths = [column_width(h, v) for h, v in zip(headers, example, strict=True)]
    text = book.styles["text"]
    for column, (width, (_name, field)) in enumerate(zip(widths, fields, strict=True)):
        numeric = isinstance(field.widget, IntegerWidget | DecimalWidget)
        sheet.set_column(column, column, width, None if numeric else text)
    sheet.set_row(0, row_height(headers, widths))
    for column, name in enumerate(headers):
        book.write_text(sheet, 0, column, name, book.styles["header"])
    sheet.set_row(1, row_height(example, widths))
    for column, value in enumerate(example):
        book.write_text(sheet, 1, column, value, book.styles["example"])
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.repeat_rows(0)


def column_width(header, example, low=10, high=24):
    """A column as wide as its name and example need, within bounds (they wrap)."""
    lines = [header, *example.splitlines()]
    return min(max(max(map(display_width, lines)) + 2, low), high)


def row_height(cells, widths):
    """The height (points) of a row of wrapped cells, for the tallest."""
    lines = (wrapped_lines(c, w) for c, w in zip(cells, widths, strict=True))
    # A line of Chinese in the fonts that have it is taller than one of Latin.
    return LINE_POINTS * max(lines, default=1) + 3


def wrapped_lines(text, width):
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    room = max(width - 1, 1)
    return max(
        sum(-(-max(display_width(line), 1) // room) for line in text.splitlines()),
        1,
    )


def validation(source, error_type):
    """A drop-down of ``source`` (values, or a range) that refuses or warns."""
    if error_type == STOP:
        title, message = (
            _("Choose from the list"),
            _("Choose a value from the drop-down list of this column."),
        )
    else:
        title, message = (
            _("Not in the list"),
            _(
                "This value is not in the list. The import also reads other "
                "spellings (a code, another language); keep it if it is one of them."
            ),
        )
    return {
        "validate": "list",
        "source": source,
        "error_type": error_type,
        # Excel's limits: a longer title or message drops the whole validation.
        "error_title": title[:32],
        "error_message": message[:255],
        "ignore_blank": True,
    }


def list_range(sheet, column, length):
    """The formula of a list on the Lists sheet: ``='Lists'!$A$1:$A$12``."""
    name = sheet.name.replace("'", "''")
    letter = xl_col_to_name(column)
    return f"='{name}'!${letter}$1:${letter}${length}"


def write_lists(book, sheet, lists):
    """Each list down a column, row by row (the book writes rows in order)."""
    sheet.set_column(0, len(lists) - 1, 30)
    for row in range(max(map(len, lists))):
        for column, values in enumerate(lists):
            if row < len(values):
                book.write_text(sheet, row, column, values[row])


def write_instructions(book, sheet, resource, data_sheet):
    """The three languages' instructions, one paragraph a row."""
    # Narrow enough for a portrait page where the default font is wider than
    # Calibri (LibreOffice without Carlito), which fitting to the page does not help.
    width = 70
    sheet.set_column(0, 0, width)
    sheet.set_portrait()
    sheet.set_paper(A4)
    row = 0
    for _language, heading, paragraphs in instructions(resource, data_sheet):
        sheet.set_row(row, 22)
        book.write_text(sheet, row, 0, heading, book.styles["heading"])
        row += 1
        for number, paragraph in enumerate(paragraphs, start=1):
            text = f"{number}. {paragraph}"
            sheet.set_row(row, row_height([text], [width]))
            book.write_text(sheet, row, 0, text, book.styles["paragraph"])
            row += 1
        row += 1
