"""The browser journeys: Playwright's sync API beside Django's ORM, and a summary."""

import os

# Playwright's sync API runs an asyncio event loop in the test's thread, and Django
# then refuses ORM calls there (SynchronousOnlyOperation) although nothing runs
# concurrently: the documented switch for this case.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from tests.e2e.helpers import ARTIFACTS, SKIP_REASON, run_state  # noqa: E402


def pytest_terminal_summary(terminalreporter):
    if run_state["skipped"]:
        terminalreporter.write_sep("-", "end-to-end tests")
        terminalreporter.write_line(SKIP_REASON, yellow=True, bold=True)
    if run_state["screenshots"]:
        terminalreporter.write_sep("-", "end-to-end screenshots")
        terminalreporter.write_line(
            f"{run_state['screenshots']} screenshots of the browser journeys in "
            f"{ARTIFACTS}"
        )
