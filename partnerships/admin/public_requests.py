"""Requests from the public: the Clerks' triage queue.

A request is read, not edited: what the sender wrote stays as they wrote it.
What changes is its handling: status, the colleague it is assigned to, internal
notes, and a reply e-mailed from here (``partnerships/public_requests.py``),
each a step in its log. Nobody adds or deletes a request here; Administrators
may erase one's personal data before its time (a sender who asks), with a page
to confirm it first.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.template.defaultfilters import linebreaks_filter
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import public_requests
from ..models import PublicRequest
from ..models.choices import RequestEventKind, RequestStatus
from ..public.contact import base_url


class TriageForm(forms.ModelForm):
    note = forms.CharField(
        label=_("Add an internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("For the office only: the sender never sees it."),
    )
    reply = forms.CharField(
        label=_("Reply to the sender"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "E-mailed to the sender when you save, signed with the office's name "
            "in their language, and kept in the log below; the request is then "
            "answered."
        ),
    )

    class Meta:
        model = PublicRequest
        fields = ("status", "assigned_to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assigned_to" in self.fields:
            self.fields["assigned_to"].queryset = public_requests.triagers()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reply", "").strip():
            if self.instance.erased_at is not None:
                self.add_error(
                    "reply",
                    _("Its personal data is erased: there is no one to reply to."),
                )
            elif cleaned.get("status") == RequestStatus.SPAM:
                self.add_error("reply", _("Spam is not answered."))
        return cleaned


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("to me")), ("nobody", _("to nobody"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "nobody":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


@admin.register(PublicRequest)
class PublicRequestAdmin(admin.ModelAdmin):
    form = TriageForm
    list_display = (
        "reference",
        "received_at",
        "status",
        "sender",
        "city",
        "sector",
        "assigned_to",
    )
    list_display_links = ("reference",)
    list_filter = ("status", AssignedFilter, "language", "sector")
    list_select_related = ("partner_city", "sector", "assigned_to")
    search_fields = ("reference", "name", "organisation", "email")
    show_full_result_count = False
    list_per_page = 100
    actions = ["assign_to_me", "mark_spam", "erase_personal_data"]
    fieldsets = [
        (
            _("The request"),
            {
                "fields": (
                    "reference",
                    "received_at",
                    "language",
                    "city",
                    "sector",
                    "message",
                )
            },
        ),
        (
            _("The sender"),
            {
                "fields": (
                    "name",
                    "organisation",
                    "email",
                    "telephone",
                    "consented_at",
                    "acknowledged_at",
                    "erased_at",
                )
            },
        ),
        (_("Handling"), {"fields": ("status", "assigned_to", "note", "reply")}),
        (_("Log"), {"fields": ("log",)}),
    ]
    readonly_fields = (
        "reference",
        "received_at",
        "language",
        "city",
        "sector",
        "message",
        "name",
        "organisation",
        "email",
        "telephone",
        "consented_at",
        "acknowledged_at",
        "erased_at",
        "log",
    )

    class Media:
        css = {"all": ("partnerships/admin/admin.css",)}

    # Nobody adds or deletes a request here ------------------------------------

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_erase_permission(self, request):
        return request.user.has_perm("partnerships.erase_publicrequest")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only: no note or reply to write.
        return [
            (
                name,
                {
                    **options,
                    "fields": tuple(
                        field
                        for field in options["fields"]
                        if field not in ("note", "reply")
                    ),
                },
            )
            for name, options in fieldsets
        ]

    # Columns and read-only fields ---------------------------------------------

    @admin.display(description=_("from"), ordering="name")
    def sender(self, obj):
        if obj.erased_at is not None:
            return gettext("(erased)")
        if obj.organisation:
            return f"{obj.name} ({obj.organisation})"
        return obj.name

    @admin.display(description=_("city"))
    def city(self, obj):
        return obj.city_text or "—"

    @admin.display(description=_("log"))
    def log(self, obj):
        events = obj.events.select_related("by", "assigned_to")
        rows = []
        for event in events:
            detail = ""
            if event.kind == RequestEventKind.STATUS:
                detail = event.get_status_display()
            elif event.kind == RequestEventKind.ASSIGNED:
                detail = str(event.assigned_to or gettext("nobody"))
            elif event.text:
                detail = linebreaks_filter(event.text, autoescape=True)
            rows.append(
                (
                    timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"),
                    event.get_kind_display(),
                    event.by or "—",
                    detail,
                )
            )
        if not rows:
            return "—"
        return format_html(
            '<table class="fa-request-log"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            gettext("when"),
            gettext("what"),
            gettext("by"),
            gettext("details"),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    # Saving: each change a step in the log ------------------------------------

    def save_model(self, request, obj, form, change):
        stored = PublicRequest.objects.get(pk=obj.pk)
        status, colleague = obj.status, obj.assigned_to
        obj.status, obj.assigned_to = stored.status, stored.assigned_to
        user = request.user
        with transaction.atomic():
            public_requests.assign(obj, colleague, user)
            if status != stored.status:
                public_requests.set_status(obj, status, user)
            note = form.cleaned_data.get("note", "").strip()
            if note:
                public_requests.add_note(obj, note, user)
        text = form.cleaned_data.get("reply", "").strip()
        if text:
            try:
                public_requests.reply(obj, text, user, base_url(request))
            except public_requests.ReplyRefused as refusal:
                messages.error(
                    request,
                    gettext("The reply was not sent: %(reason)s") % {"reason": refusal},
                )
            else:
                messages.success(
                    request,
                    gettext("The reply was e-mailed to %(email)s.")
                    % {"email": obj.email},
                )

    # Actions ------------------------------------------------------------------

    @admin.action(
        description=_("Assign the selected requests to me"), permissions=["change"]
    )
    def assign_to_me(self, request, queryset):
        for public_request in queryset:
            public_requests.assign(public_request, request.user, request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d request assigned to you.",
                "%(count)d requests assigned to you.",
                len(queryset),
            )
            % {"count": len(queryset)},
        )

    @admin.action(
        description=_("Mark the selected requests as spam"), permissions=["change"]
    )
    def mark_spam(self, request, queryset):
        for public_request in queryset:
            public_requests.set_status(public_request, RequestStatus.SPAM, request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d request marked as spam.",
                "%(count)d requests marked as spam.",
                len(queryset),
            )
            % {"count": len(queryset)},
        )

    @admin.action(
        description=_("Erase the personal data of the selected requests"),
        permissions=["erase"],
    )
    def erase_personal_data(self, request, queryset):
        """Asks first; erases once confirmed (it cannot be undone)."""
        queryset = queryset.filter(erased_at__isnull=True)
        if request.POST.get("confirmed") == "yes":
            count = 0
            for public_request in queryset:
                public_requests.erase(public_request, by=request.user)
                count += 1
            self.message_user(
                request,
                ngettext(
                    "The personal data of %(count)d request was erased.",
                    "The personal data of %(count)d requests was erased.",
                    count,
                )
                % {"count": count},
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Erase personal data?"),
            "opts": self.model._meta,
            "requests": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "action": "erase_personal_data",
        }
        return TemplateResponse(
            request, "admin/partnerships/publicrequest/erase_confirmation.html", context
        )
