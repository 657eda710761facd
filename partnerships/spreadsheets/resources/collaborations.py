"""Collaborations as a spreadsheet, their participants one per line."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from ...models import (
    Collaboration,
    CollaborationParticipant,
    Institution,
)
from ...models.choices import (
    AgreementKind,
    CollaborationStatus,
    Side,
)
from ..children import NAME_TITLE_SEPARATOR, format_participant
from ..lookups import choice_lookup, split_lines
from ..widgets import (
    AgreementWidget,
    ChoiceWidget,
    CountryWidget,
    FocusAreasWidget,
    SectorWidget,
    TextWidget,
)
from .base import PartnershipResource, choice, date, lookup, shown, text, yes_no


class CollaborationResource(PartnershipResource):
    key_description = gettext_lazy("same agreement, sector and title")

    title = text("title", gettext_lazy("Title"))
    sector = fields.Field(
        attribute="sector", column_name=gettext_lazy("Sector"), widget=SectorWidget()
    )
    agreement = fields.Field(
        attribute="agreement",
        column_name=gettext_lazy("Home party"),
        widget=AgreementWidget(),
    )
    home_party_country = shown(
        "agreement__home_party__country",
        gettext_lazy("Home party country"),
        CountryWidget(),
    )
    partner = shown("agreement__partner__name", gettext_lazy("Partner city"))
    partner_country = shown(
        "agreement__partner__country", gettext_lazy("Partner country"), CountryWidget()
    )
    agreement_kind = shown(
        "agreement__kind", gettext_lazy("Agreement kind"), ChoiceWidget(AgreementKind)
    )
    status = choice("status", gettext_lazy("Status"), CollaborationStatus)
    started_on = date("started_on", gettext_lazy("Started on"))
    ended_on = date("ended_on", gettext_lazy("Ended on"))
    summary = text("summary", gettext_lazy("Summary"))
    focus_areas = fields.Field(
        attribute="focus_areas",
        column_name=gettext_lazy("Focus areas"),
        widget=FocusAreasWidget(),
    )
    participants = fields.Field(
        column_name=gettext_lazy("Participants"),
        widget=TextWidget(),
        dehydrate_method="dehydrate_participants",
    )
    published = yes_no("published", gettext_lazy("Published"))
    internal_notes = text("internal_notes", gettext_lazy("Internal notes"))

    # Not columns of their own: how the agreement widget reads the two cities.
    home_party_lookup = lookup(
        gettext_lazy("Home party"), gettext_lazy("Home party country")
    )
    partner_lookup = lookup(
        gettext_lazy("Partner city"), gettext_lazy("Partner country")
    )

    required_columns = (
        gettext_lazy("Title"),
        gettext_lazy("Sector"),
        gettext_lazy("Home party"),
        gettext_lazy("Partner city"),
    )

    related_attribute = "_participants"

    class Meta(PartnershipResource.Meta):
        model = Collaboration
        fields = (
            "title",
            "sector",
            "agreement",
            "home_party_country",
            "partner",
            "partner_country",
            "agreement_kind",
            "status",
            "started_on",
            "ended_on",
            "summary",
            "focus_areas",
            "participants",
            "published",
            "internal_notes",
            "home_party_lookup",
            "partner_lookup",
        )
        export_order = fields[:15]
        import_order = fields[:15]

    def dehydrate_participants(self, collaboration):
        return "\n".join(
            format_participant(p) for p in collaboration.participants.all()
        )

    def preload(self, dataset):
        for column in (_("Home party"), _("Partner city")):
            if column in dataset.headers:
                self.lookups.preload_cities(dataset[column])

    def find_existing(self, row):
        agreement = self.cell("agreement", row)
        sector = self.cell("sector", row)
        title = self.cell("title", row)
        if not agreement or not sector or not title:
            return None
        return (
            Collaboration.objects.filter(
                agreement=agreement, sector=sector, title__iexact=title
            )
            .order_by("pk")
            .first()
        )

    def import_related(self, instance, row, **kwargs):
        column = str(self.fields["participants"].column_name)
        instance._participants = None
        if column not in row:
            return
        agreement = instance.agreement if instance.agreement_id else None
        sides = choice_lookup(Side)
        wanted, errors = [], []
        for number, line in enumerate(split_lines(row[column]), start=1):
            side = None
            body = line
            if ":" in line:
                prefix, rest = line.split(":", 1)
                side = sides.get(prefix.strip().casefold())
                body = rest.strip() if side else line
            if side is None:
                errors.append(
                    _(
                        "Line %(n)s: start with the side, e.g. “%(home)s: …” or "
                        "“%(partner)s: …”."
                    )
                    % {
                        "n": number,
                        "home": Side.HOME.label,
                        "partner": Side.PARTNER.label,
                    }
                )
                continue
            role = ""
            if NAME_TITLE_SEPARATOR in body:
                body, role = (
                    part.strip() for part in body.split(NAME_TITLE_SEPARATOR, 1)
                )
            institution = None
            if agreement is not None:
                place = agreement.home_party if side == Side.HOME else agreement.partner
                institution = find_institution(body, place)
            wanted.append(
                (
                    side,
                    institution.pk if institution else None,
                    "" if institution else body,
                    role,
                )
            )
        if errors:
            raise ValidationError({"participants": errors})
        instance._participants = wanted

    def stored_related(self, instance):
        if not instance.pk:
            return []
        return [
            (p.side, p.institution_id, p.description, p.role)
            for p in instance.participants.all()
        ]

    def save_related(self, instance):
        wanted = self.wanted_related(instance)
        if wanted is None or wanted == self.stored_related(instance):
            return
        for participant in instance.participants.all():
            self.history_user(participant).delete()
        for side, institution_id, description, role in wanted:
            participant = CollaborationParticipant(
                collaboration=instance,
                side=side,
                institution_id=institution_id,
                description=description,
                role=role,
            )
            participant.full_clean()
            self.history_user(participant).save()

    def optimise(self, queryset):
        return queryset.select_related(
            "sector", "agreement__home_party", "agreement__partner"
        ).prefetch_related("focus_areas", "participants__institution")


def find_institution(name, place):
    """An institution in ``place`` by its name or an alternate name."""
    return (
        Institution.objects.filter(city=place)
        .filter(Q(name__iexact=name) | Q(aliases__name__iexact=name))
        .order_by("pk")
        .first()
    )
