"""Whole public pages in Django's cache, shared by every app server.

**Keys.** A page is stored under its scheme, host, path and language, and the
query *as the view reads it* (``cached_page``'s ``params``): the parameters it
knows, their valid values normalised and sorted, and the names of those it
ignores. Any other parameter (``?utm=…``) shares the canonical entry, so a
stream of new query strings cannot fill the cache or bypass it.

**Renewal.** Each key carries *generation* numbers kept in the cache itself: one
for the whole site and one per scope (``lists``: the partner list and the open
data; ``city:<slug>``: a partner's page). A change to a record bumps the scopes
it shows in (``invalidation.py``), at once and again when its transaction
commits, so a page rendered meanwhile from uncommitted data does not survive.
Writes that send no signals (``QuerySet.update()``, ``bulk_create``) call
``invalidate_public_pages()``, which renews every page.
``PARTNERSHIPS_PAGE_CACHE_SECONDS`` bounds how long a page can live in any case
(0 turns the cache off).

**When the cache is down** (Redis unreachable), pages are built uncached, saves
succeed, the log says so once a minute, and the first cache call that succeeds
afterwards renews every page: a change whose renewal was lost cannot leave a
stale page behind. A process that saw the outage leaves a marker file
(``PARTNERSHIPS_PAGE_RENEWAL_MARKER``), so a worker that never saw it, or
outlived the one that did, renews them too.
"""

import contextlib
import functools
import hashlib
import logging
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse, QueryDict
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

EVERYTHING = "all"
LISTS = "lists"
GENERATION_KEY = "partnerships:public-pages:generation"
# The pages live in the default cache: Redis, shared by every app server, when
# REDIS_URL is set.
PAGES_ALIAS = "default"
GENERATION_ALIAS = "page-generation"
# Headers a cached page keeps; the middleware adds the rest on every response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")
#: How often the log repeats that the cache is down, in seconds.
DOWN_LOG_INTERVAL = 60


def page_cache():
    return caches[PAGES_ALIAS]


def timeout():
    return settings.PARTNERSHIPS_PAGE_CACHE_SECONDS


def generation_cache():
    """Where the generations live: with the pages, unless settings give them a
    cache every process of this machine shares (local memory is one process's
    alone, and a save in one gunicorn worker must renew the pages of all)."""
    if GENERATION_ALIAS in settings.CACHES:
        return caches[GENERATION_ALIAS]
    return page_cache()


# A cache that may be down ------------------------------------------------------


class Outage:
    """This process's view of the cache: down since when, and whether every page
    must be renewed once it is back."""

    down_since = None
    logged_at = None
    renew_all = False


outage = Outage()


def attempt(operation, default=None):
    """``operation()``, or ``default`` if the cache cannot be reached."""
    try:
        result = operation()
    except Exception as error:  # noqa: BLE001 (any backend's connection errors)
        cache_down(error)
        return default
    if outage.down_since is not None or outage.renew_all:
        # Back: every page is renewed first, and the answer read again after.
        cache_back()
        try:
            result = operation()
        except Exception as error:  # noqa: BLE001
            cache_down(error)
            return default
    return result


def cache_down(error):
    now = time.monotonic()
    if outage.down_since is None:
        outage.down_since = now
    # What this process failed to read or renew may be stale once it is back;
    # the marker tells every other process too (they may not see the outage).
    # Left once per outage, not on every failed call.
    if not outage.renew_all:
        outage.renew_all = True
        with contextlib.suppress(OSError):
            Path(settings.PARTNERSHIPS_PAGE_RENEWAL_MARKER).touch()
    if outage.logged_at is None or now - outage.logged_at >= DOWN_LOG_INTERVAL:
        outage.logged_at = now
        logger.error(
            "The cache is unavailable (%s): public pages are built uncached, and "
            "every cached page will be renewed once it is back.",
            error.__class__.__name__,
        )


def cache_back():
    outage.down_since = outage.logged_at = None
    if outage.renew_all:
        outage.renew_all = False
        logger.warning("The cache is back: every cached public page is renewed.")
        invalidate([EVERYTHING])
        if not outage.renew_all:  # renewed: no one need do it again
            with contextlib.suppress(OSError):
                Path(settings.PARTNERSHIPS_PAGE_RENEWAL_MARKER).unlink(missing_ok=True)


def renewal_pending():
    """Whether some process of this machine failed to renew the pages during
    an outage (its marker file), so this one must renew them all first."""
    if not outage.renew_all and os.path.exists(
        settings.PARTNERSHIPS_PAGE_RENEWAL_MARKER
    ):
        outage.renew_all = True


