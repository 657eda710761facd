"""The base of every admin here: history, safe deletion, guarded restore, and
the Publisher's control of what is public."""

import html
import json
from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, InlineAdminFormSet
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms import Textarea
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model

from .. import publication, services
from ..admin_urls import change_url
from ..models import Draft, localized_fields, translated_fields
from ..models.dated import PRECISION_OF
from ..models.partial_dates import format_date, format_range
from .changelists import (
    EstimatedCountPaginator,
    IndexedSearchMixin,
    RecordChangeList,
)
from .filters import MissingTranslationFilter, id_value
from .phrases import PhrasedTitlesMixin
from .publishing import PublishControlMixin
from .widgets import SafeAutocompleteAdminMixin


def admin_link(obj, text=None):
    return format_html('<a href="{}">{}</a>', change_url(obj), text or str(obj))


def link_list(objects, empty):
    """An HTML list of admin links, or ``empty`` when there are none."""
    if not objects:
        return empty
    return format_html(
        '<ul class="fa-related">{}</ul>',
        format_html_join("", "<li>{}</li>", ((admin_link(obj),) for obj in objects)),
    )


# Shared behaviour


class SafeDeleteMixin:
    """Says plainly which records stand in the way when a deletion is refused:
    records that depend on it, a change waiting for review, or, for someone who
    may not publish it, the public site it is on."""

    def get_deleted_objects(self, objs, request):
        result = super().get_deleted_objects(objs, request)
        protected = result[3]
        # A change waiting for review would be lost with the record.
        protected.extend(
            format_html(
                '{}: <a href="{}">{}</a>',
                capfirst(Draft._meta.verbose_name),
                reverse("admin:review_draft", args=[draft.pk]),
                gettext("#%(draft)s, waiting for review") % {"draft": draft.pk},
            )
            for obj in objs
            if (draft := publication.pending_draft(obj)) is not None
        )
        if protected:
            messages.error(request, self.protected_message(protected))
        # Taking a record off the site is the Publisher's decision too.
        live = [
            obj
            for obj in objs
            if not publication.can_publish(request.user, type(obj))
            and (
                obj.published
                if publication.is_publishable(type(obj))
                else publication.is_live(obj)
            )
        ]
        if live:
            protected.extend(
                format_html("{}: {}", gettext("On the public site"), admin_link(obj))
                for obj in live
            )
            messages.error(request, self.live_message(live))
        return result

    def live_message(self, live):
        """Why a record on the public site is not deleted by someone who may
        not publish it."""
        return ngettext(
            "Nothing was deleted: “%(names)s” is on the public site, and only a "
            "Publisher decides what leaves it. Ask a Publisher to unpublish it "
            "first.",
            "Nothing was deleted: %(count)d of these records are on the public "
            "site (%(names)s), and only a Publisher decides what leaves it. Ask a "
            "Publisher to unpublish them first.",
            len(live),
        ) % {"count": len(live), "names": "; ".join(str(obj) for obj in live[:5])}

    def protected_message(self, protected):
        """'Nothing was deleted: 3 records depend on it (2 visits, 1 agreement)…'."""
        # Each item reads "Verbose name: <a …>record</a>".
        items = [html.unescape(strip_tags(str(item))) for item in protected]
        kinds = Counter(item.split(": ", 1)[0] for item in items)
        named = [item.split(": ", 1)[-1] for item in items[:5]]
        if len(items) > len(named):
            named.append(
                gettext("and %(count)d more, listed below")
                % {"count": len(items) - len(named)}
            )
        return ngettext(
            "Nothing was deleted: %(count)d record depends on it (%(kinds)s): "
            "%(names)s. Delete it or point it to another record first.",
            "Nothing was deleted: %(count)d records depend on it (%(kinds)s): "
            "%(names)s. Delete them or point them to other records first.",
            len(items),
        ) % {
            "count": len(items),
            "kinds": ", ".join(f"{n} × {kind}" for kind, n in kinds.most_common()),
            "names": "; ".join(named),
        }


class DatesAsKnownHistory(HistoricalRecordContextHelper):
    """A History page's changes, with a record's dates as precisely as known
    (a visit of "May 2027" is not shown as 2027-05-01)."""

    def context_for_delta_changes(self, delta):
        self.delta = delta
        return super().context_for_delta_changes(delta)

    def prepare_delta_change_value(self, change, value):
        if change.field in PRECISION_OF and value is not None:
            side = (
                self.delta.old_record if value is change.old else self.delta.new_record
            )
            precision = getattr(side, PRECISION_OF[change.field], None)
            if precision:
                return format_date(value, precision)
        return super().prepare_delta_change_value(change, value)


class PhrasedInlineAdminFormSet(InlineAdminFormSet):
    """An inline whose "Add another" button reads as one translated phrase.

    Django builds it as "Add another %(verbose_name)s", which no translation can
    decline ("Добавить еще один Мероприятие"); an inline's ``add_another`` is
    the whole phrase, translated as one ("Добавить ещё одно мероприятие").
    """

    def inline_formset_data(self):
        data = json.loads(super().inline_formset_data())
        phrase = getattr(self.opts, "add_another", None)
        if phrase:
            data["options"]["addText"] = str(phrase)
        return json.dumps(data)


