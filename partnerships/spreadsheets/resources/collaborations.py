"""Collaborations as a spreadsheet, their participants one per line."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...models import Collaboration
from ..children import PARTICIPANTS
from ..fields import ChildrenField, LookupField
from .columns import per_language
from .dated import EachDateAsKnownResource, exact_day


class CollaborationResource(EachDateAsKnownResource):
    key_description = gettext_lazy("same agreement, sector and title")
    columns = {
        "sector": gettext_lazy("Sector"),
        # The agreement is read from its two cities (and kind): see the look-ups.
        "agreement": gettext_lazy("Home party"),
        "agreement__home_party__country": gettext_lazy("Home party country"),
        "agreement__partner__name": gettext_lazy("Partner city"),
        "agreement__partner__country": gettext_lazy("Partner country"),
        "agreement__kind": gettext_lazy("Agreement kind"),
        "started_on": gettext_lazy("Started on"),
        "focus_areas": gettext_lazy("Focus areas"),
    }
    required_columns = (
        gettext_lazy("Title"),
        gettext_lazy("Sector"),
        gettext_lazy("Home party"),
        gettext_lazy("Partner city"),
    )

    dates_as_known = {"started_on": "started_precision", "ended_on": "ended_precision"}
    started_day = exact_day(
        "started_on", "started_precision", gettext_lazy("Started on (exact day)")
    )
    ended_day = exact_day(
        "ended_on", "ended_precision", gettext_lazy("Ended on (exact day)")
    )
    participants = ChildrenField(PARTICIPANTS, gettext_lazy("Participants"))
    # Not columns of their own: how the agreement widget reads the two cities.
    home_party_lookup = LookupField(
        gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    partner_lookup = LookupField(
        gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )

    class Meta(EachDateAsKnownResource.Meta):
        model = Collaboration
        fields = (
            *per_language("title"),
            "sector",
            "agreement",
            "agreement__home_party__country",
            "agreement__partner__name",
            "agreement__partner__country",
            "agreement__kind",
            "status",
            "started_on",
            "ended_on",
            "started_day",
            "ended_day",
            *per_language("summary"),
            "focus_areas",
            "participants",
            "published",
            "internal_notes",
            "home_party_lookup",
            "partner_lookup",
        )
        # The look-up columns last: read on import, never written.
        export_order = fields[:-2]
        import_order = fields[:-2]

    def preload(self, dataset):
        for column in (_("Home party"), _("Partner city")):
            if column in dataset.headers:
                self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        agreement = self.cell("agreement", row)
        sector = self.cell("sector", row)
        title = self.cell("title_en", row)
        if not agreement or not sector or not title:
            return None
        return (
            Collaboration.objects.filter(
                agreement=agreement, sector=sector, title_en__iexact=title
            )
            .order_by("pk")
            .first()
        )

    def optimise(self, queryset):
        return queryset.select_related(
            "sector", "agreement__home_party", "agreement__partner"
        ).prefetch_related("focus_areas", "participants__institution")