def cache_status():
    """ "ok" or "down", by trying the cache now (for ``/healthz``)."""
    key = f"{GENERATION_KEY}:health"
    works = attempt(lambda: page_cache().set(key, 1, 5) or True, default=False)
    return "ok" if works else "down"


# Generations -------------------------------------------------------------------


def scope_key(scope):
    return f"{GENERATION_KEY}:{scope}"


def scope_timeout(scope):
    """How long a scope's generation is kept: for ever for the site's and the
    lists', a while for a page's (an address asked for, existing or not, must
    not leave a key for ever; a lost one only renews that page)."""
    if scope in (EVERYTHING, LISTS):
        return None
    return max(2 * timeout(), 3600)


def generations(scopes):
    """The scopes' current generations as one text, or None if the cache is
    down. A missing one is started from the clock, so a lost key never repeats."""
    cache = generation_cache()
    keys = {scope_key(scope): scope for scope in scopes}
    found = attempt(lambda: cache.get_many(list(keys)))
    if found is None:
        return None
    missing = [key for key in keys if key not in found]
    if missing:
        for key in missing:
            attempt(
                lambda key=key: cache.add(
                    key, time.time_ns(), timeout=scope_timeout(keys[key])
                )
            )
        found = attempt(lambda: cache.get_many(list(keys))) or {}
        if any(key not in found for key in keys):
            return None
    return ":".join(str(found[key]) for key in keys)


def generation():
    """The whole site's generation (what ``invalidate_public_pages`` bumps)."""
    return generations([EVERYTHING])


def invalidate(scopes):
    """Renew the pages of ``scopes`` (``EVERYTHING``, ``LISTS``, ``city:<slug>``)."""
    cache = generation_cache()
    for scope in scopes:
        key = scope_key(scope)

        def bump(key=key, scope=scope):
            try:
                cache.incr(key)
            except ValueError:  # not started yet (or evicted)
                cache.set(key, time.time_ns(), timeout=scope_timeout(scope))

        attempt(bump)


def invalidate_public_pages():
    """Make every cached public page out of date."""
    invalidate([EVERYTHING])


def invalidate_now_and_on_commit(scopes=(EVERYTHING,)):
    """At once, and again when the transaction commits.

    A page a concurrent request renders meanwhile from the data not yet committed
    does not survive the commit.
    """
    scopes = list(scopes)
    invalidate(scopes)
    transaction.on_commit(lambda: invalidate(scopes), robust=True)


# Pages -------------------------------------------------------------------------


def cacheable(request):
    """Anonymous GETs only: what staff see is never stored or served from here."""
    if timeout() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def no_params(request):
    """For a page that reads no query parameter: one entry, whatever is asked."""
    return QueryDict(), ""


def page_key(request, scopes, params):
    """The page's key, or None when the cache is down; ``request.GET`` becomes
    the query the view reads (``params``)."""
    renewal_pending()
    stamp = generations(scopes)
    if stamp is None:
        return None
    query, canonical = params(request)
    request.GET = query
    address = f"{request.scheme}://{request.get_host()}{request.path}?{canonical}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    return f"partnerships:public-page:{stamp}:{language}:{digest}"


def cached_page(scopes, params=no_params):
    """Serve a view's successful anonymous GETs from the page cache.

    ``scopes(request, **kwargs)``: the generations the page depends on.
    ``params(request)``: ``(query the view reads, its canonical text)``.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not cacheable(request):
                return view(request, *args, **kwargs)
            key = page_key(request, scopes(request, **kwargs), params)
            if key is None:
                return view(request, *args, **kwargs)
            stored = attempt(lambda: page_cache().get(key))
            if stored is not None:
                status, headers, content = stored
                response = HttpResponse(content, status=status)
                for name, value in headers:
                    response[name] = value
                response["X-Page-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not carries_a_form(response)
            ):
                headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
                entry = (response.status_code, headers, response.content)
                attempt(lambda: page_cache().set(key, entry, timeout()))
                response["X-Page-Cache"] = "miss"
            return response

        return wrapper

    return decorator


def carries_a_form(response):
    """A page with a form's CSRF token is one reader's own: never stored (the
    contact page is not cached at all; this keeps any other out too)."""
    return b"csrfmiddlewaretoken" in response.content


def site_scopes(request, **kwargs):
    """A page that shows no record: renewed with every page."""
    return [EVERYTHING]


def list_scopes(request, **kwargs):
    return [EVERYTHING, LISTS]


def city_scopes(request, slug, **kwargs):
    return [EVERYTHING, f"city:{slug}"]
