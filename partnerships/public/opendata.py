"""The public partner list as open data: CSV and JSON of published fields only.

The downloads take the same filters as the list page, so "download these" gives
exactly the cities the reader filtered. The CSV is written by the lists' own
writer (``spreadsheets.writing.csv_lines``), with the same rule for formula-like
text.
"""

import json

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from ..models.dates import iso_with_precision
from ..spreadsheets.exports import CHUNK_ROWS
from ..spreadsheets.writing import csv_lines
from .cache import cached_page
from .views import filtered_partners

# Published fields only: nothing internal, nothing from unpublished records.
CITY_FIELDS = (
    "name",
    "name_local",
    "name_zh",
    "name_ru",
    "slug",
    "country",
    "region",
    "founded_year",
    "population",
    "population_year",
    "latitude",
    "longitude",
    "wikidata_id",
    "description",
)
COLUMNS = (
    *CITY_FIELDS,
    "country_name",
    "agreement_kind",
    "signed_on",
    "latest_visit",
    "url",
)


def plain(value):
    """A JSON/CSV-friendly value: dates as ISO text, decimals as numbers."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):
        return float(value)
    return value


def rows(request):
    """One dict per filtered partner city, columns in ``COLUMNS`` order."""
    partners = filtered_partners(request).qs.only(*CITY_FIELDS)
    for city in partners.iterator(chunk_size=CHUNK_ROWS):
        row = {field: plain(getattr(city, field)) for field in CITY_FIELDS}
        row["country"] = city.country.code
        row["country_name"] = str(city.country.name)
        row["agreement_kind"] = city.first_kind
        row["signed_on"] = plain(city.first_signed)
        row["latest_visit"] = iso_with_precision(
            city.latest_visit, city.latest_visit_precision
        )
        row["url"] = request.build_absolute_uri(city.get_absolute_url())
        yield row


def partners_csv(request):
    # The lists' own CSV writer: a name like "=HYPERLINK(...)" stays text in a
    # reader's spreadsheet.
    lines = csv_lines(COLUMNS, ([row[c] for c in COLUMNS] for row in rows(request)))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="partner-cities.csv"'
    return response


@cached_page
def partners_json(request):
    data = {
        "title": _("Partner cities"),
        "columns": list(COLUMNS),
        "partners": list(rows(request)),
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
