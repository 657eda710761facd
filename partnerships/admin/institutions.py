"""Institutions in the admin, with their other names."""

from django.contrib import admin
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import (
    City,
    Collaboration,
    Institution,
    InstitutionAlias,
)
from ..spreadsheets.resources import InstitutionResource
from .base import PublishableAdmin, link_list
from .forms import InstitutionAdminForm
from .inlines import LabelledInlineMixin
from .merges import MergeAdminMixin
from .spreadsheets import SpreadsheetAdminMixin


class InstitutionAliasInline(LabelledInlineMixin, admin.TabularInline):
    model = InstitutionAlias
    extra = 1
    fields = ("name",)
    add_another = _("Add another alternate name")


@admin.register(Institution)
class InstitutionAdmin(MergeAdminMixin, SpreadsheetAdminMixin, PublishableAdmin):
    form = InstitutionAdminForm
    resource_classes = [InstitutionResource]
    list_display = (
        "name",
        "name_local",
        "name_zh_hans",
        "kind",
        "city",
        "alias_names",
        "published",
    )
    list_filter = ("kind", "published", ("city", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("city",)
    search_fields = (
        *Institution.NAMES,
        # Every name, other names included, without spaces or punctuation.
        "name_keys",
        *City.names_of("city"),
    )
    autocomplete_fields = ("city", "sources")
    inlines = (InstitutionAliasInline,)
    readonly_fields = ("collaborations_list",)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    Institution.NAMES,
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
