"""Whole public pages in Django's cache, shared by every app server.

A page is stored under its full address (path and query string), host and
language, together with a *generation* number kept in the cache itself. Saving or
deleting any record of this app (or changing a many-to-many link) bumps the
generation, so every cached page is at once out of date: nothing needs to know which
pages a record appears on, and an unpublished record can never be served from an
older copy. The bump happens at once and again when the transaction commits, so a
page a concurrent request renders from not-yet-committed data does not survive it.

Writes that send no signals (``QuerySet.update()``, ``bulk_create``) must call
``invalidate_public_pages()``; ``PARTNERSHIPS_PAGE_CACHE_SECONDS`` bounds how long a
page can live in any case (0 turns the cache off).
"""

import functools
import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.translation import get_language

APP_LABEL = "partnerships"
GENERATION_KEY = "partnerships:public-pages:generation"
# The pages live in the default cache: Redis, shared by every app server, when
# REDIS_URL is set.
PAGES_ALIAS = "default"
GENERATION_ALIAS = "page-generation"
# Headers a cached page keeps; the middleware adds the rest on every response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition")


def page_cache():
    return caches[PAGES_ALIAS]


def timeout():
    return settings.PARTNERSHIPS_PAGE_CACHE_SECONDS


def generation_cache():
    """Where the generation lives: with the pages, unless settings give it a cache
    every process of this machine shares (local memory is one process's alone, and
    a save in one gunicorn worker must renew the pages of all of them)."""
    if GENERATION_ALIAS in settings.CACHES:
        return caches[GENERATION_ALIAS]
    return page_cache()


def generation():
    """The current generation; started from the clock so a lost key never repeats."""
    cache = generation_cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


def invalidate_public_pages():
    """Make every cached public page out of date."""
    cache = generation_cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or it was evicted)
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def page_key(request):
    address = f"{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    return f"partnerships:public-page:{generation()}:{language}:{digest}"


def cacheable(request):
    """Anonymous GETs only: what staff see is never stored or served from here."""
    if timeout() <= 0 or request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def cached_page(view):
    """Serve ``view``'s successful anonymous GETs from the page cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        stored = page_cache().get(key)
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
        ):
            headers = [(h, response[h]) for h in KEPT_HEADERS if h in response]
            page_cache().set(
                key, (response.status_code, headers, response.content), timeout()
            )
            response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def invalidate_now_and_on_commit():
    """At once, and again when the transaction commits.

    A page a concurrent request renders meanwhile from the data not yet committed
    does not survive the commit.
    """
    invalidate_public_pages()
    transaction.on_commit(invalidate_public_pages, robust=True)


def record_changed(sender, **kwargs):
    if sender._meta.app_label != APP_LABEL:
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return
    invalidate_now_and_on_commit()


def connect():
    """Called from the app's ``ready()``: any change to our records bumps it."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(record_changed, dispatch_uid=f"partnerships-cache-{signal!r}")
