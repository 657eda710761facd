"""Widgets of related records, read by their natural keys and written by name.

A city by its name (and country, and region), sectors and focus areas by name,
the agreement, collaboration or visit a row belongs to by what identifies it in
the row's other columns.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from import_export import widgets

from ..models import (
    Agreement,
    Collaboration,
    FocusArea,
    Sector,
    Visit,
    localized_fields,
)
from ..models.choices import AgreementKind, Direction
from .exports import Unsupported
from .lookups import country_code, split_list
from .widgets import LIST_SEPARATOR, ChoiceWidget, Widget


class CityWidget(Widget):
    """A city by name, with its country (and region) from other columns if given."""

    def __init__(self, country_column=None, region_column=None, **kwargs):
        super().__init__(**kwargs)
        self.country_column = country_column
        self.region_column = region_column

    def clean(self, value, row=None, **kwargs):
        name = force_str(value if value is not None else "").strip()
        if not name:
            return None
        row = row or {}
        country = ""
        if self.country_column and row.get(self.country_column) not in (None, ""):
            try:
                country = country_code(row[self.country_column])
            except ValueError as error:
                raise ValueError(f"{self.country_column}: {error}") from None
        region = None
        if self.region_column and self.region_column in row:
            region = force_str(row.get(self.region_column) or "").strip()
        return self.lookups().city(name, country, region)

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""

    def export_column(self, plan, path):
        return self.record_column(plan, path, "name")


class RecordsWidget(widgets.ManyToManyWidget, Widget):
    """Many records by name, separated by semicolons."""

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return LIST_SEPARATOR.join(record.name for record in value.all())

    def render_records(self, records):
        """The cell of records not linked yet, in the order their model keeps."""
        ordering = records[0]._meta.ordering if records else ()
        records = sorted(
            records, key=lambda r: [getattr(r, field.lstrip("-")) for field in ordering]
        )
        return LIST_SEPARATOR.join(record.name for record in records)

    def export_column(self, plan, path):
        try:
            field = plan.model._meta.get_field(path)
        except FieldDoesNotExist:
            raise Unsupported(path) from None
        if not field.many_to_many or field.model is not plan.model:
            raise Unsupported(path)
        return plan.related(
            field.related_model,
            field.related_query_name(),
            ("name",),
            str,
            LIST_SEPARATOR,
        )


class SectorsWidget(RecordsWidget):
    """Sectors by name (any language) or code, separated by semicolons."""

    def __init__(self, **kwargs):
        super().__init__(Sector, separator=";", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = split_list(value)
        if not names:
            return Sector.objects.none()
        table = self.lookups().sectors()
        found = []
        for name in names:
            sector = table.get(name.casefold())
            if sector is None:
                raise ValueError(
                    _("Unknown sector “%(name)s”. Known sectors: %(known)s.")
                    % {
                        "name": name,
                        "known": ", ".join(sorted({s.name for s in table.values()})),
                    }
                )
            if sector not in found:
                found.append(sector)
        return found


class FocusAreasWidget(RecordsWidget):
    """Focus areas by English name; new names become new focus areas."""

    def __init__(self, **kwargs):
        super().__init__(FocusArea, separator=";", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        found = []
        for name in split_list(value):
            area = FocusArea.objects.filter(name__iexact=name).first()
            if area is None:
                area = FocusArea(name=name)
                area.full_clean()
                area.save()
            if area not in found:
                found.append(area)
        return found


class SectorWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        sectors = SectorsWidget()
        # The resource's look-ups: the sectors read once per file, not per cell.
        sectors.resource = self.resource
        found = sectors.clean(value)
        if not found:
            return None
        if len(found) > 1:
            raise ValueError(_("Give one sector."))
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""

    def export_column(self, plan, path):
        return self.record_column(plan, path, "name")


class AgreementWidget(Widget):
    """The agreement a row belongs to, from its home party, partner and kind."""

    def clean(self, value, row=None, **kwargs):
        resource = self.resource
        home = resource.cell("home_party_lookup", row)
        partner = resource.cell("partner_lookup", row)
        if home is None or partner is None:
            raise ValueError(_("Give the home party and the partner city."))
        kind_column = str(resource.fields["agreement__kind"].column_name)
        kind = ChoiceWidget(AgreementKind).clean(row.get(kind_column))
        found = Agreement.objects.filter(
            Q(home_party=home, partner=partner) | Q(home_party=partner, partner=home)
        )
        if kind:
            found = found.filter(kind=kind)
        found = list(found.order_by("pk")[:2])
        if not found:
            raise ValueError(
                _("No agreement between %(home)s and %(partner)s is recorded.")
                % {"home": home.name, "partner": partner.name}
            )
        if len(found) > 1:
            raise ValueError(
                _(
                    "%(home)s and %(partner)s have several agreements; give the "
                    "agreement kind."
                )
                % {"home": home.name, "partner": partner.name}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.home_party.name if value else ""

    def export_column(self, plan, path):
        return self.record_column(plan, f"{path}__home_party", "name")


class CollaborationRefWidget(Widget):
    def clean(self, value, row=None, **kwargs):
        title = force_str(value if value is not None else "").strip()
        if not title:
            return None
        partner = self.resource.cell("partner_lookup", row)
        # By its title in any language: a file written in another language than
        # the importer's, or a title shown in English for want of a translation.
        in_any_language = Q()
        for column in localized_fields("title"):
            in_any_language |= Q(**{f"{column}__iexact": title})
        found = Collaboration.objects.filter(in_any_language)
        if partner is not None:
            found = found.filter(
                Q(agreement__partner=partner) | Q(agreement__home_party=partner)
            )
        found = list(found.order_by("pk")[:2])
        if not found:
            raise ValueError(
                _("No collaboration titled “%(title)s” is recorded.") % {"title": title}
            )
        if len(found) > 1:
            raise ValueError(
                _(
                    "Several collaborations are titled “%(title)s”; give the "
                    "partner city."
                )
                % {"title": title}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""

    def export_column(self, plan, path):
        return self.record_column(plan, path, "title")


class VisitRefWidget(Widget):
    """The visit a row belongs to: its direction here, the rest in other columns."""

    directions = ChoiceWidget(Direction)

    def clean(self, value, row=None, **kwargs):
        direction = self.directions.clean(value)
        if not direction:
            return None
        resource = self.resource
        partner = resource.cell("partner_lookup", row)
        if partner is None:
            raise ValueError(_("Give the partner city of the visit."))
        found = Visit.objects.filter(
            partner_city=partner,
            direction=direction,
            start_date=resource.cell("visit_start", row),
            title=resource.cell("visit__title", row) or "",
        )
        home_party = resource.cell("visit__home_party__name", row)
        if home_party:
            found = found.filter(home_party__name__iexact=home_party)
        found = list(found.order_by("pk")[:2])
        if not found:
            raise ValueError(_("No such visit is recorded (check the visit columns)."))
        if len(found) > 1:
            # Taking one of them would attach the activity to a visit at random.
            home_column = str(resource.fields["visit__home_party__name"].column_name)
            if home_party:
                raise ValueError(
                    _(
                        "Several visits match the visit columns, with the same home "
                        "party; give those visits different titles first."
                    )
                )
            raise ValueError(
                _(
                    "Several visits match the visit columns; give the visit's home "
                    "party in the column “%(column)s”."
                )
                % {"column": home_column}
            )
        return found[0]

    def render(self, value, obj=None, **kwargs):
        return self.directions.render(value.direction) if value else ""

    def export_column(self, plan, path):
        return self.directions.remembered_column(plan, path + "__direction")
