"""People in the admin, with their other spellings and the posts they held."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationTabularInline

from ..models import (
    City,
    Person,
    PersonAlias,
    Position,
)
from .base import RecordAdmin
from .forms import PersonAdminForm, PositionForm
from .inlines import LabelledInlineMixin
from .merges import MergeAdminMixin
from .publishing import PublishControlMixin


class PersonAliasInline(LabelledInlineMixin, admin.TabularInline):
    model = PersonAlias
    extra = 1
    fields = ("name",)
    verbose_name = _("other spelling")
    verbose_name_plural = _("Other spellings (Sergei, Sergey, Serguei…)")
    add_another = _("Add another spelling")


class PositionInline(LabelledInlineMixin, TranslationTabularInline):
    model = Position
    form = PositionForm
    extra = 1
    fields = ("title", "start", "end")
    verbose_name_plural = _(
        "Positions held (a delegation member's title is proposed from them)"
    )
    add_another = _("Add another position")


@admin.register(Person)
class PersonAdmin(MergeAdminMixin, PublishControlMixin, RecordAdmin):
    form = PersonAdminForm
    list_display = ("name", "name_local", "name_zh_hans", "current_title", "city")
    list_filter = (("city", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("city",)
    search_fields = (
        *Person.NAMES,
        # Every name, other spellings included, without spaces or punctuation.
        "name_keys",
        "current_title",
        *City.names_of("city"),
    )
    autocomplete_fields = ("city",)
    inlines = (PersonAliasInline, PositionInline)

    def get_queryset(self, request):
        # The autocomplete labels name the city too.
        return super().get_queryset(request).select_related("city")
