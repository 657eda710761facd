"""The cache in tests: each run keys its own entries; the page cache is off by default.

Tests change records with ``QuerySet.update()`` and lose them in a rollback, neither
of which sends a signal, so a page cached by one step would be served to the next;
tests of the page cache (tests/test_cache.py) turn it on with ``override_settings``.
With Redis shared by several test runs at once, each run keys its entries apart.
Import previews stay in the temporary folder, where tests/test_resources.py reaches
them; tests/test_cache.py covers them in the shared cache.
"""

import os
import tempfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import translation

from partnerships.public import cache as page_cache


@pytest.fixture(scope="session", autouse=True)
def cache_of_this_run(django_test_environment):
    prefix = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    caches = {
        alias: {**config, "KEY_PREFIX": prefix}
        for alias, config in settings.CACHES.items()
    }
    marker = Path(tempfile.gettempdir()) / f"{prefix}-renew-pages"
    with override_settings(
        CACHES=caches,
        # Each run its own: an outage test's marker must not renew another
        # run's pages in the middle of its cache tests.
        PARTNERSHIPS_PAGE_RENEWAL_MARKER=str(marker),
        PARTNERSHIPS_PAGE_CACHE_SECONDS=0,
        IMPORT_EXPORT_TMP_STORAGE_CLASS="import_export.tmp_storages.TempFolderStorage",
    ):
        yield
    marker.unlink(missing_ok=True)


@pytest.fixture(autouse=True)
def no_cached_pages(cache_of_this_run):
    page_cache.invalidate_public_pages()


# PostgreSQL-only tests ---------------------------------------------------------------
# ``@pytest.mark.postgresql_only(reason=...)``: skipped on any other database, and
# listed by name at the end of the run, so the SQLite pass says what it left out.

POSTGRESQL_ONLY = "postgresql_only"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        f"{POSTGRESQL_ONLY}(reason): runs only when DATABASE_URL is PostgreSQL",
    )


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    for item in items:
        marker = item.get_closest_marker(POSTGRESQL_ONLY)
        if marker is not None:
            reason = marker.kwargs.get("reason", "PostgreSQL only")
            item.add_marker(pytest.mark.skip(reason=f"PostgreSQL only: {reason}"))


def pytest_terminal_summary(terminalreporter):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if POSTGRESQL_ONLY in report.keywords
    ]
    if not skipped:
        return
    terminalreporter.section(
        f"PostgreSQL-only tests skipped on {connection.vendor}", sep="-"
    )
    for report in skipped:
        terminalreporter.line(report.nodeid)


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's language.

    A request leaves its language active in the thread (LocaleMiddleware does not
    reset it), and records' translated fields are read and looked up in the
    active language: a test after a Chinese page would otherwise read Chinese.
    """
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
