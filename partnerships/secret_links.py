"""Secret links (a partner's confirmation page, a staff member's calendar feed):
the hash their tokens are stored and looked up by, so a copy of the database opens
nothing; and the headers that keep every response holding or answering one out of
caches, Referer headers and search engines. Their tokens are kept out of the logs
by ``foreignaffairs/access_log.py``."""

import hashlib

from django.utils.cache import add_never_cache_headers


def token_hash(token):
    """The hash a link's token is stored and looked up by (SHA-256, in hex)."""
    return hashlib.sha256(token.encode()).hexdigest()


def private(response, language=None):
    """``response`` with the headers every such response carries."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    if language:
        response["Content-Language"] = language
    return response
