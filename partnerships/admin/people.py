"""People in the admin."""

from django.contrib import admin

from ..models import (
    City,
    Person,
)
from .base import RecordAdmin
from .forms import PersonAdminForm


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    form = PersonAdminForm
    list_display = ("name", "name_local", "name_zh_hans", "current_title", "city")
    list_filter = (("city", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("city",)
    search_fields = (
        *Person.NAMES,
        "current_title",
        *City.names_of("city"),
    )
    autocomplete_fields = ("city",)

    def get_queryset(self, request):
        # The autocomplete labels name the city too.
        return super().get_queryset(request).select_related("city")
