"""The office's site settings: one page, for Administrators.

There is one row (``models/site.py``): the list goes straight to it, or to the
form that makes it when none is saved yet; it is never deleted. Saving renews
every public page (``public/invalidation.py``: a record shown nowhere in
particular renews them all).
"""

from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import SiteSettings
from ..models.site import SINGLETON_ID
from ..templatetags.office import emblem_url
from .base import RecordAdmin


@admin.register(SiteSettings)
class SiteSettingsAdmin(RecordAdmin):
    fieldsets = [
        (_("Names"), {"fields": ("office_name", "home_city_name")}),
        (_("Emblem"), {"fields": ("emblem", "emblem_preview")}),
        (
            _("How the public reaches the office"),
            {"fields": ("address", "telephone", "email", "website", "opening_hours")},
        ),
    ]
    readonly_fields = ("emblem_preview",)

    def has_add_permission(self, request):
        return (
            super().has_add_permission(request)
            and not SiteSettings.objects.filter(pk=SINGLETON_ID).exists()
        )

    def has_delete_permission(self, request, obj=None):
        return False

    def get_model_perms(self, request):
        # The app list offers no "Add" (the list leads to the one row, or to the
        # form that makes it), so it need not ask whether the row exists: no
        # query on every admin page.
        return {
            "add": False,
            "change": self.has_change_permission(request),
            "delete": False,
            "view": self.has_view_permission(request),
        }

    def changelist_view(self, request, extra_context=None):
        """The one row's page (or the form that makes it), not a list."""
        if SiteSettings.objects.filter(pk=SINGLETON_ID).exists():
            return HttpResponseRedirect(
                reverse("admin:partnerships_sitesettings_change", args=[SINGLETON_ID])
            )
        if self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:partnerships_sitesettings_add"))
        return super().changelist_view(request, extra_context)

    def get_list_filter(self, request):
        return ()

    @admin.display(description=_("emblem as shown"))
    def emblem_preview(self, obj):
        url = emblem_url(obj) if obj is not None and obj.pk else ""
        if not url:
            return "—"
        return format_html('<img src="{}" alt="" class="fa-emblem-preview">', url)
