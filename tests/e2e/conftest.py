"""The browser journeys: Playwright's sync API beside Django's ORM, and a summary."""

import os
from pathlib import Path

import pytest

from tests.e2e.helpers import (
    ARTIFACTS,
    CHROMIUM,
    SKIP_REASON,
    e2e_required,
    run_state,
)

HERE = Path(__file__).parent


@pytest.fixture(scope="package", autouse=True)
def allow_orm_beside_playwright():
    """Playwright's sync API runs an asyncio event loop in the test's thread, and
    Django then refuses ORM calls there (SynchronousOnlyOperation) although nothing
    runs concurrently: the documented switch for this case, only while these run.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip the journeys before their live server starts.

    With E2E_REQUIRED=1 they run, and fail in setUpClass saying what is missing.
    """
    if CHROMIUM.exists() or e2e_required():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)
            run_state["skipped"] = True


def pytest_terminal_summary(terminalreporter):
    if run_state["skipped"]:
        terminalreporter.write_sep("-", "end-to-end tests")
        terminalreporter.write_line(SKIP_REASON, yellow=True, bold=True)
    if run_state["screenshots"]:
        terminalreporter.write_sep("-", "end-to-end screenshots")
        terminalreporter.write_line(
            f"{run_state['screenshots']} screenshots of the browser journeys in "
            f"{ARTIFACTS}, each page checked by axe-core "
            f"({run_state['axe_checks']} checks, no violation allowed)"
        )
