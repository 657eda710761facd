"""Bad input in the browser: a broken spreadsheet, wrong passwords, the lockout,
a stale form; and the import preview, whose marks must pass the CSP."""

from django.conf import settings
from playwright.sync_api import expect

from partnerships.accounts.roles import CLERK, setup_roles
from partnerships.models import Visit
from tests.e2e.helpers import PASSWORD, BrowserTestCase
from tests.factories import make_user

# Row 1 is right, rows 2 to 4 are wrong in different ways; the import is all or
# nothing, so not even row 1 may be written.
BROKEN_VISITS = (
    "Direction,Home party,Partner city,Partner country,Start date,Status\n"
    "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
    "inbound,Chongqing,Voronej,Russia,2019-06-01,completed\n"
    "outbound,Chongqing,Voronezh,Russia,03/04/2023,completed\n"
    "sideways,Chongqing,Voronezh,Russia,2023-02-30,completed\n"
)

GOOD_VISITS = (
    "Direction,Home party,Partner city,Partner country,Start date,Status,Title\n"
    "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed,Spring talks\n"
)

WRONG_PASSWORD_MESSAGE = "Please enter the correct username and password"


class BadInputJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        setup_roles()
        make_user("clerk", groups=[CLERK])

    def upload_visits(self, text):
        """Send ``text`` as a CSV from the import page that is open."""
        page = self.page
        page.locator("input[type=file]").set_input_files(
            {"name": "visits.csv", "mimeType": "text/csv", "buffer": text.encode()}
        )
        page.get_by_label("Format").select_option(label="csv")
        page.get_by_role("button", name="Submit").click()
        page.wait_for_load_state()

    def test_broken_spreadsheet_shows_row_errors_and_writes_nothing(self):
        page = self.page
        visits_before = Visit.objects.count()
        self.log_in("clerk")
        self.visit("/admin/partnerships/visit/")
        page.get_by_role("link", name="Import").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Import")
        self.shot("import form")

        self.upload_visits(BROKEN_VISITS)
        self.shot("row errors")

        body = page.locator("#content")
        expect(body).to_contain_text("nothing will be imported")
        errors = page.locator(".import-error-li, .errorlist li, tr.row-error")
        text = " ".join(errors.all_inner_texts()) or body.inner_text()
        self.assertIn("Voronej", text)
        self.assertIn("2027-05-14, 2027-05, 2027", text)
        self.assertIn("sideways", text)
        # No button to go on and import the good row alone.
        expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
        self.assertEqual(Visit.objects.count(), visits_before)

    def test_wrong_passwords_show_an_error_then_the_lockout_page(self):
        page = self.page
        limit = settings.AXES_FAILURE_LIMIT
        for attempt in range(1, limit):
            self.log_in("clerk", password=f"wrong password {attempt}")
            expect(page.locator(".errornote")).to_contain_text(WRONG_PASSWORD_MESSAGE)
            expect(page.get_by_label("Username")).to_have_value("clerk")
            if attempt == 1:
                self.shot("wrong password")

        # The browser reports the page's 429 status as a failed load, rightly.
        with self.expect_console_error(r"status of 429", "the lockout page is a 429"):
            self.log_in("clerk", password=f"wrong password {limit}")
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Too many failed sign-in attempts"
            )
            self.shot("locked out")

            # Now even the right password is refused from this address...
            self.log_in("clerk", password=PASSWORD)
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "Too many failed sign-in attempts"
            )

        # ...while a colleague with another user name still signs in.
        make_user("colleague", groups=[CLERK])
        self.log_in("colleague")
        expect(page.locator("#user-tools")).to_contain_text("colleague")
        self.shot("colleague signed in")

    def test_a_stale_form_gets_the_sites_own_page(self):
        page = self.page
        self.visit("/admin/login/")
        # The CSRF cookie is gone (blocked, or expired) when the form is sent.
        self.context.clear_cookies()
        page.get_by_label("Username").fill("clerk")
        page.get_by_label("Password").fill(PASSWORD)
        with self.expect_console_error(r"status of 403", "the refusal is a 403"):
            page.get_by_role("button", name="Log in").click()
            expect(page.get_by_role("heading", level=1)).to_have_text(
                "The form could not be sent"
            )
        # No inline style for the CSP to block: the console check would fail.
        self.shot("form refused")

    def test_the_import_preview_marks_changes_without_inline_styles(self):
        page = self.page
        self.log_in("clerk")
        self.visit("/admin/partnerships/visit/import/")
        self.upload_visits(GOOD_VISITS)
        expect(page.locator(".import-preview .fa-diff-added").first).to_be_visible()
        self.assertEqual(page.locator(".import-preview [style]").count(), 0)
        self.shot("import preview")
