"""Reference data in the admin: sources, sectors and focus areas."""

from django.contrib import admin

from ..models import (
    FocusArea,
    Sector,
    Source,
)
from .base import RecordAdmin
from .publishing import PublishControlMixin


@admin.register(Source)
class SourceAdmin(PublishControlMixin, RecordAdmin):
    list_display = ("title", "publisher", "author", "published_on", "url")
    list_filter = ("publisher",)
    search_fields = ("title", "publisher", "author", "url", "credit")
    date_hierarchy = "published_on"


@admin.register(Sector)
class SectorAdmin(PublishControlMixin, RecordAdmin):
    list_display = (*Sector.NAMES, "code", "position")
    list_editable = ("position",)
    search_fields = (*Sector.NAMES, "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(FocusArea)
class FocusAreaAdmin(PublishControlMixin, RecordAdmin):
    list_display = FocusArea.NAMES
    search_fields = FocusArea.NAMES
