"""Staff sessions: they end after a while without a request."""

import time

from django.conf import settings


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
