"""What every request goes through before any view reads it."""

import re

from django.conf import settings
from django.http import HttpResponse, QueryDict
from django.middleware.gzip import GZipMiddleware
from django.utils.translation import gettext as _

NUL = "\x00"


class StripNulMiddleware:
    """Query parameters without NUL characters.

    PostgreSQL refuses a NUL in any text (``psycopg.DataError``), so a filter,
    a search or an autocomplete given ``%00`` would answer 500. No one types a
    NUL; it is dropped, and the rest of the value is used as any other.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            NUL in key or any(NUL in value for value in values)
            for key, values in request.GET.lists()
        ):
            request.GET = without_nul(request.GET)
        return self.get_response(request)


def without_nul(query):
    cleaned = QueryDict(mutable=True)
    for key, values in query.lists():
        cleaned.setlist(
            key.replace(NUL, ""), [value.replace(NUL, "") for value in values]
        )
    cleaned._mutable = False
    return cleaned


#: Where a request may carry an uploaded file: the imports, and the forms of
#: records with a photo or a document (added or changed).
UPLOAD_PATHS = re.compile(
    r"^/(?:[a-z-]+/)?admin/partnerships/(?:"
    r"[a-z]+/(?:import|process_import)/"
    r"|(?:city|agreement|sitesettings)/(?:add|[^/]+/change|[^/]+/history/\d+)/"
    r")$"
)
#: The public's contact form, in any language: a long message in Chinese is
#: larger than the other public forms take.
CONTACT_PATHS = re.compile(r"^/(?:[a-z-]+/)?contact/$")
#: A partner's answer to a confirmation request (several texts), in any language.
CONFIRM_PATHS = re.compile(r"^/(?:[a-z-]+/)?confirm/[^/]+/$")
#: The admin, in any language.
ADMIN_PATHS = re.compile(r"^/(?:[a-z-]+/)?admin/")
#: Where staff send forms of any size (the rest of the admin, once signed in).
STAFF_PATHS = re.compile(r"^/(?:[a-z-]+/)?admin/(?!login/)")


def body_limit(request):
    """The most bytes a request may send (settings): by its address, and only
    for signed-in staff more than the public's few kilobytes (the contact form
    a little more, for a long message)."""
    public = settings.REQUEST_MAX_PUBLIC_BYTES
    if CONTACT_PATHS.match(request.path_info):
        public = max(public, settings.REQUEST_MAX_CONTACT_BYTES)
    elif CONFIRM_PATHS.match(request.path_info):
        public = max(public, settings.REQUEST_MAX_CONFIRM_BYTES)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_staff:
        return public
    if UPLOAD_PATHS.match(request.path_info):
        return settings.REQUEST_MAX_UPLOAD_BYTES
    if STAFF_PATHS.match(request.path_info):
        return settings.REQUEST_MAX_STAFF_BYTES
    return public


class BodyLimitMiddleware:
    """A request whose body is larger than its address allows is refused with
    413 before any of it is read (public pages and the sign-in take a few
    kilobytes; uploads up to the largest file a form accepts)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        # The user is looked up only for a body larger than anyone may send.
        if length > settings.REQUEST_MAX_PUBLIC_BYTES and length > body_limit(request):
            response = HttpResponse(
                _("This request is too large."),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
            # The body was not read: the connection cannot be reused.
            response["Connection"] = "close"
            return response
        return self.get_response(request)


#: What ``PublicGZipMiddleware`` compresses: pages and the open data.
COMPRESSED_TYPES = ("text/html", "application/json", "text/csv")


class PublicGZipMiddleware(GZipMiddleware):
    """Compress what the public reads (pages, open data), and nothing that may
    carry a secret: not the admin, not a signed-in user's pages, not a page with
    a CSRF token (a compressed secret beside reflected text leaks its length,
    the BREACH attack)."""

    def process_response(self, request, response):
        if ADMIN_PATHS.match(request.path_info):
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return response
        if response.status_code != 200 or not response.get(
            "Content-Type", ""
        ).startswith(COMPRESSED_TYPES):
            # Images, documents and fonts are compressed already, or served
            # in ranges a compressed body would break.
            return response
        if not response.streaming and b"csrfmiddlewaretoken" in response.content:
            return response
        return super().process_response(request, response)
