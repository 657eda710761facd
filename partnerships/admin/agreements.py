"""Agreements in the admin, with their status history and signatories."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from .. import services
from ..models import (
    Agreement,
    AgreementStatusChange,
    City,
    Signatory,
    Visit,
)
from ..models.partial_dates import format_date
from ..spreadsheets.resources import AgreementResource
from .base import PublishableAdmin, link_list
from .filters import AgreementPartnerCityListFilter, SignedYearFilter
from .inlines import LabelledInlineMixin
from .spreadsheets import SpreadsheetAdminMixin
from .widgets import SafeAutocompleteAdminMixin


class StatusChangeInline(LabelledInlineMixin, admin.TabularInline):
    model = AgreementStatusChange
    extra = 0
    fields = ("status", "changed_on", "note")
    add_another = _("Add another status change")


class SignatoryInline(
    LabelledInlineMixin, SafeAutocompleteAdminMixin, TranslationTabularInline
):
    model = Signatory
    extra = 0
    fields = ("side", "person", "title_at_time")
    add_another = _("Add another signatory")
    autocomplete_fields = ("person",)


@admin.register(Agreement)
class AgreementAdmin(SpreadsheetAdminMixin, PublishableAdmin):
    resource_classes = [AgreementResource]
    list_display = (
        "partner",
        "home_party",
        "kind",
        "status",
        "signed_on",
        "years",
        "last_contact_display",
        "quiet",
        "renewal_due_on",
        "published",
    )
    list_display_links = ("partner",)
    list_filter = (
        "kind",
        "status",
        "published",
        AgreementPartnerCityListFilter,
        SignedYearFilter,
    )
    list_select_related = ("home_party", "partner")
    search_fields = (
        *City.names_of("partner"),
        *City.names_of("home_party"),
        "signed_place",
    )
    date_hierarchy = "signed_on"
    autocomplete_fields = ("home_party", "partner", "sources")
    inlines = (StatusChangeInline, SignatoryInline)
    readonly_fields = ("derived_facts", "visits_list", "collaborations_list")
    fieldsets = (
        (None, {"fields": (("home_party", "partner"), ("kind", "status"))}),
        (
            _("Signing"),
            {
                "fields": (
                    ("signed_on", "signed_place"),
                    ("term_years", "renewal_due_on"),
                    "document",
                    "origin",
                )
            },
        ),
        (_("Ending"), {"fields": (("ended_on", "end_reason"),)}),
        (
            _("What follows from the records"),
            {"fields": ("derived_facts", "visits_list", "collaborations_list")},
        ),
        (_("Publication"), {"fields": ("published", "internal_notes", "sources")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).with_last_contact()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "status" in form.changed_data or not change:
            services.record_status_change(form.instance, new=not change)

    def after_revert(self, request, obj):
        # The revert form compares with the old version, not with what is stored,
        # so the status is always checked; an unchanged one adds no step.
        services.record_status_change(obj)
        super().after_revert(request, obj)

    @admin.display(description=_("years"))
    def years(self, obj):
        return obj.years_since_signing()

    @admin.display(description=_("last contact"), ordering="last_contact")
    def last_contact_display(self, obj):
        return obj.last_contact_text() or "—"

    @admin.display(description=_("gone quiet"), boolean=True)
    def quiet(self, obj):
        return obj.has_gone_quiet()

    @admin.display(description=_("derived facts"))
    def derived_facts(self, obj):
        if obj.pk is None:
            return "—"
        unknown = gettext("unknown (no signing date)")
        years = obj.years_since_signing()
        anniversary = obj.next_round_anniversary()
        last_contact = obj.get_last_contact()
        rows = [
            (gettext("Years since signing"), unknown if years is None else years),
            (
                gettext("Next round anniversary"),
                unknown
                if anniversary is None
                else gettext("%(years)d years on %(date)s")
                % {"years": anniversary[1], "date": format_date(anniversary[0])},
            ),
            (
                gettext("Last contact"),
                obj.last_contact_text()
                if last_contact
                else gettext("no completed, dated visit"),
            ),
            (
                gettext("Gone quiet"),
                gettext("yes: no visit in %(years)d years")
                % {"years": services.quiet_after_years()}
                if obj.has_gone_quiet()
                else gettext("no"),
            ),
        ]
        return format_html(
            '<table class="fa-facts">{}</table>',
            format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("visits"))
    def visits_list(self, obj):
        if obj.pk is None:
            return "—"
        visits = Visit.objects.filter(
            partner_city_id=obj.partner_id, home_party_id=obj.home_party_id
        ).select_related("partner_city", "home_party")
        return link_list(list(visits), gettext("No visits recorded."))

    @admin.display(description=_("collaborations"))
    def collaborations_list(self, obj):
        if obj.pk is None:
            return "—"
        return link_list(
            list(obj.collaborations.all()), gettext("No collaborations recorded.")
        )
