"""Agreements as a spreadsheet, their signatories one per line."""

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy

from ...models import Agreement, Signatory
from ...models.choices import AgreementKind
from ..children import SIGNATORIES
from ..fields import ChildrenField
from .base import PartnershipResource
from .columns import per_language


class AgreementResource(PartnershipResource):
    key_description = gettext_lazy("same two cities and kind")
    columns = {
        "signed_on": gettext_lazy("Signed on"),
        "signed_place": gettext_lazy("Signed at"),
        "term_years": gettext_lazy("Term (years)"),
        "renewal_due_on": gettext_lazy("Renewal due"),
        "end_reason": gettext_lazy("Reason it ended"),
        "origin": gettext_lazy("How it began"),
    }
    required_columns = (gettext_lazy("Home party"), gettext_lazy("Partner city"))

    signatories = ChildrenField(SIGNATORIES, gettext_lazy("Signatories"))

    class Meta(PartnershipResource.Meta):
        model = Agreement
        fields = (
            "home_party",
            "home_party__country",
            "partner",
            "partner__country",
            "kind",
            "status",
            "signed_on",
            *per_language("signed_place"),
            "term_years",
            "renewal_due_on",
            "ended_on",
            *per_language("end_reason", "origin"),
            "signatories",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields
        widgets = {
            "home_party": {"country_column": gettext_lazy("Home party country")},
            "partner": {"country_column": gettext_lazy("Partner country")},
        }

    def preload(self, dataset):
        for name in ("home_party", "partner"):
            column = str(self.fields[name].column_name)
            if column in dataset.headers:
                self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        home = self.cell("home_party", row)
        partner = self.cell("partner", row)
        kind = self.cell("kind", row) or AgreementKind.SISTER_CITY
        if not home or not partner:
            return None
        return (
            Agreement.objects.filter(kind=kind)
            .filter(
                Q(home_party=home, partner=partner)
                | Q(home_party=partner, partner=home)
            )
            .order_by("pk")
            .first()
        )

    def import_instance(self, instance, row, **kwargs):
        home, partner = instance.home_party_id, instance.partner_id
        super().import_instance(instance, row, **kwargs)
        if instance.pk and (instance.home_party_id, instance.partner_id) == (
            partner,
            home,
        ):
            # The same pair listed from the other side: keep the recorded sides.
            instance.home_party_id, instance.partner_id = home, partner

    def optimise(self, queryset):
        return queryset.select_related("home_party", "partner").prefetch_related(
            Prefetch("signatories", Signatory.objects.select_related("person"))
        )
