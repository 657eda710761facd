"""Partner cities' offices the Clerks ask to confirm records: who, how to reach
them and the language they read. A contact with requests sent to it is never
deleted (its requests are the records' evidence)."""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from ..models import PartnerContact
from ..models.choices import ConfirmationStatus
from .base import SafeDeleteMixin
from .phrases import PhrasedTitlesMixin
from .widgets import SafeAutocompleteAdminMixin


@admin.register(PartnerContact)
class PartnerContactAdmin(
    PhrasedTitlesMixin, SafeAutocompleteAdminMixin, SafeDeleteMixin, SimpleHistoryAdmin
):
    list_display = ("office", "person", "city", "email", "language", "awaiting")
    list_filter = ("language", "city")
    list_select_related = ("city",)
    search_fields = ("office", "person", "email", "city__name_en", "city__name_ru")
    autocomplete_fields = ("city",)
    fields = ("city", "office", "person", "email", "language", "notes")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                awaiting_count=Count(
                    "confirmation_requests",
                    filter=Q(
                        confirmation_requests__status=ConfirmationStatus.AWAITING,
                        confirmation_requests__expires_at__gt=timezone.now(),
                    ),
                )
            )
        )

    @admin.display(description=_("awaiting an answer"), ordering="awaiting_count")
    def awaiting(self, contact):
        return contact.awaiting_count
