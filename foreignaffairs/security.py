"""Who is asking (the client address login protection counts), and staff sessions."""

import time

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


class SessionIdleMiddleware:
    """Staff sessions end after ``SESSION_COOKIE_AGE`` without a request.

    Saving the session on every request (``SESSION_SAVE_EVERY_REQUEST``) costs
    three queries a page; renewing it at most every ``SESSION_REFRESH_SECONDS``
    keeps the idle timeout to within those seconds. Anonymous readers get no
    session at all. Goes after the authentication middleware.
    """

    key = "_fa_renewed"

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs):
        """Signing in renews the session (connected in the app's ``ready``)."""
        if request is not None and hasattr(request, "session"):
            request.session[cls.key] = int(time.time())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Without a session cookie there is nothing to renew, and reading the
        # session would add "Vary: Cookie" to every public page.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            renewed = request.session.get(self.key, 0)
            if not isinstance(renewed, int) or now - renewed >= (
                settings.SESSION_REFRESH_SECONDS
            ):
                request.session[self.key] = now
        return response
