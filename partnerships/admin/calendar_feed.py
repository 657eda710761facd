"""A staff member's private calendar feed: the page to make, replace or revoke its
secret link (``admin:calendar``), and the feed the link opens
(``admin:calendar-feed``), read by calendar programs without signing in."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import calendar_feeds
from ..public.calendars import calendar_response
from ..secret_links import private


def calendar_page(request):
    """The signed-in staff member's feed: made, replaced or revoked (POST)."""
    user = request.user
    if not calendar_feeds.may_have_feed(user):
        raise PermissionDenied
    token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            token = calendar_feeds.issue(user)
        elif action == "revoke":
            if calendar_feeds.revoke(user):
                messages.success(
                    request, _("Your calendar link is revoked: it no longer works.")
                )
            return redirect("admin:calendar")
    context = {
        **admin.site.each_context(request),
        "title": _("Your calendar"),
        "feed": calendar_feeds.feed_of(user),
        "link": token
        and request.build_absolute_uri(reverse("admin:calendar-feed", args=[token])),
    }
    return private(
        TemplateResponse(request, "admin/partnerships/calendar_feed.html", context)
    )


@require_GET
def calendar_feed(request, token):
    """The feed a secret link opens; the same 404 for any link that opens none."""
    feed = calendar_feeds.open_feed(token)
    if feed is None:
        raise Http404
    name = _("Partnerships: %(user)s's calendar") % {
        "user": feed.user.get_short_name() or feed.user.get_username()
    }
    return private(calendar_response(request, calendar_feeds.events(), name))
