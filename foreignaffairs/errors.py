"""Error views: a lost database answers 503 with a page, never a stack trace; a
refused form, the site's own page (Django's has an inline style the CSP blocks)."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import requires_csrf_token
from django.views.defaults import server_error as default_server_error

logger = logging.getLogger(__name__)


@requires_csrf_token
def server_error(request):
    """Django calls this inside its ``except`` block, so the error is at hand.

    While the database is down or restarting the answer is 503 with Retry-After;
    Django reconnects on the next request (``CONN_HEALTH_CHECKS``), so the site
    recovers by itself once the database is back.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logger.error("Database unavailable: %s", error.__class__.__name__)
        # A static page: rendering must not need the database that just failed.
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        return response
    return default_server_error(request)


def csrf_failure(request, reason=""):
    """A form refused for its missing or stale CSRF token (``CSRF_FAILURE_VIEW``).

    The reason is for the log, not the page: it names cookies and headers.
    """
    logger.warning("Form refused (CSRF): %s", reason)
    return HttpResponse(render_to_string("403_csrf.html", request=request), status=403)
