"""The public partner list as open data: CSV and JSON of published fields only.

The downloads take the same filters as the list page, so "download these" gives
exactly the cities the reader filtered. The rows come from the one export path
(``spreadsheets.exports.export_rows`` over ``OpenDataResource``: published fields
only, plain values), the CSV is written by the lists' own writer
(``spreadsheets.writing.csv_lines``), with the same rule for formula-like text.
"""

import itertools
import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from ..spreadsheets.exports import export_rows
from ..spreadsheets.resources.opendata import COLUMNS, OpenDataResource
from ..spreadsheets.writing import BOM, EXCEL_SEMICOLON, csv_lines
from .cache import cached_page, list_scopes
from .filters import canonical_filters
from .views import filtered_partners


def rows(request):
    """A list of plain values per filtered partner city, in ``COLUMNS`` order."""
    resource = OpenDataResource(request)
    return export_rows(resource, filtered_partners(request).qs)[1]


def partners_csv(request, delimiter=","):
    # The lists' own CSV writer: a name like "=HYPERLINK(...)" stays text in a
    # reader's spreadsheet. The BOM makes Excel, opening the file by a double
    # click, read Воронеж and 沃罗涅日 as UTF-8.
    lines = itertools.chain([BOM], csv_lines(COLUMNS, rows(request), delimiter))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = "partner-cities" if delimiter == "," else "partner-cities-excel"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def partners_excel_csv(request):
    """The CSV for Excel where it expects semicolons."""
    return partners_csv(request, delimiter=EXCEL_SEMICOLON)


@cached_page(list_scopes, canonical_filters)
def partners_json(request):
    data = {
        "title": _("Partner cities"),
        "columns": list(COLUMNS),
        "partners": [dict(zip(COLUMNS, row, strict=True)) for row in rows(request)],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
