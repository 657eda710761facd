"""Activities in the admin."""

from django.contrib import admin

from ..models import (
    Activity,
    City,
)
from ..spreadsheets.resources import ActivityResource
from .base import DatesAsKnownListMixin, PublishableAdmin
from .filters import YearFilter
from .forms import ActivityAdminForm
from .spreadsheets import SpreadsheetAdminMixin


@admin.register(Activity)
class ActivityAdmin(DatesAsKnownListMixin, SpreadsheetAdminMixin, PublishableAdmin):
    form = ActivityAdminForm
    resource_classes = [ActivityResource]
    list_display = (
        "title",
        "kind",
        "when",
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
        *City.names_of("location"),
    )
    date_hierarchy = "start_date"
    autocomplete_fields = ("collaboration", "visit", "location", "sources")
