"""Visits in the admin, logged on one page with the delegation and activities."""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline, TranslationTabularInline

from .. import services
from ..models import (
    Activity,
    City,
    DelegationMember,
    Person,
    Visit,
)
from ..models.choices import DelegationRole, Direction
from ..spreadsheets.resources import VisitResource
from . import forms
from .base import DatesAsKnownListMixin, PublishableAdmin
from .confirmations import ConfirmationPanelMixin
from .filters import PartnerCityListFilter, YearFilter
from .inlines import LabelledInlineMixin
from .publishing import PublishableInlineMixin
from .spreadsheets import SpreadsheetAdminMixin
from .widgets import SafeAutocompleteAdminMixin


class DelegationMemberInline(
    LabelledInlineMixin, SafeAutocompleteAdminMixin, TranslationTabularInline
):
    model = DelegationMember
    formset = forms.DelegationMemberFormSet
    extra = 2
    fields = ("role", "person", "title_at_time", "position")
    autocomplete_fields = ("person",)
    verbose_name = _("delegation member")
    verbose_name_plural = _("Delegation members")
    add_another = _("Add another delegation member")

    def get_extra(self, request, obj=None, **kwargs):
        # Room for a head and a member on a new visit, one more row afterwards.
        return 1 if obj is not None else 2

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__city")


class VisitActivityInline(
    SafeAutocompleteAdminMixin, PublishableInlineMixin, TranslationStackedInline
):
    model = Activity
    fk_name = "visit"
    form = forms.VisitActivityForm
    extra = 0
    fields = (
        ("kind", "title"),
        ("start_date", "end_date", "date_note"),
        "description",
        ("collaboration", "location"),
        "published",
    )
    autocomplete_fields = ("collaboration", "location")
    verbose_name_plural = _("Activities during the visit")
    add_another = _("Add another activity")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("collaboration", "location")


@admin.register(Visit)
class VisitAdmin(
    ConfirmationPanelMixin,
    DatesAsKnownListMixin,
    SpreadsheetAdminMixin,
    PublishableAdmin,
):
    resource_classes = [VisitResource]
    form = forms.VisitAdminForm
    list_display = (
        "when",
        "direction_arrow",
        "partner",
        "head",
        "sector_names",
        "status",
        "published",
    )
    list_display_links = ("when",)
    list_filter = (
        "direction",
        "status",
        PartnerCityListFilter,
        "sectors",
        YearFilter,
        "head_level",
        "published",
    )
    list_select_related = ("partner_city", "home_party")
    search_fields = (
        "title",
        *City.names_of("partner_city"),
        *City.names_of("home_party"),
        *Person.names_of("members__person"),
        "members__person__name_keys",
        "members__title_at_time",
        "purpose",
    )
    date_hierarchy = "start_date"
    autocomplete_fields = ("partner_city", "home_party", "sources")
    inlines = (DelegationMemberInline, VisitActivityInline)
    actions = ["publish_selected", "unpublish_selected", "mark_completed"]
    fieldsets = (
        (
            None,
            {"fields": (("direction", "status"), ("partner_city", "home_party"))},
        ),
        (
            _("Dates"),
            {
                "fields": (("start_date", "end_date"), "date_note"),
                "description": _(
                    "Leave the dates empty when the source gives none; never guess."
                ),
            },
        ),
        (
            _("What it was for"),
            {"fields": ("title", "purpose", "programme", "outcomes", "sectors")},
        ),
        (
            _("Publication"),
            {"fields": ("published", "public_summary", "internal_notes", "sources")},
        ),
        (
            _("Delegation"),
            {
                "fields": ("head_level", "head_unrecorded"),
                "description": _(
                    "List the head of delegation and the members below, each with "
                    "the title they held at the time. A member may be known only by "
                    "title."
                ),
            },
        ),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "members",
                    queryset=DelegationMember.objects.filter(
                        role=DelegationRole.HEAD
                    ).select_related("person"),
                    to_attr="heads",
                ),
                "sectors",
            )
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        home = City.objects.home_municipality().first()
        if home is not None:
            initial.setdefault("home_party", home.pk)
        return initial

    def after_revert(self, request, obj):
        problem = services.delegation_problem(obj)
        if problem:
            raise services.RestoreRefused(problem)
        super().after_revert(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is Activity:
            for activity in formset.save(commit=False):
                services.keep_published(activity, request.user)
                activity.save()
            for activity in formset.deleted_objects:
                activity.delete()
            formset.save_m2m()
        else:
            super().save_formset(request, form, formset, change)

    @admin.display(description=_("direction"), ordering="direction")
    def direction_arrow(self, obj):
        if obj.direction == Direction.INBOUND:
            return gettext("← in")
        return gettext("→ out")

    @admin.display(description=_("partner city"), ordering="partner_city__name_en")
    def partner(self, obj):
        return obj.partner_city.name

    @admin.display(description=_("head of delegation"))
    def head(self, obj):
        heads = getattr(obj, "heads", None)
        if heads is None:
            heads = list(obj.members.filter(role=DelegationRole.HEAD))
        if heads:
            return str(heads[0])
        if obj.head_unrecorded:
            return gettext("not recorded")
        return "—"

    @admin.display(description=_("sectors"))
    def sector_names(self, obj):
        return ", ".join(str(sector) for sector in obj.sectors.all())

    @admin.action(
        permissions=["change"], description=_("Mark selected visits as completed")
    )
    def mark_completed(self, request, queryset):
        completed, refused, drafted = services.mark_visits_completed(
            queryset, timezone.localdate(), user=request.user
        )
        if drafted:
            self.message_user(
                request,
                ngettext(
                    "%(count)d published visit will show as completed once a "
                    "Publisher approves it: the change waits for review.",
                    "%(count)d published visits will show as completed once a "
                    "Publisher approves them: the changes wait for review.",
                    len(drafted),
                )
                % {"count": len(drafted)},
                messages.WARNING,
            )
        if completed:
            self.message_user(
                request,
                ngettext(
                    "Marked %(count)d visit as completed.",
                    "Marked %(count)d visits as completed.",
                    len(completed),
                )
                % {"count": len(completed)},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                gettext(
                    "Not marked as completed, because they start in the future or "
                    "were cancelled: %(visits)s."
                )
                % {"visits": "; ".join(str(visit) for visit in refused)},
                messages.WARNING,
            )
