"""The Clerks' side of a partner's confirmation: asking the partner to confirm a
visit or a collaboration, the link's state on the record's page, revoking or
re-sending it, and deciding on each correction the partner proposed
(``partnerships/confirmations.py`` does the work)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.utils import build_localized_fieldname

from .. import confirmations
from ..admin_urls import change_url
from ..confirmations.answers import CORRECTABLE, PRECISIONS
from ..models import (
    Collaboration,
    ConfirmationRequest,
    PartnerContact,
    Visit,
)
from ..models.choices import ConfirmationStatus, CorrectionDecision
from ..models.partial_dates import format_date
from ..public.contact import base_url

#: The records that can be sent, by the name their send page's address uses.
SENDABLE = {"visit": Visit, "collaboration": Collaboration}
SEND = "partnerships.add_confirmationrequest"
DECIDE = "partnerships.change_confirmationrequest"


def state_of(confirmation, moment=None):
    """What a request's line on the record's page says of it."""
    if confirmation.status == ConfirmationStatus.AWAITING:
        if confirmation.is_expired(moment):
            return _("expired on %(date)s, unanswered") % {
                "date": format_date(timezone.localdate(confirmation.expires_at))
            }
        return _("awaiting confirmation (the link works until %(date)s)") % {
            "date": format_date(timezone.localdate(confirmation.expires_at))
        }
    if confirmation.status == ConfirmationStatus.REVOKED:
        return _("revoked")
    return confirmation.get_answer_display()


class SendForm(forms.Form):
    contact = forms.ModelChoiceField(
        label=gettext_lazy("Partner contact"),
        queryset=PartnerContact.objects.none(),
        empty_label=None,
    )
    message = forms.CharField(
        label=gettext_lazy("Message (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text=gettext_lazy(
            "Sent with the link, as you write it. The contact reads the record "
            "in their own language."
        ),
    )

    def __init__(self, *args, partner, **kwargs):
        super().__init__(*args, **kwargs)
        contact = self.fields["contact"]
        contact.queryset = PartnerContact.objects.filter(city=partner)
        # Which language the e-mail and page will be in, at a glance.
        contact.label_from_instance = lambda choice: (
            f"{choice} · {choice.email} · {choice.get_language_display()}"
        )


class WaitingFilter(admin.SimpleListFilter):
    """Links awaiting the partner, for more than the reminder's days, or expired."""

    title = gettext_lazy("waiting")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [
            ("awaiting", gettext_lazy("awaiting the partner")),
            (
                "overdue",
                gettext_lazy("awaiting for more than %(days)d days")
                % {"days": confirmations.REMIND_AFTER_DAYS},
            ),
            ("expired", gettext_lazy("expired unanswered")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset & ConfirmationRequest.objects.awaiting()
        if self.value() == "overdue":
            return queryset.filter(
                pk__in=confirmations.awaiting_longer_than().values("pk")
            )
        if self.value() == "expired":
            return queryset & ConfirmationRequest.objects.expired()
        return queryset


class ConfirmationPanelMixin:
    """For a visit's or a collaboration's admin: the partner's confirmation on
    the record's page, and the button that asks for it."""

    confirmation_fieldset = (
        gettext_lazy("Partner's confirmation"),
        {"fields": ("partner_confirmation",)},
    )

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None:
            fieldsets.append(self.confirmation_fieldset)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return (*super().get_readonly_fields(request, obj), "partner_confirmation")

    @admin.display(description=gettext_lazy("Partner's confirmation"))
    def partner_confirmation(self, obj):
        if obj is None or obj.pk is None:
            return ""
        requests = list(
            ConfirmationRequest.objects.of(obj).select_related("contact")[:10]
        )
        # The latest confirmation, even when more recent links push it off the list.
        confirmed = confirmations.confirmation_of(obj)
        kind = type(obj)._meta.model_name
        return render_to_string(
            "admin/partnerships/_confirmation_panel.html",
            {
                "confirmed": confirmed,
                "requests": [(r, state_of(r)) for r in requests],
                "send_url": reverse(
                    "admin:partnerships_confirmationrequest_send", args=[kind, obj.pk]
                ),
                "has_contacts": PartnerContact.objects.filter(
                    city=confirmations.partner_of(obj)
                ).exists(),
            },
        )


@admin.register(ConfirmationRequest)
class ConfirmationRequestAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contact", "state", "sent_at", "sent_by", "used_at")
    list_filter = (WaitingFilter, "status", "answer", "language")
    list_select_related = (
        "contact",
        "sent_by",
        "visit__partner_city",
        "visit__home_party",
        "collaboration__agreement__partner",
        "collaboration__agreement__home_party",
    )
    search_fields = ("contact__office", "respondent_name", "respondent_office")
    date_hierarchy = "sent_at"

    def get_urls(self):
        return [
            path(
                "send/<str:kind>/<int:pk>/",
                self.admin_site.admin_view(self.send_view),
                name="partnerships_confirmationrequest_send",
            ),
            *super().get_urls(),
        ]

    def has_add_permission(self, request):
        # Requests are made from a record's page ("Ask the partner to confirm").
        return False

    def has_delete_permission(self, request, obj=None):
        # A request is the record's evidence of what the partner said.
        return False

    @admin.display(description=gettext_lazy("state"))
    def state(self, obj):
        return state_of(obj)

    def send_view(self, request, kind, pk):
        """Ask the record's partner to confirm it: a contact and a message."""
        model = SENDABLE.get(kind)
        if model is None:
            raise Http404
        if not (
            request.user.has_perm(SEND)
            and request.user.has_perm(f"partnerships.change_{kind}")
        ):
            raise PermissionDenied
        record = get_object_or_404(model, pk=pk)
        partner = confirmations.partner_of(record)
        back = change_url(record)
        form = SendForm(request.POST or None, partner=partner)
        if request.method == "POST" and form.is_valid():
            contact = form.cleaned_data["contact"]
            try:
                confirmations.send(
                    record,
                    contact,
                    request.user,
                    form.cleaned_data["message"],
                    base_url=base_url(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Sent to %(contact)s (%(email)s), awaiting confirmation.")
                    % {"contact": contact, "email": contact.email},
                )
                return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ask the partner to confirm"),
            "opts": model._meta,
            "record": record,
            "partner": partner,
            "form": form,
            "back": back,
            "add_contact": reverse("admin:partnerships_partnercontact_add")
            + f"?city={partner.pk}",
        }
        return TemplateResponse(
            request, "admin/partnerships/confirmation_send.html", context
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The request's page: its state, revoke or re-send, and the answer with
        a decision for each correction."""
        confirmation = self.get_object(request, object_id)
        if confirmation is None or not self.has_view_permission(request, confirmation):
            raise Http404
        may_act = request.user.has_perm(DECIDE)
        if request.method == "POST":
            if not may_act:
                raise PermissionDenied
            return self.act(request, confirmation)
        record = confirmation.record
        proposals = self.proposals(confirmation, record)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Confirmation request #%(number)s") % {"number": object_id},
            "opts": self.opts,
            "original": confirmation,
            "confirmation": confirmation,
            "record": record,
            "record_url": change_url(record),
            "state": state_of(confirmation),
            "proposals": proposals,
            "undecided": any(row[4] is None for row in proposals),
            "may_act": may_act,
            "awaiting": confirmation.status == ConfirmationStatus.AWAITING,
            "decided": {
                CorrectionDecision.ACCEPTED: _("accepted"),
                CorrectionDecision.REJECTED: _("rejected"),
            },
        }
        return TemplateResponse(
            request, "admin/partnerships/confirmation_request.html", context
        )

    def proposals(self, confirmation, record):
        """``[(key, what, now, proposed, decision)]``: each correction beside
        what the record says now."""
        rows = []
        language = confirmation.get_language_display()
        for field, value in confirmation.corrections.items():
            label = record._meta.get_field(field).verbose_name
            if CORRECTABLE[type(record)][field] == "text":
                label = f"{label} ({language})"
            rows.append(
                (
                    field,
                    label,
                    self.current(record, field, confirmation.language),
                    value,
                    confirmation.decisions.get(field),
                )
            )
        members = (
            {member.pk: member for member in record.members.all()}
            if confirmation.members
            else {}
        )
        for index, change in enumerate(confirmation.members):
            key = f"member:{index}"
            member = members.get(change["member"])
            if member is not None:
                what = _("Delegation member")
            elif change["member"] is None:
                what = _("New delegation member")
            else:
                what = _("Delegation member no longer in the record")
            # A title goes to the language it is written in.
            what = f"{what} ({language})"
            proposed = " — ".join(
                part for part in (change["name"], change["title"]) if part
            )
            rows.append(
                (
                    key,
                    what,
                    str(member) if member else "",
                    proposed,
                    confirmation.decisions.get(key),
                )
            )
        return rows

    @staticmethod
    def current(record, field, language):
        """What the record says of ``field`` now; a text in the language the
        correction is written in (and goes to)."""
        how = CORRECTABLE[type(record)][field]
        if how == "date":
            return format_date(
                getattr(record, field), getattr(record, PRECISIONS[field])
            )
        if how == "text":
            return getattr(record, build_localized_fieldname(field, language)) or ""
        return "; ".join(str(related) for related in getattr(record, field).all())

    def act(self, request, confirmation):
        action = request.POST.get("action")
        here = change_url(confirmation)
        try:
            if action == "revoke":
                confirmations.revoke(confirmation, request.user)
                messages.success(request, _("The link is revoked: it no longer works."))
            elif action == "resend":
                new = confirmations.resend(
                    confirmation, request.user, base_url=base_url(request)
                )
                messages.success(
                    request, _("A new link is sent; the old one no longer works.")
                )
                here = change_url(new)
            elif action == "decide":
                return self.decide(request, confirmation, here)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(here)

    def decide(self, request, confirmation, here):
        accepted, rejected = [], []
        for key in confirmations.proposal_keys(confirmation):
            choice = request.POST.get(f"decision-{key}")
            if choice == CorrectionDecision.ACCEPTED:
                accepted.append(key)
            elif choice == CorrectionDecision.REJECTED:
                rejected.append(key)
        if not (accepted or rejected):
            messages.warning(
                request, _("Choose to accept or reject at least one correction.")
            )
            return redirect(here)
        draft, by_hand = confirmations.decide(
            confirmation, request.user, accepted, rejected
        )
        if draft is not None:
            messages.success(
                request,
                _(
                    "The accepted corrections wait for a Publisher as a draft: "
                    "the public page stays as it is until one approves them."
                ),
            )
        else:
            messages.success(request, _("Your decisions are saved."))
        if by_hand:
            labels = {
                key: str(what)
                for key, what, *_rest in self.proposals(
                    confirmation, confirmation.record
                )
            }
            messages.info(
                request,
                _("Change by hand on the record's page: %(fields)s.")
                % {"fields": "; ".join(labels.get(key, key) for key in by_hand)},
            )
        return redirect(here)
