"""The contact form's defences against spam, with nothing sent to anyone else.

- **Honeypot**: a field people never see (hidden by the stylesheet, out of the
  tab order and the accessibility tree); a program that fills every field fills
  it, and what it sent is dropped as if received.
- **Minimum fill time**: the form carries the moment it was shown, signed with
  the site's secret (``stamp``); sent back sooner than ``MINIMUM_FILL_SECONDS``,
  or with no valid stamp, it is shown again to be sent once more.
- **Rate limit**: one client address, and one e-mail address, send at most
  ``PARTNERSHIPS_REQUESTS_PER_HOUR`` requests an hour, counted in the cache
  (Redis, shared by every app server). A cache that is down counts nothing: the
  other rules still hold.
- **No exact repeat**: a message received in the last ``REPEAT_DAYS`` days,
  from anyone, is refused (compared by a keyed digest, ``fingerprint``).
"""

import hashlib
import hmac
import logging
import re
import time

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from ..accounts.login_protection import client_ip

logger = logging.getLogger(__name__)

STAMP_SALT = "partnerships.public.contact.shown"
#: A person takes longer than this to fill the form in.
MINIMUM_FILL_SECONDS = 3
#: A form shown longer ago than this is sent again (a stamp is not for ever).
MAXIMUM_FORM_AGE_SECONDS = 24 * 60 * 60
REPEAT_DAYS = 30
WINDOW_SECONDS = 60 * 60
RATE_KEY = "partnerships:contact-rate"


def now():
    return time.time()


def stamp(moment=None):
    """The signed moment the form is shown."""
    return signing.dumps(int(moment if moment is not None else now()), salt=STAMP_SALT)


def form_age(value, moment=None):
    """Seconds since the form carrying ``value`` was shown; None if not ours."""
    try:
        shown = signing.loads(value or "", salt=STAMP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(shown, int):
        return None
    return (moment if moment is not None else now()) - shown


# The rate limit -----------------------------------------------------------------


def _keys(request, email, prefix=RATE_KEY):
    """The counters a request from ``request`` for ``email`` counts against.

    Digests, not the addresses: the cache keeps no personal data.
    """
    keys = []
    for kind, value in (("ip", client_ip(request)), ("email", email.strip().lower())):
        if value:
            digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()
            keys.append(f"{prefix}:{kind}:{digest}")
    return keys


def _cache():
    return caches["default"]


def over_limit(request, email=""):
    """Whether this address (or this e-mail address) has sent its hour's worth."""
    limit = settings.PARTNERSHIPS_REQUESTS_PER_HOUR
    try:
        counts = _cache().get_many(_keys(request, email))
    except Exception as error:  # noqa: BLE001 (any backend's connection errors)
        logger.warning("Contact form rate limit not checked: %s", type(error).__name__)
        return False
    return any(count >= limit for count in counts.values())


def count(request, email="", prefix=RATE_KEY):
    """Count one more request (or attempt at spam) for the hour; the highest of
    its counters after it (0 when the cache is down: nothing is counted)."""
    highest = 0
    try:
        cache = _cache()
        for key in _keys(request, email, prefix):
            # The hour starts with the first request; incr keeps its expiry.
            counted = 1 if cache.add(key, 1, WINDOW_SECONDS) else cache.incr(key)
            highest = max(highest, counted)
    except Exception as error:  # noqa: BLE001
        logger.warning("Request not counted (%s): %s", prefix, type(error).__name__)
    return highest


# Repeats ------------------------------------------------------------------------

SPACES = re.compile(r"\s+")


def fingerprint(message):
    """A keyed digest of the message as written, whatever its spacing or case."""
    text = SPACES.sub(" ", message).strip().casefold()
    key = f"{STAMP_SALT}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
