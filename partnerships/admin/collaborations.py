"""Collaborations in the admin, with their participants."""

from django.contrib import admin
from django.db.models import Prefetch
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from ..models import (
    City,
    Collaboration,
    CollaborationParticipant,
    FocusArea,
    Institution,
)
from ..spreadsheets.resources import CollaborationResource
from .base import PublishableAdmin
from .confirmations import ConfirmationPanelMixin
from .filters import CollaborationPartnerCityListFilter, StartedYearFilter
from .forms import CollaborationAdminForm
from .inlines import LabelledInlineMixin
from .spreadsheets import SpreadsheetAdminMixin
from .widgets import SafeAutocompleteAdminMixin


class ParticipantInline(
    LabelledInlineMixin, SafeAutocompleteAdminMixin, TranslationTabularInline
):
    model = CollaborationParticipant
    extra = 1
    fields = ("side", "institution", "description", "role")
    add_another = _("Add another participant")
    autocomplete_fields = ("institution",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution__city")


@admin.register(Collaboration)
class CollaborationAdmin(
    ConfirmationPanelMixin,
    SpreadsheetAdminMixin,
    PublishableAdmin,
):
    form = CollaborationAdminForm
    resource_classes = [CollaborationResource]
    list_display = (
        "title",
        "partner",
        "sector",
        "status",
        "period",
        "participant_names",
        "published",
    )
    list_filter = (
        "sector",
        "status",
        "published",
        CollaborationPartnerCityListFilter,
        StartedYearFilter,
    )
    list_select_related = ("agreement__partner", "agreement__home_party", "sector")
    search_fields = (
        "title",
        "summary",
        *City.names_of("agreement__partner"),
        *Institution.names_of("participants__institution"),
        "participants__institution__name_keys",
        "participants__description",
        *FocusArea.names_of("focus_areas"),
    )
    date_hierarchy = "started_on"
    autocomplete_fields = ("agreement", "focus_areas", "sources")
    inlines = (ParticipantInline,)
    fieldsets = (
        (None, {"fields": ("agreement", ("sector", "status"), "title", "summary")}),
        (_("Scope"), {"fields": ("focus_areas", ("started_on", "ended_on"))}),
        (_("Publication"), {"fields": ("published", "internal_notes", "sources")}),
    )

    @admin.display(description=_("period"), ordering="started_on")
    def period(self, obj):
        return obj.period_text() or "—"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "participants",
                    queryset=CollaborationParticipant.objects.select_related(
                        "institution"
                    ),
                )
            )
        )

    @admin.display(
        description=_("partner city"), ordering="agreement__partner__name_en"
    )
    def partner(self, obj):
        return obj.agreement.partner.name

    @admin.display(description=_("participants"))
    def participant_names(self, obj):
        return Truncator("; ".join(str(p) for p in obj.participants.all())).chars(90)
