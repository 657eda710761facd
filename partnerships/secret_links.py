"""Responses that hold or answer a secret link (a partner's confirmation page, a
staff member's calendar feed and the page that makes it): kept out of every cache,
Referer header and search engine. Their tokens are kept out of the logs by
``foreignaffairs/access_log.py``."""

from django.utils.cache import add_never_cache_headers


def private(response, language=None):
    """``response`` with the headers every such response carries."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if language:
        response["Content-Language"] = language
    return response
