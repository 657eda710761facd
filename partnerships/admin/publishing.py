"""The admin's side of "the Publisher decides what is public".

``PublishControlMixin``: only a Publisher changes ``published``; anyone else's
change to a live record's public content waits as a draft
(``partnerships/publication.py``), while its internal fields save at once.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import publication, services
from ..models.partial_dates import format_date


class LiveRowsFormSet:
    """Mixed into the formset of an inline whose rows are publishable records
    (``PublishableInlineMixin``): someone who may not publish them does not
    take a live one off the site by deleting its row."""

    user = None

    def clean(self):
        super().clean()
        if self.user is None or publication.can_publish(self.user, self.model):
            return
        live = [
            str(row.instance)
            for row in self.forms
            if row.instance.pk is not None
            and self._should_delete_form(row)
            and publication.is_live(row.instance)
        ]
        if live:
            raise ValidationError(
                gettext(
                    "Not deleted: “%(records)s” is on the public site, and only a "
                    "Publisher decides what leaves it. Ask a Publisher to "
                    "unpublish it first."
                )
                % {"records": "; ".join(live)}
            )


class DraftRowsFormSet:
    """An inline's formset showing the rows a pending draft proposes, as new
    rows, each checked as a whole row even when left as it was (an unchanged
    new row is otherwise taken as empty)."""

    drafted = 0

    def _construct_form(self, i, **kwargs):
        if i < self.drafted:
            kwargs["empty_permitted"] = False
        return super()._construct_form(i, **kwargs)


class PublishedReadOnlyMixin:
    """``published`` is read-only for whoever may not publish the records."""

    def has_publish_permission(self, request, obj=None):
        return services.can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if (
            publication.is_publishable(self.model)
            and not self.has_publish_permission(request)
            and "published" not in fields
        ):
            fields.append("published")
        return fields


class PublishableInlineMixin(PublishedReadOnlyMixin):
    """For an inline whose rows are publishable records (a visit's activities):
    ``published`` read-only but for a Publisher, and no live row deleted by
    anyone else. Their changes wait as drafts (``hold_rows_for_review``)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(
            formset.__name__, (LiveRowsFormSet, formset), {"user": request.user}
        )


class PublishControlMixin(PublishedReadOnlyMixin):
    """Only a user with ``publish_<model>`` may change ``published``.

    For everyone else the field is read-only, and ``save_model`` puts the stored
    value back whatever the request said, so a crafted POST changes nothing.
    Their change to a live record's public content (its public fields, its
    many-to-many links, its inline rows) waits as a draft for a Publisher
    (``partnerships/publication.py``): the record stays live as approved, and
    its internal fields save at once. A revert of a live record by them waits
    as a draft too.
    """

    def render_change_form(self, request, context, add=False, change=False, **kw):
        obj = context.get("original")
        if (
            request.method == "GET"
            and getattr(obj, "_fa_live", False)
            and self.has_change_permission(request, obj)
        ):
            # ``get_object`` read it for the form.
            draft = getattr(obj, "_fa_pending", None)
            if draft is None:
                messages.info(request, self.review_notice())
            else:
                messages.warning(request, self.draft_notice(draft))
        return super().render_change_form(request, context, add, change, **kw)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not self.has_publish_permission(request):
            # Asked once here; the notices and the inlines follow it.
            obj._fa_live = publication.is_live(obj)
        if getattr(obj, "_fa_live", False):
            obj._fa_pending = publication.pending_draft(obj)
            if obj._fa_pending is not None:
                # Whoever edits it next builds on the change waiting, not on
                # the live version beneath it: its rows on the form's inlines
                # (when shown and when sent), its fields and links when shown.
                obj._fa_draft_rows = obj._fa_pending.proposed["children"]
                if request.method == "GET":
                    publication.show_draft(obj, obj._fa_pending)
        return obj

    def get_formsets_with_inlines(self, request, obj=None):
        drafted = getattr(obj, "_fa_draft_rows", {})
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            rows = drafted.get(formset.get_default_prefix())
            if rows is not None:
                formset = type(
                    formset.__name__,
                    (DraftRowsFormSet, formset),
                    {"drafted": len(rows), "extra": formset.extra + len(rows)},
                )
            yield formset, inline

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        rows = getattr(obj, "_fa_draft_rows", {}).get(prefix)
        if rows is not None:
            # The waiting rows, as new rows: what the form sends back is what
            # they become (``save_related``).
            kwargs["queryset"] = inline.model._default_manager.none()
            kwargs["initial"] = rows
        return kwargs

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        drafted = getattr(obj, "_fa_draft_m2m", None)
        if not drafted:
            return form

        class DraftedForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.initial.update(drafted)

        return DraftedForm

    def save_model(self, request, obj, form, change):
        services.keep_published(obj, request.user)
        request._fa_proposed = None
        # Asked once: ``save_related`` follows with the same answer.
        request._fa_review = change and publication.needs_review(request.user, obj)
        if request._fa_review:
            fields = publication.hold_public_fields(obj, form.changed_data)
            if fields:
                request._fa_proposed = {"fields": fields, "m2m": {}, "children": {}}
            if not publication.internal_changes(self.model, form.changed_data):
                return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        for formset in formsets:
            if publication.is_publishable(formset.model):
                # Rows that are records of their own (a visit's activities)
                # follow the rule each for itself, whatever their parent's.
                self.hold_rows_for_review(request, formset)
        if not getattr(request, "_fa_review", False):
            super().save_related(request, form, formsets, change)
            return
        proposed = self.proposed_by(request, form)
        waiting = publication.pending_draft(obj)
        for formset in formsets:
            accessor = formset.fk.remote_field.get_accessor_name()
            # The form showed the rows waiting (``DraftRowsFormSet``): what it
            # sent is what they become.
            shown = waiting is not None and accessor in waiting.proposed["children"]
            if not shown and (
                publication.is_publishable(formset.model)
                or not publication.changes_public_content(formset)
            ):
                self.save_formset(request, form, formset, change)
                continue
            # Not saved: the change message Django writes reads what was.
            formset.new_objects, formset.changed_objects = [], []
            formset.deleted_objects = []
            proposed["children"][accessor] = publication.formset_rows(formset)
        draft, added = publication.propose(obj, request.user, proposed)
        if draft is not None:
            self.message_user(
                request, self.drafted_message(draft, added), messages.WARNING
            )

    def hold_rows_for_review(self, request, formset):
        """Each live row's public changes by someone who may not publish it
        wait as that record's draft; the rest of the row saves as usual."""
        model = formset.model
        if publication.can_publish(request.user, model):
            return
        for row in formset.initial_forms:
            record = row.instance
            if (
                record.pk is None
                or not row.has_changed()
                or row in formset.deleted_forms
                or not publication.is_live(record)
            ):
                continue
            fields = publication.hold_public_fields(record, row.changed_data)
            links = publication.form_links(model, row)
            if not fields and not links:
                continue
            proposed = {"fields": fields, "m2m": links, "children": {}}
            for name in links:
                row.cleaned_data[name] = getattr(record, name).all()
            draft, added = publication.propose(record, request.user, proposed)
            if draft is not None:
                self.message_user(
                    request,
                    f"{record}: {self.drafted_message(draft, added)}",
                    messages.WARNING,
                )

    def proposed_by(self, request, form):
        """The draft's part of a saved form: its fields (``save_model`` kept
        them aside) and its public many-to-many links."""
        proposed = getattr(request, "_fa_proposed", None) or {
            "fields": {},
            "m2m": {},
            "children": {},
        }
        proposed["m2m"].update(publication.form_links(self.model, form))
        return proposed

    def save_revert(self, request, obj, form, *, restoring):
        if restoring or not publication.needs_review(request.user, obj):
            super().save_revert(request, obj, form, restoring=restoring)
            return
        # A live record reverted by someone who may not publish: the old
        # version waits as a draft, as any other change of theirs. (The form
        # compares with the old version; the draft, with the live one.)
        services.keep_published(obj, request.user)
        fields = publication.differing_fields(obj)
        proposed = {
            "fields": publication.field_values(obj, fields),
            "m2m": publication.differing_links(obj, form),
            "children": {},
        }
        publication.restore_live(obj, fields)
        obj.save()
        form.save_m2m = lambda: None
        draft, added = publication.propose(obj, request.user, proposed)
        if draft is not None:
            self.message_user(
                request, self.drafted_message(draft, added), messages.WARNING
            )

    def review_notice(self):
        where = (
            gettext("This record is on the public site.")
            if publication.is_publishable(self.model)
            else gettext(
                "The public site shows this record, in a published visit, "
                "agreement or collaboration."
            )
        )
        return " ".join(
            (
                where,
                gettext(
                    "Only a Publisher decides what is public: a change you save to "
                    "what the public sees waits as a draft for review, and the "
                    "site keeps the approved version until then. Internal notes, "
                    "documents and renewal dates save at once."
                ),
            )
        )

    def draft_notice(self, draft):
        return format_html(
            '{} <a href="{}">{}</a>',
            gettext(
                "A change by %(authors)s waits for review since %(when)s; the form "
                "shows it. What you save is added to it."
            )
            % {
                "authors": publication.authors(draft),
                "when": format_date(draft.created_at.date()),
            },
            reverse("admin:review_draft", args=[draft.pk]),
            gettext("See the change"),
        )

    def drafted_message(self, draft, added):
        sentence = (
            gettext(
                "Added to the change waiting for review (draft #%(draft)s, by "
                "%(authors)s): the public site keeps the approved version until a "
                "Publisher approves it."
            )
            if added
            else gettext(
                "Your change waits for review as draft #%(draft)s: the public "
                "site keeps the approved version until a Publisher approves it."
            )
        )
        return sentence % {"draft": draft.pk, "authors": publication.authors(draft)}

    @admin.action(
        permissions=["publish"],
        description=_("Publish selected %(verbose_name_plural)s"),
    )
    def publish_selected(self, request, queryset):
        count = services.set_published(queryset, True)
        self.message_user(
            request,
            ngettext(
                "Published %(count)d record.", "Published %(count)d records.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
        hidden = services.still_hidden(queryset)
        if hidden:
            self.message_user(
                request,
                gettext(
                    "Still not on the public site, because a city, agreement, "
                    "collaboration or visit they belong to is unpublished: "
                    "%(records)s."
                )
                % {"records": "; ".join(str(obj) for obj in hidden[:10])},
                messages.WARNING,
            )

    @admin.action(
        permissions=["publish"],
        description=_("Unpublish selected %(verbose_name_plural)s"),
    )
    def unpublish_selected(self, request, queryset):
        count = services.set_published(queryset, False)
        self.message_user(
            request,
            ngettext(
                "Unpublished %(count)d record.",
                "Unpublished %(count)d records.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
