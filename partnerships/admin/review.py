"""The Publishers' review of drafts: the queue at ``/admin/review/`` and a page
per draft with its differences, Approve and "Send back with a comment"."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import publication
from ..models import PUBLISHABLE_MODELS, Draft, DraftStatus
from ..publication import can_publish


class SendBackForm(forms.Form):
    comment = forms.CharField(
        label=_("Why it goes back (the author reads this)"),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        max_length=2000,
    )


def may_review(user):
    return user.is_active and user.is_staff


def queue_view(request):
    """Pending drafts, newest first; ``?type=visit`` and ``?author=<id>``."""
    if not may_review(request.user):
        raise PermissionDenied
    drafts = Draft.objects.pending().select_related("author", "content_type")
    types = {model._meta.model_name: model for model in PUBLISHABLE_MODELS}
    chosen_type = request.GET.get("type", "")
    if chosen_type in types:
        drafts = drafts.filter(
            content_type=ContentType.objects.get_for_model(types[chosen_type])
        )
    chosen_author = request.GET.get("author", "")
    if chosen_author.isdigit():
        drafts = drafts.filter(author_id=int(chosen_author))
    authors = get_user_model().objects.filter(
        pk__in=Draft.objects.pending().values("author")
    )
    context = {
        **admin.site.each_context(request),
        "title": gettext("Changes waiting for review"),
        "drafts": [
            (draft, record, draft.content_type.model_class()._meta.verbose_name)
            for draft, record in publication.with_records(drafts)
        ],
        "types": [
            (name, model._meta.verbose_name_plural) for name, model in types.items()
        ],
        "authors": authors,
        "chosen_type": chosen_type,
        "chosen_author": chosen_author,
    }
    return TemplateResponse(request, "admin/partnerships/review_queue.html", context)


def draft_view(request, pk):
    """One draft: its differences, and Approve or Send back for a Publisher."""
    if not may_review(request.user):
        raise PermissionDenied
    draft = get_object_or_404(Draft.objects.select_related("author"), pk=pk)
    record = draft.record()
    model = draft.content_type.model_class()
    decides = (
        draft.status == DraftStatus.PENDING
        and record is not None
        and can_publish(request.user, model)
    )
    form = SendBackForm(request.POST or None)
    if request.method == "POST":
        if not decides:
            raise PermissionDenied
        if "approve" in request.POST:
            publication.approve(draft, request.user)
            messages.success(
                request,
                gettext("Approved: “%(record)s” now shows this change.")
                % {"record": record},
            )
            return HttpResponseRedirect(reverse("admin:review"))
        if form.is_valid():
            publication.send_back(draft, request.user, form.cleaned_data["comment"])
            messages.success(
                request,
                gettext("Sent back to %(author)s.") % {"author": draft.author},
            )
            return HttpResponseRedirect(reverse("admin:review"))
    context = {
        **admin.site.each_context(request),
        "title": gettext("Change to “%(record)s”") % {"record": record or draft},
        "draft": draft,
        "record": record,
        "opts": model._meta,
        "authors": publication.authors(draft),
        "rows": differences(draft, record) if record else [],
        "decides": decides,
        "form": form,
    }
    return TemplateResponse(request, "admin/partnerships/review_draft.html", context)


# The differences a review page shows -----------------------------------------


def differences(draft, record):
    """The draft against the live record, field by field and in every
    language: ``[(label, live, proposed, changed since the draft began)]``."""
    model = type(record)
    live = publication.as_json(publication.current(record, draft.proposed))
    moved = set(publication.conflicts(draft, record))
    rows = []
    for name, value in draft.proposed["fields"].items():
        field = model._meta.get_field(name)
        rows.append(
            (
                capfirst(str(field.verbose_name)),
                shown(field, live["fields"][name]),
                shown(field, value),
                ("fields", name) in moved,
            )
        )
    for name, ids in draft.proposed["m2m"].items():
        field = model._meta.get_field(name)
        names = field.related_model._default_manager.in_bulk([*ids, *live["m2m"][name]])
        rows.append(
            (
                capfirst(str(field.verbose_name)),
                "; ".join(str(names[pk]) for pk in live["m2m"][name] if pk in names),
                "; ".join(str(names[pk]) for pk in ids if pk in names),
                ("m2m", name) in moved,
            )
        )
    for accessor, proposed_rows in draft.proposed["children"].items():
        manager = getattr(record, accessor)
        rows.append(
            (
                capfirst(str(manager.model._meta.verbose_name_plural)),
                "\n".join(
                    child_text(manager, row) for row in live["children"][accessor]
                ),
                "\n".join(child_text(manager, row) for row in proposed_rows),
                ("children", accessor) in moved,
            )
        )
    return rows


def shown(field, value):
    """A stored value of ``field`` for people."""
    if value in (None, ""):
        return "—"
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return str(value)


def child_text(manager, row):
    """A child row (``child_rows``' form) as its record would name itself."""
    child = manager.model()
    publication.assign(child, row)
    return str(child)
