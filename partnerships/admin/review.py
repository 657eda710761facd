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
        "rows": publication.differences(draft, record) if record else [],
        "decides": decides,
        "form": form,
    }
    return TemplateResponse(request, "admin/partnerships/review_draft.html", context)
