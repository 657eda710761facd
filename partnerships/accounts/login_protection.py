"""django-axes' glue: who is asking, and the page a locked-out user sees."""

from django.conf import settings
from django.utils.translation import gettext as _


def client_ip(request):
    """The client's address, from what our own proxies say and nothing else.

    Without a proxy, the socket's address: a client's X-Forwarded-For is ignored.
    Behind ``DJANGO_TRUSTED_PROXIES`` proxies, each appends the address it saw, so
    the entry that many places from the right is the one no client can forge;
    everything left of it is the client's own say and is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' lockout page, inside the admin's own frame and header."""
    from django.contrib import admin
    from django.shortcuts import render

    context = {
        **admin.site.each_context(request),
        "title": _("Too many failed sign-in attempts"),
    }
    return render(
        request,
        "registration/locked_out.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
