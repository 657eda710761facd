"""Reminders already sent, for the record."""

from django.contrib import admin

from ..models import (
    SentReminder,
)


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
