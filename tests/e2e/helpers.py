"""The base class of the browser journeys: a live server, headless Chromium, and a
watch on the browser console.

Every test gets a fresh browser context (no cookies from the previous test), and
fails if the console showed an error or a warning (CSP violations are console
errors) or a script on the page threw. Screenshots of the key steps go to
``test-artifacts/e2e/<test>/NN-step.png``, and each page so shown is checked by
axe-core (axe-playwright-python): a step fails if axe finds any violation.
"""

import contextlib
import os
import re
import shutil
import unittest
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.db import connections
from django.test import override_settings
from playwright.sync_api import expect

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SKIP_REASON = "Chromium not installed: end-to-end tests skipped"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
PASSWORD = "a-long-test-password"

# What the terminal summary reports (see conftest.py).
run_state = {"screenshots": 0, "axe_checks": 0, "skipped": False}
AXE = Axe()

# Console message types that fail a test. "log", "info" and "debug" are what the
# page chooses to say; errors and warnings are what the browser objects to.
PROBLEM_TYPES = {"error", "warning"}


def e2e_required():
    return os.environ.get("E2E_REQUIRED", "") not in ("", "0")


def require_chromium():
    """Skip when Chromium is missing, unless E2E_REQUIRED=1 (CI): then fail."""
    if CHROMIUM.exists():
        return
    if e2e_required():
        raise RuntimeError(
            f"E2E_REQUIRED=1 but Chromium is not installed at {CHROMIUM}; "
            "install the Debian package 'chromium' (see .ci/run)."
        )
    run_state["skipped"] = True
    raise unittest.SkipTest(SKIP_REASON)


# Argon2 takes about a second a password here, and the journeys sign in a dozen
# times; how passwords are hashed is not what these tests are about.
@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class BrowserTestCase(StaticLiveServerTestCase):
    """A live server with the seed data, and one headless Chromium per class."""

    fixtures = ["seed"]
    # The sectors and groups come from data migrations; a live-server test empties
    # the tables after each test, so they are restored before the next one.
    serialized_rollback = True
    viewport = {"width": 1280, "height": 900}

    @classmethod
    def setUpClass(cls):
        require_chromium()
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        # Between its calls Playwright marks its event loop as running, and Django
        # then keeps database connections per asyncio context instead of per
        # thread: the test would get a second connection without the test
        # database's saved state (serialized_rollback), and on SQLite one that the
        # live server does not share. The test keeps using the thread's own.
        own_connections = {alias: connections[alias] for alias in connections}
        try:
            cls.playwright = sync_playwright().start()
            for alias, connection in own_connections.items():
                connections[alias] = connection
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except Exception:
            if getattr(cls, "playwright", None) is not None:
                cls.playwright.stop()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.console_problems = []
        self.expected_problems = []
        self.shot_number = 0
        self.artifacts = ARTIFACTS / f"{type(self).__name__}.{self._testMethodName}"
        shutil.rmtree(self.artifacts, ignore_errors=True)
        self.context = self.new_context()
        self.page = self.context.new_page()
        self.addCleanup(self.check_console)
        self.addCleanup(self.close_context)

    def new_context(self):
        context = self.browser.new_context(
            viewport=self.viewport,
            locale="en-GB",
            timezone_id=settings.TIME_ZONE,
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        context.on("console", self.on_console)
        context.on("weberror", self.on_page_error)
        return context

    def close_context(self):
        if self.context is not None:
            with contextlib.suppress(Exception):
                self.shot("end")
            self.context.close()
            self.context = None

    # The console ------------------------------------------------------------

    def on_console(self, message):
        if message.type not in PROBLEM_TYPES:
            return
        where = message.location.get("url", "") if message.location else ""
        self.console_problems.append(f"console {message.type}: {message.text} {where}")

    def on_page_error(self, web_error):
        url = web_error.page.url if web_error.page else ""
        self.console_problems.append(f"page error: {web_error.error} {url}")

    @contextlib.contextmanager
    def expect_console_error(self, pattern, reason):
        """Within the block, console errors matching ``pattern`` are expected.

        At least one must appear (so this cannot hide anything by accident), and
        ``reason`` says why the browser is right to complain there.
        """
        assert reason, "say why this console error is expected"
        before = len(self.console_problems)
        yield
        seen = self.console_problems[before:]
        matching = [text for text in seen if re.search(pattern, text)]
        self.assertTrue(
            matching, f"expected a console error matching {pattern!r}; saw {seen}"
        )
        self.console_problems[before:] = [t for t in seen if t not in matching]
        self.expected_problems.extend(matching)

    def check_console(self):
        self.assertEqual(
            self.console_problems,
            [],
            "The browser console reported errors, warnings or CSP violations.",
        )

    # Steps ------------------------------------------------------------------

    def shot(self, step):
        """Save a full-page screenshot as NN-step.png in the test's folder, after
        checking the page with axe-core."""
        self.check_accessibility(step)
        self.shot_number += 1
        self.artifacts.mkdir(parents=True, exist_ok=True)
        name = f"{self.shot_number:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower())}"
        self.page.screenshot(path=self.artifacts / f"{name}.png", full_page=True)
        run_state["screenshots"] += 1

    def check_accessibility(self, step):
        """Fail if axe-core finds a violation of any impact on the page."""
        before = len(self.console_problems)
        # No preload: axe would fetch the stylesheets again by itself.
        violations = AXE.run(self.page, options={"preload": False}).response[
            "violations"
        ]
        run_state["axe_checks"] += 1
        # axe itself sets inline styles while it checks (colour contrast), which
        # the site's CSP refuses; only those, and only while it runs, are its own.
        self.console_problems[before:] = [
            problem
            for problem in self.console_problems[before:]
            if "Applying inline style violates" not in problem
        ]
        self.assertEqual(
            [
                (v["id"], v["impact"], [node["target"] for node in v["nodes"][:3]])
                for v in violations
            ],
            [],
            f"axe-core on “{step}” ({self.page.url})",
        )

    def url(self, path):
        return f"{self.live_server_url}{path}"

    def visit(self, path):
        response = self.page.goto(self.url(path))
        self.assertIsNotNone(response, path)
        return response

    def log_in(self, username, password=PASSWORD, next_path="/admin/"):
        """Sign in through the admin's login form, as a person would."""
        self.visit(f"/admin/login/?next={next_path}")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_load_state()

    def choose_autocomplete(self, select_id, search, option):
        """Pick ``option`` in one of the admin's autocomplete (select2) fields."""
        widget = self.page.locator(f"#{select_id} + .select2")
        widget.locator(".select2-selection").click()
        self.page.locator(".select2-container--open .select2-search__field").fill(
            search
        )
        self.page.locator(
            ".select2-container--open li.select2-results__option:not(.loading-results)",
            has_text=option,
        ).first.click()
        expect(widget).to_contain_text(option)

    def log_out(self):
        self.page.get_by_role("button", name="Log out").click()
        self.page.wait_for_load_state()