class RecordAdmin(
    PhrasedTitlesMixin,
    IndexedSearchMixin,
    SafeAutocompleteAdminMixin,
    SafeDeleteMixin,
    TranslationAdmin,
    SimpleHistoryAdmin,
):
    """Base of every admin here: audit history, safe deletion, guarded restore.

    Every record here has translated texts: modeltranslation's admin puts a field
    per language in the form wherever a fieldset names the translated field.
    """

    list_per_page = 100
    # No whole-table COUNT on every page: a filtered list says "Show all" instead
    # of the total, and a big unfiltered one shows PostgreSQL's estimate.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Its date hierarchy lists a whole list's years from the index.
    change_list_template = "admin/partnerships/change_list.html"
    save_on_top = True
    formfield_overrides = {
        models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 80})}
    }

    class Media:
        css = {"all": ("partnerships/admin/admin.css",)}

    def get_changelist(self, request, **kwargs):
        return RecordChangeList

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_formset in inline_formsets:
            # Its "Add another …" as a whole phrase (``add_another``).
            inline_formset.__class__ = PhrasedInlineAdminFormSet
        return inline_formsets

    def get_fieldsets(self, request, obj=None):
        # Each translated text's languages on one line, English first: the text
        # being translated stays in view beside its translation.
        return [
            (name, {**options, "fields": self.side_by_side(options["fields"])})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # A line of three languages explains itself once, under the English.
        for name, field in form.base_fields.items():
            if name in self.translation_of and not name.endswith("_en"):
                field.help_text = ""
        return form

    @cached_property
    def translation_of(self):
        """``{title_en: "title", title_zh_hans: "title", …}``"""
        return {
            column: name
            for name in translated_fields(self.model)
            for column in localized_fields(name)
        }

    def side_by_side(self, fields):
        """``fields`` with each translated text's language columns as one line."""
        lines = []
        for field in fields:
            text = self.translation_of.get(field) if isinstance(field, str) else None
            last = lines[-1] if lines else None
            if (
                text
                and isinstance(last, list)
                and self.translation_of.get(last[0]) == text
            ):
                last.append(field)
            else:
                lines.append([field] if text else field)
        return [tuple(line) if isinstance(line, list) else line for line in lines]

    def get_historical_record_context_helper(self, request, historical_record):
        return DatesAsKnownHistory(self.model, historical_record)

    def get_list_filter(self, request):
        # Every list can show what is left to translate.
        return (*super().get_list_filter(request), MissingTranslationFilter)

    def action_checkbox(self, obj):
        # Django's own markup, without rendering a widget template for each row
        # (a quarter of a 100-row list's time).
        label = format_html(gettext("Select this object for an action - {}"), obj)
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" '
            'aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # Errors about a whole inline (e.g. "add the head of delegation") appear
        # at that inline, far down a long page; repeat them at the top.
        if request.method == "POST":
            for inline in context.get("inline_admin_formsets", ()):
                for error in inline.formset.non_form_errors():
                    messages.error(
                        request,
                        f"{capfirst(inline.opts.verbose_name_plural)}: {error}",
                    )
        return super().render_change_form(request, context, *args, **kwargs)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history saves a revert without checking the change permission;
        # restoring a deleted record also needs the add permission.
        try:
            pk = self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404 from None
        # Anything but a stored id would reach the database and fail there.
        if isinstance(pk, int) and id_value(str(pk)) is None:
            raise Http404
        if id_value(str(version_id)) is None:
            raise Http404
        if request.method != "POST":
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )
        exists = self.model._default_manager.filter(pk=pk).exists()
        allowed = (
            self.has_change_permission(request)
            if exists
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        try:
            with transaction.atomic():
                return self.revert_view(
                    request,
                    object_id,
                    version_id,
                    restoring=not exists,
                    extra_context=extra_context,
                )
        except services.RestoreRefused as refusal:
            template = (
                gettext("Not restored: %(reason)s")
                if not exists
                else gettext("Not reverted: %(reason)s")
            )
            messages.error(request, template % {"reason": refusal})
            return HttpResponseRedirect(request.get_full_path())

    def revert_view(self, request, object_id, version_id, *, restoring, extra_context):
        """simple-history's revert (the POST of its history form), saved through
        ``save_revert``.

        simple-history 3.13.0 saves a revert with ``save_model`` alone, which cannot
        tell a revert from an ordinary change; this is its POST branch with that
        save made explicit (without SIMPLE_HISTORY_EDIT, which is not set here). A
        form with errors is shown again by simple-history.
        """
        request.current_app = self.admin_site.name
        version = get_object_or_404(
            get_history_model_for_model(self.model),
            **{self.model._meta.pk.attname: object_id, "history_id": version_id},
        )
        obj = version.instance
        obj._state.adding = False
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        form = self.get_form(request, obj)(request.POST, request.FILES, instance=obj)
        if not form.is_valid():
            return super().history_form_view(
                request, object_id, version_id, extra_context
            )
        obj = self.save_form(request, form, change=True)
        self.save_revert(request, obj, form, restoring=restoring)
        form.save_m2m()
        self.log_change(request, obj, self.construct_change_message(request, form, []))
        return self.response_change(request, obj)

    def save_revert(self, request, obj, form, *, restoring):
        """Save ``obj`` as an old version had it; ``restoring`` if it was deleted.

        A revert has no inline forms (and no ``save_related``): the rows and checks
        it needs besides the record come here.
        """
        self.save_model(request, obj, form, change=True)
        if restoring:
            # The rows deleted with the record (members, aliases...) come back
            # with it, or nothing does.
            services.restore_deleted_children(obj)
        self.after_revert(request, obj)

    def after_revert(self, request, obj):
        """Checks and follow-ups for a record saved from an old version.

        Raise ``services.RestoreRefused`` to undo the whole revert.
        """


class PublishableAdmin(PublishControlMixin, RecordAdmin):
    actions = ["publish_selected", "unpublish_selected"]


class DatesAsKnownListMixin:
    """A ``when`` column: a visit's or activity's dates as precisely as known."""

    @admin.display(description=_("dates"), ordering="start_date")
    def when(self, obj):
        if not obj.start_date:
            return gettext("undated")
        return format_range(obj.start_date, obj.end_date, obj.date_precision)
