"""The public partner list as open data: published fields only, as plain values.

Exported by the one export path (``exports.export_rows``) like every list, but
for the public: no internal column, and each cell a plain value (numbers as
numbers, dates as ISO text, a date known to the month or year no more exactly),
the same for the JSON as for the CSV. Only for export; nothing imports it.
"""

from import_export import fields, resources

from ...models import City, localized_fields
from ...models.partial_dates import iso
from ..exports import mapped
from ..lookups import country_name


def plain(value):
    """A JSON/CSV-friendly value: dates as ISO text, decimals as numbers."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_tuple"):
        return float(value)
    return value


class PlainField(fields.Field):
    """A column of ``value`` over the values at ``paths``, as they are.

    ``annotated``: the paths are annotations of the exported queryset (the
    partner list's first signing and latest visit), not model fields.
    """

    def __init__(self, *paths, value=plain, annotated=False):
        super().__init__(attribute=paths[0], readonly=True)
        self.paths = paths
        self.value = value
        self.annotated = annotated

    def get_value(self, instance):
        return self.value(*(getattr(instance, path) for path in self.paths))

    def export(self, instance, **kwargs):
        # The plain value, not a widget's text: the JSON keeps its numbers.
        return self.get_value(instance)

    def export_column(self, plan):
        where = plan.annotation if self.annotated else plan.index
        return mapped(self.value, *(where(path) for path in self.paths))


def per_language(field):
    """``{column: PlainField}`` of a translated text's columns, one per language."""
    return {column: PlainField(column) for column in localized_fields(field)}


class OpenDataResource(resources.ModelResource):
    """The filtered partner cities, for ``partners.csv`` and ``partners.json``.

    Each translated text twice: in the reader's language with the pages'
    fallback (``name``), and as recorded in each language (``name_en``,
    ``name_zh_hans``, ``name_ru``; empty where not translated).
    """

    name = PlainField("name")
    locals().update(per_language("name"))
    name_local = PlainField("name_local")
    slug = PlainField("slug")
    country = PlainField("country", value=str)
    region = PlainField("region")
    locals().update(per_language("region"))
    founded_year = PlainField("founded_year")
    population = PlainField("population")
    population_year = PlainField("population_year")
    latitude = PlainField("latitude")
    longitude = PlainField("longitude")
    wikidata_id = PlainField("wikidata_id")
    description = PlainField("description")
    locals().update(per_language("description"))
    country_name = PlainField("country", value=lambda code: country_name(str(code)))
    agreement_kind = PlainField("first_kind", annotated=True)
    signed_on = PlainField("first_signed", annotated=True)
    latest_visit = PlainField(
        "latest_visit",
        "latest_visit_precision",
        value=lambda day, precision: iso(day, precision) or None,
        annotated=True,
    )
    url = PlainField("slug")

    class Meta:
        model = City
        fields = (
            "name",
            *localized_fields("name"),
            "name_local",
            "slug",
            "country",
            "region",
            *localized_fields("region"),
            "founded_year",
            "population",
            "population_year",
            "latitude",
            "longitude",
            "wikidata_id",
            "description",
            *localized_fields("description"),
            "country_name",
            "agreement_kind",
            "signed_on",
            "latest_visit",
            "url",
        )
        export_order = fields

    def __init__(self, request):
        super().__init__()
        self.fields["url"].value = lambda slug: request.build_absolute_uri(
            City(slug=slug).get_absolute_url()
        )


COLUMNS = OpenDataResource._meta.fields
