"""The column mappings saved from the import's column step, to read, rename or
delete (they are made while importing, never here)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import ColumnMapping


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "records", "file_columns", "created_by", "updated")
    list_filter = ("records",)
    list_select_related = ("created_by",)
    search_fields = ("name",)
    fields = ("name", "records", "matched", "created_by", "updated")
    readonly_fields = ("records", "matched", "created_by", "updated")

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("the file's columns"))
    def file_columns(self, mapping):
        return len(mapping.headers)

    @admin.display(description=_("columns"))
    def matched(self, mapping):
        ignored = _("ignored")
        return "; ".join(
            f"{header} → {field or ignored}"
            for header, field in mapping.columns.items()
        )
