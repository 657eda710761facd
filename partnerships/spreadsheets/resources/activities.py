"""Activities as a spreadsheet."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from ...models import (
    Activity,
)
from ...models.choices import (
    ActivityKind,
)
from ..lookups import country_name
from ..widgets import (
    CollaborationRefWidget,
    CountryWidget,
    IsoDateWidget,
    TextWidget,
    VisitRefWidget,
)
from .base import PartnershipResource, choice, city, date, lookup, shown, text, yes_no


class ActivityResource(PartnershipResource):
    key_description = gettext_lazy("same title, start date, collaboration and visit")

    title = text("title", gettext_lazy("Title"))
    kind = choice("kind", gettext_lazy("Kind"), ActivityKind)
    start_date = date("start_date", gettext_lazy("Start date"))
    end_date = date("end_date", gettext_lazy("End date"))
    date_note = text("date_note", gettext_lazy("About the dates"))
    partner = fields.Field(
        column_name=gettext_lazy("Partner city"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_partner",
        readonly=True,
    )
    partner_country = fields.Field(
        column_name=gettext_lazy("Partner country"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_partner_country",
        readonly=True,
    )
    collaboration = fields.Field(
        attribute="collaboration",
        column_name=gettext_lazy("Collaboration"),
        widget=CollaborationRefWidget(),
    )
    visit = fields.Field(
        attribute="visit",
        column_name=gettext_lazy("Visit direction"),
        widget=VisitRefWidget(),
    )
    visit_start = fields.Field(
        attribute="visit__start_date",
        column_name=gettext_lazy("Visit start date"),
        widget=IsoDateWidget(),
        readonly=True,
    )
    visit_title = fields.Field(
        attribute="visit__title",
        column_name=gettext_lazy("Visit title"),
        widget=TextWidget(),
        readonly=True,
    )
    visit_home_party = fields.Field(
        attribute="visit__home_party__name",
        column_name=gettext_lazy("Visit home party"),
        widget=TextWidget(),
        readonly=True,
    )
    location = city("location", gettext_lazy("Where"), gettext_lazy("Where (country)"))
    location_country = shown(
        "location__country", gettext_lazy("Where (country)"), CountryWidget()
    )
    description = text("description", gettext_lazy("Description"))
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    partner_lookup = lookup(
        gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )

    required_columns = (gettext_lazy("Title"), gettext_lazy("Kind"))

    class Meta(PartnershipResource.Meta):
        model = Activity
        fields = (
            "title",
            "kind",
            "start_date",
            "end_date",
            "date_note",
            "partner",
            "partner_country",
            "collaboration",
            "visit",
            "visit_start",
            "visit_title",
            "visit_home_party",
            "location",
            "location_country",
            "description",
            "published",
            "internal_notes",
            "partner_lookup",
        )
        export_order = fields[:17]
        import_order = fields[:17]

    def partner_of(self, activity):
        if activity.collaboration_id:
            return activity.collaboration.agreement.partner
        if activity.visit_id:
            return activity.visit.partner_city
        return None

    def dehydrate_partner(self, activity):
        partner = self.partner_of(activity)
        return partner.name if partner else ""

    def dehydrate_partner_country(self, activity):
        partner = self.partner_of(activity)
        return country_name(partner.country.code) if partner else ""

    def preload(self, dataset):
        for column in (_("Partner city"), _("Where")):
            if column in dataset.headers:
                self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        title = self.cell("title", row)
        if not title:
            return None
        return (
            Activity.objects.filter(
                title__iexact=title,
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
