"""CSRF protection for the partner's confirmation form, which cannot use Django's.

The page is served with ``Referrer-Policy: no-referrer`` so its address (which
holds the link's token) is never sent on. A browser then posts the form with
``Origin: null`` and no Referer, which Django's CSRF check must refuse (and on
HTTPS it needs one of them). So this form carries the signed double-submit
cookie OWASP describes instead: a random key in a ``SameSite=Strict``,
``HttpOnly`` cookie, and the same key signed with the secret key and bound to
the one request the page is for, in a hidden field. A cross-site page cannot make
the browser send a ``Strict`` cookie, nor read or forge the signed field; and
without the link's token it cannot even name the page to post to.
"""

import secrets

from django.conf import settings
from django.core import signing

COOKIE = "partnerships_form_key"
FIELD = "form_key"
SALT = "partnerships.public.form_keys"
#: How long a page's form stays good: a day's reading and writing.
MAX_AGE_SECONDS = 24 * 60 * 60
KEY_LENGTH = 43


def _cookie_key(request):
    key = request.COOKIES.get(COOKIE, "")
    return key if len(key) == KEY_LENGTH and key.isascii() else ""


def issue(request, scope):
    """``(key, field value)``: the browser's key (new if it has none) and the
    hidden field's value for a form about ``scope``."""
    key = _cookie_key(request) or secrets.token_urlsafe(32)
    return key, signing.dumps({"k": key, "s": scope}, salt=SALT, compress=False)


def set_cookie(response, key):
    response.set_cookie(
        COOKIE,
        key,
        max_age=MAX_AGE_SECONDS,
        secure=settings.CSRF_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )
    return response


def verify(request, scope):
    """Whether the posted form came from this site's page about ``scope``, in
    this browser."""
    key = _cookie_key(request)
    if not key:
        return False
    try:
        signed = signing.loads(
            request.POST.get(FIELD, ""), salt=SALT, max_age=MAX_AGE_SECONDS
        )
    except signing.BadSignature:
        return False
    return (
        isinstance(signed, dict)
        and secrets.compare_digest(str(signed.get("k", "")), key)
        and signed.get("s") == scope
    )
