"""A citizen writes to the office in Chinese; a clerk answers from the admin; the
citizen receives the reply (the test's outbox). Each page checked by axe."""

import re
import time

from django.core import mail
from playwright.sync_api import expect

from partnerships.accounts.roles import CLERK, setup_roles
from partnerships.models import PublicRequest
from partnerships.models.choices import RequestStatus
from partnerships.public import spam
from tests.e2e.helpers import BrowserTestCase
from tests.factories import make_user

MESSAGE = (
    "我们是重庆市第八中学。我们希望与沃罗涅日的一所中学结为友好学校，"
    "明年春天组织二十名学生互访。请问应该如何申请？"
)
REPLY = "您好！感谢来信。教育交流由我办欧洲处负责，我们将在两周内与您联系。"


class ContactJourneyTests(BrowserTestCase):
    fixtures = ["seed", "site_settings"]

    def setUp(self):
        super().setUp()
        setup_roles()
        make_user("clerk", groups=[CLERK], email="clerk@example.org")

    def fill_in(self, **values):
        for field, value in values.items():
            self.page.locator(f"#id_{field}").fill(value)

    def wait_as_a_person_would(self, since):
        """At least the minimum fill time since the page was shown."""
        left = spam.MINIMUM_FILL_SECONDS + 0.5 - (time.monotonic() - since)
        if left > 0:
            self.page.wait_for_timeout(left * 1000)

    def test_a_citizen_writes_in_chinese_and_a_clerk_replies(self):
        page = self.page
        # The footer's link, from a partner page in Chinese.
        self.visit("/zh-hans/partners/voronezh/")
        expect(page.locator("header.site-header")).to_contain_text(
            "重庆市人民政府外事办公室"
        )
        page.locator("footer.site-footer a[href='/zh-hans/contact/']").click()
        expect(page).to_have_url(re.compile(r"/zh-hans/contact/$"))
        shown = time.monotonic()
        self.shot("contact page in chinese")

        self.fill_in(
            name="李伟",
            organisation="重庆市第八中学",
            email="liwei@example.org",
            message=MESSAGE,
        )
        page.locator("#id_city").select_option(label="沃罗涅日")
        page.locator("#id_sector").select_option(value="3")
        page.locator("#id_consent").check()
        self.shot("contact form filled in")
        self.wait_as_a_person_would(shown)
        page.locator("form.contact-form button[type=submit]").click()
        page.wait_for_load_state()

        request = PublicRequest.objects.get()
        expect(page).to_have_url(re.compile(r"/zh-hans/contact/sent/\?ref="))
        expect(page.locator(".reference")).to_contain_text(request.reference)
        self.shot("request received")
        self.assertEqual(request.language, "zh-hans")
        self.assertEqual(request.partner_city.slug, "voronezh")
        [acknowledgement] = mail.outbox
        self.assertEqual(acknowledgement.to, ["liwei@example.org"])
        self.assertIn("重庆市人民政府外事办公室", acknowledgement.body)
        self.assertIn(request.reference, acknowledgement.subject)

        # A clerk finds it from the dashboard and answers it.
        self.log_in("clerk")
        requests = page.locator(".fa-requests")
        expect(requests.locator(".fa-number").first).to_have_text("1")
        requests.get_by_role("link", name=re.compile("new")).click()
        row = page.locator("#result_list tbody tr", has_text=request.reference)
        expect(row).to_contain_text("李伟 (重庆市第八中学)")
        self.shot("triage queue")
        row.get_by_role("link", name=request.reference).click()
        expect(page.locator(".field-message")).to_contain_text("二十名学生互访")
        page.locator("#id_assigned_to").select_option(label="clerk")
        page.locator("#id_note").fill("Education exchange: pass to the Europe desk.")
        page.locator("#id_reply").fill(REPLY)
        self.shot("request with a reply written")
        page.get_by_role("button", name="Save and continue editing").click()
        page.wait_for_load_state()
        expect(page.locator(".messagelist")).to_contain_text(
            "The reply was e-mailed to liwei@example.org"
        )
        expect(page.locator(".fa-request-log")).to_contain_text(REPLY)
        self.shot("request answered")

        request.refresh_from_db()
        self.assertEqual(request.status, RequestStatus.ANSWERED)
        reply = mail.outbox[-1]
        self.assertEqual(reply.to, ["liwei@example.org"])
        self.assertTrue(reply.body.startswith(REPLY))
        self.assertIn("重庆市人民政府外事办公室", reply.body)
        self.assertIn(request.reference, reply.subject)

    def test_mistakes_are_named_in_english(self):
        page = self.page
        self.visit("/contact/")
        shown = time.monotonic()
        self.fill_in(name="Anna", email="anna(at)example", message="x" * 10)
        self.wait_as_a_person_would(shown)
        page.get_by_role("button", name="Send the request").click()
        page.wait_for_load_state()
        summary = page.locator(".error-summary")
        expect(summary).to_contain_text("E-mail: Enter a valid email address.")
        expect(summary).to_contain_text("Partner city: This field is required.")
        expect(summary).to_contain_text("Tick the box to agree")
        # What was typed is still there, and the summary leads to each field.
        expect(page.locator("#id_email")).to_have_value("anna(at)example")
        expect(page.locator("#id_email")).to_have_attribute("aria-invalid", "true")
        summary.get_by_role("link", name=re.compile("^E-mail")).click()
        expect(page.locator("#id_email")).to_be_focused()
        self.shot("contact form with mistakes")
        self.assertFalse(PublicRequest.objects.exists())

        self.visit("/privacy/")
        expect(page.get_by_role("heading", level=1)).to_have_text("Privacy notice")
        expect(page.locator("main")).to_contain_text("24 months after")
        self.shot("privacy notice")


class ContactOnAPhoneTests(BrowserTestCase):
    fixtures = ["seed", "site_settings"]
    viewport = {"width": 390, "height": 844}

    def test_the_contact_page_fits_a_phone(self):
        for path in ("/contact/", "/zh-hans/contact/"):
            self.visit(path)
            width, screen = self.page.evaluate(
                "[document.documentElement.scrollWidth, window.innerWidth]"
            )
            self.assertLessEqual(width, screen, path)
            self.shot(f"contact on a phone {path}")
