"""Agreements as a spreadsheet, their signatories one per line."""

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from ...models import (
    Agreement,
    Signatory,
)
from ...models.choices import (
    AgreementKind,
    AgreementStatus,
    Side,
)
from ..children import format_signatory, parse_member
from ..lookups import choice_lookup, split_lines
from ..widgets import CountryWidget, IntegerWidget, TextWidget
from .base import PartnershipResource, choice, city, date, shown, text, yes_no


class AgreementResource(PartnershipResource):
    key_description = gettext_lazy("same two cities and kind")

    home_party = city(
        "home_party", gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    home_party_country = shown(
        "home_party__country", gettext_lazy("Home party country"), CountryWidget()
    )
    partner = city(
        "partner", gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )
    partner_country = shown(
        "partner__country", gettext_lazy("Partner country"), CountryWidget()
    )
    kind = choice("kind", gettext_lazy("Kind"), AgreementKind)
    status = choice("status", gettext_lazy("Status"), AgreementStatus)
    signed_on = date("signed_on", gettext_lazy("Signed on"))
    signed_place = text("signed_place", gettext_lazy("Signed at"))
    term_years = fields.Field(
        attribute="term_years",
        column_name=gettext_lazy("Term (years)"),
        widget=IntegerWidget(),
    )
    renewal_due_on = date("renewal_due_on", gettext_lazy("Renewal due"))
    ended_on = date("ended_on", gettext_lazy("Ended on"))
    end_reason = text("end_reason", gettext_lazy("Reason it ended"))
    origin = text("origin", gettext_lazy("How it began"))
    signatories = fields.Field(
        column_name=gettext_lazy("Signatories"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_signatories",
    )
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    required_columns = (gettext_lazy("Home party"), gettext_lazy("Partner city"))

    related_attribute = "_signatories"

    class Meta(PartnershipResource.Meta):
        model = Agreement
        fields = (
            "home_party",
            "home_party_country",
            "partner",
            "partner_country",
            "kind",
            "status",
            "signed_on",
            "signed_place",
            "term_years",
            "renewal_due_on",
            "ended_on",
            "end_reason",
            "origin",
            "signatories",
            "published",
            "internal_notes",
        )
        export_order = fields
        import_order = fields

    def dehydrate_signatories(self, agreement):
        return "\n".join(
            format_signatory(signatory) for signatory in agreement.signatories.all()
        )

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["signatories"].column_name)
        instance._signatories = None
        if column not in row:
            return
        sides = choice_lookup(Side)
        wanted, errors = [], []
        for number, line in enumerate(split_lines(row[column]), start=1):
            prefix, _colon, rest = line.partition(":")
            side = sides.get(prefix.strip().casefold())
            if side is None:
                errors.append(
                    _("Line %(n)s: start with the side, e.g. “%(home)s: …”.")
                    % {"n": number, "home": Side.HOME.label}
                )
                continue
            _role, name, title = parse_member(rest.strip())
            if not name and not title:
                errors.append(
                    _("Line %(n)s names neither a person nor a title.") % {"n": number}
                )
            wanted.append((side, name, title))
        if errors:
            raise ValidationError({"signatories": errors})
        instance._signatories = wanted

    def stored_related(self, instance):
        if not instance.pk:
            return []
        return [
            (s.side, s.person.name if s.person_id else "", s.title_at_time)
            for s in instance.signatories.select_related("person")
        ]

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        if wanted is None or wanted == self.stored_related(instance):
            return
        for signatory in instance.signatories.all():
            self.history_user(signatory).delete()
        for side, name, title in wanted:
            place = instance.home_party if side == Side.HOME else instance.partner
            person = self.person_for(name, place) if name else None
            self.history_user(
                Signatory(
                    agreement=instance, side=side, person=person, title_at_time=title
                )
            ).save()

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
