"""Merging people or institutions recorded twice, and undoing it from History."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import merges
from ..admin_urls import change_url
from ..models import Merge


class MergeAdminMixin:
    """The "Merge selected" action, its page of what will move, and undo.

    For Clerks and Administrators (``merges.may_merge``).
    """

    object_history_template = "admin/partnerships/object_history.html"

    def has_merge_permission(self, request):
        return merges.may_merge(request.user, self.model)

    @admin.action(
        permissions=["merge"], description=_("Merge the selected records into one")
    )
    def merge_selected(self, request, queryset):
        records = list(queryset.order_by("pk"))
        if len(records) < 2:
            self.message_user(
                request,
                gettext("Choose two records or more to merge."),
                messages.WARNING,
            )
            return None
        by_pk = {str(record.pk): record for record in records}
        kept = by_pk.get(request.POST.get("keep")) or self.default_kept(records)
        others = [record for record in records if record.pk != kept.pk]
        error = None
        try:
            merges.check(kept, others, request.user)
        except merges.MergeRefused as refused:
            error = " ".join(refused.messages)
        if request.POST.get("post") == "yes" and error is None:
            done = merges.merge(kept, others, request.user)
            self.message_user(
                request,
                gettext(
                    "Merged: %(merge)s. It can be undone from the record's History "
                    "page."
                )
                % {"merge": done.description},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url(kept))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Merge %(records)s")
            % {"records": self.opts.verbose_name_plural},
            "opts": self.opts,
            "records": records,
            "kept": kept,
            "plan": merges.plan(kept, others),
            "error": error,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/partnerships/merge.html", context)

    @staticmethod
    def default_kept(records):
        """The record with the most names filled in; the oldest of those."""
        return max(
            records,
            key=lambda record: (len(record.every_name()), -record.pk),
        )

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_merge_permission(request):
            actions["merge_selected"] = self.get_action("merge_selected")
        return actions

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_undo_merge"
        return [
            path(
                "<path:object_id>/merges/<int:merge_id>/undo/",
                self.admin_site.admin_view(self.undo_merge_view),
                name=name,
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        record = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "merges": list(Merge.objects.into(record)) if record else [],
            "may_undo_merges": self.has_merge_permission(request),
        }
        return super().history_view(request, object_id, extra_context)

    def undo_merge_view(self, request, object_id, merge_id):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        record = self.get_object(request, object_id)
        if record is None:
            raise PermissionDenied
        merge = get_object_or_404(Merge.objects.into(record), pk=merge_id)
        history = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_history",
            args=[record.pk],
        )
        if request.method == "POST":
            try:
                gone = merges.undo(merge, request.user)
            except merges.MergeRefused as refused:
                self.message_user(request, " ".join(refused.messages), messages.ERROR)
                return HttpResponseRedirect(history)
            message = gettext("Merge undone: %(merge)s.") % {"merge": merge}
            if gone:
                message += " " + gettext(
                    "%(count)d of the links it moved have been deleted since."
                ) % {"count": gone}
            self.message_user(request, message, messages.SUCCESS)
            return HttpResponseRedirect(history)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Undo this merge?"),
            "opts": self.opts,
            "object": record,
            "merge": merge,
            "history_url": history,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/partnerships/undo_merge.html", context)
