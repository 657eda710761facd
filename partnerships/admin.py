"""The clerks' admin: one customized ModelAdmin per record."""

import html
import re
from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin import AdminSite
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.forms import Textarea
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country
from simple_history.admin import SimpleHistoryAdmin

from . import dashboard, forms, services
from .admin_spreadsheets import SpreadsheetAdminMixin
from .changelists import (
    EstimatedCountPaginator,
    IndexedSearchMixin,
    RecordChangeList,
    cached_year_range,
)
from .choices import DelegationRole, Direction
from .models import (
    Activity,
    Agreement,
    AgreementStatusChange,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    FocusArea,
    Institution,
    InstitutionAlias,
    Person,
    Sector,
    SentReminder,
    Signatory,
    Source,
    Visit,
)
from .widgets import SafeAutocompleteAdminMixin

admin.site.site_header = _("Partnerships records")
admin.site.site_title = _("Partnerships records")
admin.site.index_title = _("Foreign affairs office")
admin.site.index_template = "admin/partnerships_index.html"


def dashboard_index(request, extra_context=None):
    """The admin index with the office's dashboard above the list of records."""
    context = {"dashboard": dashboard.for_user(request.user), **(extra_context or {})}
    return AdminSite.index(admin.site, request, context)


class LabelledAutocompleteView(AutocompleteJsonView):
    """Autocomplete that tells namesakes apart: a person shows title and city."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Person):
            details = [part for part in (obj.current_title, obj.city) if part]
            if details:
                result["text"] = f"{obj.name} ({', '.join(map(str, details))})"
        return result


def labelled_autocomplete(request):
    return LabelledAutocompleteView.as_view(admin_site=admin.site)(request)


def partnerships_first(request, app_label=None):
    """The apps in the index and sidebar, the office's records before the rest."""
    apps = AdminSite.get_app_list(admin.site, request, app_label)
    return sorted(apps, key=lambda app: app["app_label"] != "partnerships")


# The default site is kept (other apps register on it); only its index, its app
# order and its autocomplete answers change.
admin.site.index = dashboard_index
admin.site.get_app_list = partnerships_first
admin.site.autocomplete_view = labelled_autocomplete

CITY_SEARCH = ("name", "name_local", "name_zh", "name_ru")


def names_of(prefix):
    """Search fields for every name of the city reached through ``prefix``."""
    return tuple(f"{prefix}__{field}" for field in CITY_SEARCH)


def admin_link(obj, text=None):
    opts = obj._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, text or str(obj))


def link_list(objects, empty):
    """An HTML list of admin links, or ``empty`` when there are none."""
    if not objects:
        return empty
    return format_html(
        '<ul class="fa-related">{}</ul>',
        format_html_join("", "<li>{}</li>", ((admin_link(obj),) for obj in objects)),
    )


def agreement_count(side):
    """A subquery counting the agreements where the city is on ``side``.

    A subquery rather than ``Count`` over joins: no GROUP BY, so the list keeps
    its ordering and stays fast with thousands of cities.
    """
    counts = (
        Agreement.objects.filter(**{side: OuterRef("pk")})
        .order_by()
        .values(side)
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts), 0)


# List filters


def year_value(value):
    """The year a filter asks for, or ``None`` unless it is 1 to 9999 in digits."""
    if value and re.fullmatch(r"[0-9]{1,4}", value) and int(value) >= 1:
        return int(value)
    return None


def id_value(value):
    """The record id a filter asks for, or ``None`` unless it is a 64-bit id."""
    if value and re.fullmatch(r"[0-9]{1,18}", value):
        return int(value)
    return None


