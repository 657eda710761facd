"""Activities as a spreadsheet."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import Activity
from ..fields import DateAsKnownField, FirstOfField, LookupField
from ..widgets import CountryWidget, PartialDateWidget
from .columns import per_language
from .dated import DatesAsKnownResource

# An activity's partner city is its collaboration's, else its visit's.
PARTNER = ("collaboration__agreement__partner", "visit__partner_city")


class ActivityResource(DatesAsKnownResource):
    key_description = gettext_lazy("same title, start date, collaboration and visit")
    columns = {
        "collaboration": gettext_lazy("Collaboration"),
        "visit": gettext_lazy("Visit direction"),
        "visit__title": gettext_lazy("Visit title"),
        "visit__home_party__name": gettext_lazy("Visit home party"),
        "location": gettext_lazy("Where"),
        "location__country": gettext_lazy("Where (country)"),
    }
    required_columns = (gettext_lazy("Title"), gettext_lazy("Kind"))

    partner = FirstOfField(
        [f"{path}__name" for path in PARTNER], gettext_lazy("Partner city")
    )
    partner_country = FirstOfField(
        [f"{path}__country" for path in PARTNER],
        gettext_lazy("Partner country"),
        CountryWidget(),
    )
    # The visit's start as precisely as the visit knows it ("2027-05").
    visit_start = DateAsKnownField(
        attribute="visit__start_date",
        column_name=gettext_lazy("Visit start date"),
        widget=PartialDateWidget(precision="visit__date_precision"),
        # Read only to find the visit (``VisitWidget``).
        readonly=True,
    )
    # Not a column of its own: how the collaboration and visit widgets read it.
    partner_lookup = LookupField(
        gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )

    class Meta(DatesAsKnownResource.Meta):
        model = Activity
        fields = (
            *per_language("title"),
            "kind",
            "start_date",
            "end_date",
            "start_day",
            "end_day",
            *per_language("date_note"),
            "partner",
            "partner_country",
            "collaboration",
            "visit",
            "visit_start",
            "visit__title",
            "visit__home_party__name",
            "location",
            "location__country",
            *per_language("description"),
            "published",
            "internal_notes",
            "partner_lookup",
        )
        # The look-up column last: read on import, never written.
        export_order = fields[:-1]
        import_order = fields[:-1]
        widgets = {"location": {"country_column": gettext_lazy("Where (country)")}}

    def preload(self, dataset):
        for column in (_("Partner city"), _("Where")):
            if column in dataset.headers:
                self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        title = self.cell("title_en", row)
        if not title:
            return None
        return (
            Activity.objects.filter(
                title_en__iexact=title,
                start_date=self.cell("start_date", row),
                collaboration=self.cell("collaboration", row),
                visit=self.cell("visit", row),
            )
            .order_by("pk")
            .first()
        )

    def optimise(self, queryset):
        return queryset.select_related(
            "collaboration__agreement__partner",
            "visit__partner_city",
            "visit__home_party",
            "location",
        )