class YearFilter(admin.SimpleListFilter):
    """Filter by the year of a date field (``date_field`` on the subclass)."""

    title = _("year")
    parameter_name = "year"
    date_field = "start_date"

    def lookups(self, request, model_admin):
        # Every year from the first to the last, read from the index; a year
        # without records lists nothing when chosen.
        years = cached_year_range(
            request, model_admin.get_queryset(request), self.date_field
        )
        if years is None:
            return []
        first, last = years
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        year = year_value(self.value())
        if year is not None:
            return queryset.filter(**{f"{self.date_field}__year": year})
        return queryset


class SignedYearFilter(YearFilter):
    title = _("year signed")
    date_field = "signed_on"


class StartedYearFilter(YearFilter):
    title = _("year started")
    date_field = "started_on"


class PartnerFilter(admin.SimpleListFilter):
    """Filter by partner city, listing the partners that have records here.

    With more partners than fit a sidebar the list is left out (search finds a
    city by any of its names); a link with ``?partner=`` still filters.
    """

    title = _("partner city")
    parameter_name = "partner"
    field = "partner_city"
    max_choices = 60

    def lookups(self, request, model_admin):
        pks = model_admin.get_queryset(request).order_by().values(self.field)
        partners = (
            City.objects.filter(pk__in=pks)
            .order_by("name")
            .values_list("pk", "name")[: self.max_choices + 1]
        )
        choices = [(str(pk), name) for pk, name in partners]
        if len(choices) <= self.max_choices:
            return choices
        # Too many to list: offer only the one chosen, so the filter still applies
        # and shows what the list is filtered by.
        pk = id_value(self.value())
        if pk is not None:
            return [
                (str(pk), name)
                for pk, name in City.objects.filter(pk=pk).values_list("pk", "name")
            ]
        return []

    def queryset(self, request, queryset):
        pk = id_value(self.value())
        if pk is not None:
            return queryset.filter(**{f"{self.field}_id": pk})
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Filter by country, listing only the countries that have cities."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = City.objects.order_by().values_list("country", flat=True).distinct()
        countries = [(code, Country(code).name) for code in codes if code]
        return sorted(countries, key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


class AgreementPartnerFilter(PartnerFilter):
    field = "partner"


class CollaborationPartnerFilter(PartnerFilter):
    field = "agreement__partner"


# Shared behaviour


# Fields the public never sees: changing them needs no Publisher.
PRIVATE_FIELDS = {"internal_notes"}


class PublishControlMixin:
    """Only a user with ``publish_<model>`` may change ``published``.

    For everyone else the field is read-only, and ``save_model`` puts the stored
    value back whatever the request said, so a crafted POST changes nothing.
    Their saved change to a published record's public content (its fields but
    the internal notes, or its inline rows) or a revert of it takes the record
    off the public site until a Publisher publishes it again.
    """

    def has_publish_permission(self, request, obj=None):
        return services.can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request) and "published" not in fields:
            fields.append("published")
        return fields

    def render_change_form(self, request, context, add=False, change=False, **kw):
        obj = context.get("original")
        if (
            request.method == "GET"
            and obj is not None
            and obj.published
            and self.has_change_permission(request, obj)
            and not self.has_publish_permission(request)
        ):
            messages.info(request, self.review_notice())
        return super().render_change_form(request, context, add, change, **kw)

    def save_model(self, request, obj, form, change):
        services.keep_published(obj, request.user)
        if not self.has_publish_permission(request) and services.is_awaiting_review(
            obj
        ):
            # A further change while it waits keeps it on the Publishers' list.
            obj._change_reason = services.AWAITING_REVIEW
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        if not change or not obj.published or self.has_publish_permission(request):
            return
        public = set(form.changed_data) - PRIVATE_FIELDS
        if public or any(formset.has_changed() for formset in formsets):
            self.hold_for_review(request, obj)

    def after_revert(self, request, obj):
        super().after_revert(request, obj)
        if obj.published and not self.has_publish_permission(request):
            self.hold_for_review(request, obj)

    def hold_for_review(self, request, obj):
        services.hold_for_review(obj)
        self.message_user(
            request,
            gettext(
                "Unpublished until a Publisher reviews it: “%(record)s” is off the "
                "public site, and listed on the dashboard for a Publisher to "
                "publish again."
            )
            % {"record": obj},
            messages.WARNING,
        )

    def review_notice(self):
        return gettext(
            "This record is on the public site. Only a Publisher decides what is "
            "public: if you save a change to what the public sees (anything but "
            "the internal notes), it comes off the site until a Publisher "
            "publishes it again."
        )

    @admin.action(
        permissions=["publish"],
        description=_("Publish selected %(verbose_name_plural)s"),
    )
    def publish_selected(self, request, queryset):
        count = services.set_published(queryset, True)
        self.message_user(
            request,
            ngettext(
                "Published %(count)d record.", "Published %(count)d records.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        hidden = services.still_hidden(queryset)
        if hidden:
            self.message_user(
                request,
                gettext(
                    "Still not on the public site, because a city, agreement, "
                    "collaboration or visit they belong to is unpublished: "
                    "%(records)s."
                )
                % {"records": "; ".join(str(obj) for obj in hidden[:10])},
                messages.WARNING,
            )

    @admin.action(
        permissions=["publish"],
        description=_("Unpublish selected %(verbose_name_plural)s"),
    )
    def unpublish_selected(self, request, queryset):
        count = services.set_published(queryset, False)
        self.message_user(
            request,
            ngettext(
                "Unpublished %(count)d record.",
                "Unpublished %(count)d records.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class SafeDeleteMixin:
    """Says plainly which records stand in the way when a deletion is refused."""

    def get_deleted_objects(self, objs, request):
        result = super().get_deleted_objects(objs, request)
        protected = result[3]
        if protected:
            messages.error(request, self.protected_message(protected))
        return result

    def protected_message(self, protected):
        """'Nothing was deleted: 3 records depend on it (2 visits, 1 agreement)…'."""
        # Each item reads "Verbose name: <a …>record</a>".
        items = [html.unescape(strip_tags(str(item))) for item in protected]
        kinds = Counter(item.split(": ", 1)[0] for item in items)
        named = [item.split(": ", 1)[-1] for item in items[:5]]
        if len(items) > len(named):
            named.append(
                gettext("and %(count)d more, listed below")
                % {"count": len(items) - len(named)}
            )
        return ngettext(
            "Nothing was deleted: %(count)d record depends on it (%(kinds)s): "
            "%(names)s. Delete it or point it to another record first.",
            "Nothing was deleted: %(count)d records depend on it (%(kinds)s): "
            "%(names)s. Delete them or point them to other records first.",
            len(items),
        ) % {
            "count": len(items),
            "kinds": ", ".join(f"{n} × {kind}" for kind, n in kinds.most_common()),
            "names": "; ".join(named),
        }


class RecordAdmin(
    IndexedSearchMixin, SafeAutocompleteAdminMixin, SafeDeleteMixin, SimpleHistoryAdmin
):
    """Base of every admin here: audit history, safe deletion, guarded restore."""

    list_per_page = 100
    # No whole-table COUNT on every page: a filtered list says "Show all" instead
    # of the total, and a big unfiltered one shows PostgreSQL's estimate.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Its date hierarchy lists a whole list's years from the index.
    change_list_template = "admin/partnerships/change_list.html"
    save_on_top = True
    formfield_overrides = {
        models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 80})}
    }

    class Media:
        css = {"all": ("partnerships/admin/admin.css",)}

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    def action_checkbox(self, obj):
        # Django's own markup, without rendering a widget template for each row
        # (a quarter of a 100-row list's time).
        label = format_html(gettext("Select this object for an action - {}"), obj)
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # Errors about a whole inline (e.g. "add the head of delegation") appear
        # at that inline, far down a long page; repeat them at the top.
        if request.method == "POST":
            for inline in context.get("inline_admin_formsets", ()):
                for error in inline.formset.non_form_errors():
                    messages.error(
                        request,
                        f"{capfirst(inline.opts.verbose_name_plural)}: {error}",
                    )
        return super().render_change_form(request, context, *args, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a revert without checking the change permission;
        # restoring a deleted record also needs the add permission.
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        # Anything but a stored id would reach the database and fail there.
        if isinstance(pk, int) and id_value(str(pk)) is None:
            raise Http404
        if id_value(str(version_id)) is None:
            raise Http404
        if request.method != "POST":
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )
        exists = self.model._default_manager.filter(pk=pk).exists()
        allowed = (
            self.has_change_permission(request)
            if exists
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        # save_model reads these: the revert path skips save_related.
        request.fa_reverting = True
        request.fa_restoring = not exists
        try:
            with transaction.atomic():
                return super().history_form_view(
                    request, object_id, version_id, extra_context
                )
        except services.RestoreRefused as refusal:
            template = (
                gettext("Not restored: %(reason)s")
                if not exists
                else gettext("Not reverted: %(reason)s")
            )
            messages.error(request, template % {"reason": refusal})
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(request, "fa_restoring", False):
            # The rows deleted with the record (members, aliases...) come back
            # with it, or nothing does.
            services.restore_deleted_children(obj)
        if getattr(request, "fa_reverting", False):
            self.after_revert(request, obj)

    def after_revert(self, request, obj):
        """Checks and follow-ups for a record saved from an old version.

        Raise ``services.RestoreRefused`` to undo the whole revert.
        """


class PublishableAdmin(PublishControlMixin, RecordAdmin):
    actions = ["publish_selected", "unpublish_selected"]


# Inlines


class StatusChangeInline(admin.TabularInline):
    model = AgreementStatusChange
    extra = 0
    fields = ("status", "changed_on", "note")


class SignatoryInline(SafeAutocompleteAdminMixin, admin.TabularInline):
    model = Signatory
    extra = 0
    fields = ("side", "person", "title_at_time")
    autocomplete_fields = ("person",)


class DelegationMemberInline(SafeAutocompleteAdminMixin, admin.TabularInline):
    model = DelegationMember
    formset = forms.DelegationMemberFormSet
    extra = 2
    fields = ("role", "person", "title_at_time", "position")
    autocomplete_fields = ("person",)
    verbose_name = _("delegation member")
    verbose_name_plural = _("Delegation members")

    def get_extra(self, request, obj=None, **kwargs):
        # Room for a head and a member on a new visit, one more row afterwards.
        return 1 if obj is not None else 2

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("person__city")


class VisitActivityInline(
    SafeAutocompleteAdminMixin, PublishControlMixin, admin.StackedInline
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

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("collaboration", "location")


class InstitutionAliasInline(admin.TabularInline):
    model = InstitutionAlias
    extra = 1
    fields = ("name",)


class ParticipantInline(SafeAutocompleteAdminMixin, admin.TabularInline):
    model = CollaborationParticipant
    extra = 1
    fields = ("side", "institution", "description", "role")
    autocomplete_fields = ("institution",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution__city")


# Model admins


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ("title", "publisher", "author", "published_on", "url")
    list_filter = ("publisher",)
    search_fields = ("title", "publisher", "author", "url", "credit")
    date_hierarchy = "published_on"


@admin.register(Sector)
class SectorAdmin(RecordAdmin):
    list_display = ("name", "name_zh", "name_ru", "code", "position")
    list_editable = ("position",)
    search_fields = ("name", "name_zh", "name_ru", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(FocusArea)
class FocusAreaAdmin(RecordAdmin):
    list_display = ("name", "name_zh", "name_ru")
    search_fields = ("name", "name_zh", "name_ru")


@admin.register(City)
class CityAdmin(SpreadsheetAdminMixin, PublishableAdmin):
    list_display = (
        "name",
        "name_local",
        "name_zh",
        "country",
        "region",
        "role",
        "agreements",
        "published",
    )
    list_filter = ("role", "published", CountryFilter)
    list_select_related = ("parent",)
    search_fields = (*CITY_SEARCH, "region", "slug", "wikidata_id")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent", "sources")
    readonly_fields = ("agreements_list",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("name", "slug"),
                    ("name_local", "name_zh", "name_ru"),
                    ("role", "parent"),
                    ("country", "region"),
                )
            },
        ),
        (
            _("About the city"),
            {
                "fields": (
                    "description",
                    ("founded_year", "population", "population_year"),
                    ("latitude", "longitude", "wikidata_id"),
                    "photo",
                    ("photo_caption", "photo_credit"),
                )
            },
        ),
        (_("Agreements"), {"fields": ("agreements_list",)}),
        (_("Publication"), {"fields": ("published", "internal_notes", "sources")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                home_count=agreement_count("home_party"),
                partner_count=agreement_count("partner"),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        # Autocomplete offers only the cities that fit the field's side.
        field = request.GET.get("field_name")
        if field in {"partner", "partner_city"}:
            queryset = queryset.filter(pk__in=City.objects.partners())
        elif field == "home_party":
            queryset = queryset.filter(pk__in=City.objects.home_parties())
        return queryset, may_have_duplicates

    @admin.display(description=_("agreements"))
    def agreements(self, obj):
        return obj.home_count + obj.partner_count

    @admin.display(description=_("agreements"))
    def agreements_list(self, obj):
        if obj.pk is None:
            return "—"
        agreements = Agreement.objects.involving(obj).select_related(
            "home_party", "partner"
        )
        return link_list(list(agreements), gettext("No agreements recorded."))


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ("name", "name_local", "name_zh", "current_title", "city")
    list_filter = (("city", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("city",)
    search_fields = (
        "name",
        "name_local",
        "name_zh",
        "current_title",
        *names_of("city"),
    )
    autocomplete_fields = ("city",)

    def get_queryset(self, request):
        # The autocomplete labels name the city too.
        return super().get_queryset(request).select_related("city")


@admin.register(Agreement)
class AgreementAdmin(SpreadsheetAdminMixin, PublishableAdmin):
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
        AgreementPartnerFilter,
        SignedYearFilter,
    )
    list_select_related = ("home_party", "partner")
    search_fields = (*names_of("partner"), *names_of("home_party"), "signed_place")
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
        return obj.get_last_contact() or "—"

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
                % {"years": anniversary[1], "date": anniversary[0].isoformat()},
            ),
            (
                gettext("Last contact"),
                last_contact.isoformat()
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


@admin.register(Visit)
class VisitAdmin(SpreadsheetAdminMixin, PublishableAdmin):
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
        PartnerFilter,
        "sectors",
        YearFilter,
        "published",
    )
    list_select_related = ("partner_city", "home_party")
    search_fields = (
        "title",
        *names_of("partner_city"),
        *names_of("home_party"),
        "members__person__name",
        "members__person__name_local",
        "members__person__name_zh",
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
                "fields": (("start_date", "end_date"), ("date_precision", "date_note")),
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
                "fields": ("head_unrecorded",),
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

    @admin.display(description=_("dates"), ordering="start_date")
    def when(self, obj):
        if not obj.start_date:
            return gettext("undated")
        start, end = obj.start_date, obj.end_date
        if not end or end == start:
            return start.isoformat()
        # The end is shortened to what differs from the start: 2024-05-14 – 05-17.
        short = end.isoformat()[5:] if end.year == start.year else end.isoformat()
        return f"{start.isoformat()} – {short}"

    @admin.display(description=_("direction"), ordering="direction")
    def direction_arrow(self, obj):
        if obj.direction == Direction.INBOUND:
            return gettext("← in")
        return gettext("→ out")

    @admin.display(description=_("partner city"), ordering="partner_city__name")
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
        completed, refused = services.mark_visits_completed(
            queryset, timezone.localdate()
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


@admin.register(Institution)
class InstitutionAdmin(SpreadsheetAdminMixin, PublishableAdmin):
    list_display = (
        "name",
        "name_local",
        "name_zh",
        "kind",
        "city",
        "alias_names",
        "published",
    )
    list_filter = ("kind", "published", ("city", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("city",)
    search_fields = (
        "name",
        "name_local",
        "name_zh",
        "name_ru",
        "aliases__name",
        *names_of("city"),
    )
    autocomplete_fields = ("city", "sources")
    inlines = (InstitutionAliasInline,)
    readonly_fields = ("collaborations_list",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "name",
                    ("name_local", "name_zh", "name_ru"),
                    ("kind", "city"),
                    "website",
                    "description",
                )
            },
        ),
        (_("Collaborations"), {"fields": ("collaborations_list",)}),
        (_("Publication"), {"fields": ("published", "internal_notes", "sources")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("aliases")

    @admin.display(description=_("also known as"))
    def alias_names(self, obj):
        return "; ".join(alias.name for alias in obj.aliases.all())

    @admin.display(description=_("collaborations"))
    def collaborations_list(self, obj):
        if obj.pk is None:
            return "—"
        collaborations = Collaboration.objects.filter(
            participants__institution=obj
        ).distinct()
        return link_list(list(collaborations), gettext("No collaborations recorded."))


@admin.register(Collaboration)
class CollaborationAdmin(SpreadsheetAdminMixin, PublishableAdmin):
    list_display = (
        "title",
        "partner",
        "sector",
        "status",
        "started_on",
        "participant_names",
        "published",
    )
    list_filter = (
        "sector",
        "status",
        "published",
        CollaborationPartnerFilter,
        StartedYearFilter,
    )
    list_select_related = ("agreement__partner", "agreement__home_party", "sector")
    search_fields = (
        "title",
        "summary",
        *names_of("agreement__partner"),
        "participants__institution__name",
        "participants__institution__name_local",
        "participants__institution__name_zh",
        "participants__institution__name_ru",
        "participants__institution__aliases__name",
        "participants__description",
        "focus_areas__name",
        "focus_areas__name_zh",
        "focus_areas__name_ru",
    )
    date_hierarchy = "started_on"
    autocomplete_fields = ("agreement", "focus_areas", "sources")
    inlines = (ParticipantInline,)
    fieldsets = (
        (None, {"fields": ("agreement", ("sector", "status"), "title", "summary")}),
        (_("Scope"), {"fields": ("focus_areas", ("started_on", "ended_on"))}),
        (_("Publication"), {"fields": ("published", "internal_notes", "sources")}),
    )

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

    @admin.display(description=_("partner city"), ordering="agreement__partner__name")
    def partner(self, obj):
        return obj.agreement.partner.name

    @admin.display(description=_("participants"))
    def participant_names(self, obj):
        return Truncator("; ".join(str(p) for p in obj.participants.all())).chars(90)


@admin.register(Activity)
class ActivityAdmin(SpreadsheetAdminMixin, PublishableAdmin):
    list_display = (
        "title",
        "kind",
        "start_date",
        "collaboration",
        "visit",
        "location",
        "published",
    )
    list_filter = ("kind", "published", YearFilter)
    list_select_related = (
        "collaboration",
        "visit__partner_city",
        "visit__home_party",
        "location",
    )
    search_fields = (
        "title",
        "description",
        "collaboration__title",
        "visit__title",
        *names_of("location"),
    )
    date_hierarchy = "start_date"
    autocomplete_fields = ("collaboration", "visit", "location", "sources")


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ("key", "sent_at", "recipients")
    search_fields = ("key", "recipients")
    date_hierarchy = "sent_at"
    readonly_fields = ("key", "sent_at", "recipients")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
