"""The partner city confirms the record (issue 19), in the browser, in Russian.

A clerk sends a published Voronezh visit to the Voronezh office; the office opens
the link from the test's outbox (no account, no session), corrects a delegation
member's title; the clerk accepts the correction, a Publisher approves the draft;
the clerk sends a new link and the office confirms the corrected record; the
public page in Russian shows "Confirmed by <office>, <date>" and the new title.

A link takes one answer (confirm, correct, or "not our delegation"), and an answer
that confirms cannot carry corrections: "corrects a member's title, and confirms"
is two links here, one for each answer.

Besides, the partner's page in Russian and in Chinese at 1280 and 390 px, and the
refusals (a used link, a withdrawn one, a changed one), each checked by axe.

Where the page should be in Russian (or Chinese) but still shows the English
text, the journey goes on and the test fails at its end with the list of what
was left untranslated: one run shows every gap, not only the first.
"""

import re

from django.core import mail
from django.core.cache import caches
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from partnerships import confirmations
from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles
from partnerships.models import City, ConfirmationRequest, Draft, Visit
from partnerships.models.choices import ConfirmationAnswer, ConfirmationStatus
from partnerships.templatetags.public import day
from tests.e2e.helpers import PASSWORD, BrowserTestCase
from tests.factories import make_contact, make_user

VISIT = "Voronezh leaders' visits to Chongqing"
OLD_TITLE = "Vice Chairman of the Voronezh City Duma"
NEW_TITLE = "Первый заместитель председателя Воронежской городской думы"
OFFICE = "Управление международных связей администрации Воронежа"
OFFICE_EMAIL = "mir@example.ru"
RESPONDENT = "Ирина Петрова"
MESSAGE = (
    "Уважаемые коллеги! Просим проверить запись о визитах руководства "
    "Воронежа в Чунцин, особенно должности членов делегации."
)
COMMENT = "В 2019 году он был первым заместителем председателя."
CONFIRMED_BY = "Confirmed by %(office)s, %(day)s"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HTML_LANG = {"ru": "ru", "zh-hans": "zh-Hans"}


class ConfirmationJourneyTests(BrowserTestCase):
    fixtures = ["seed", "site_settings"]

    def setUp(self):
        super().setUp()
        # The partner's page counts requests per address (30 an hour), in the
        # cache this process shares with every test before this one.
        caches["default"].clear()
        setup_roles()
        self.clerk = make_user("clerk", groups=[CLERK])
        make_user("publisher", groups=[PUBLISHER])
        self.voronezh = City.objects.get(slug="voronezh")
        self.visit_record = Visit.objects.get(title_en=VISIT)
        self.member = self.visit_record.members.get(title_at_time_en=OLD_TITLE)
        self.contact = make_contact(
            city=self.voronezh,
            office=OFFICE,
            person=RESPONDENT,
            language="ru",
            email=OFFICE_EMAIL,
        )
        self.untranslated = []

    # Helpers ----------------------------------------------------------------

    def fresh_browser(self):
        """Someone else at another computer: a new context, no cookies."""
        self.context.close()
        self.context = self.new_context()
        self.page = self.context.new_page()

    def log_in_in_russian(self, username):
        """Sign in through the admin's login form in Russian, as a person would."""
        self.fresh_browser()
        self.visit("/ru/admin/login/?next=/ru/admin/")
        self.page.locator("#id_username").fill(username)
        self.page.locator("#id_password").fill(PASSWORD)
        self.page.locator("#login-form input[type=submit]").click()
        self.page.wait_for_load_state()
        expect(self.page).to_have_url(re.compile(r"/ru/admin/$"))
        expect(self.page.locator("html")).to_have_attribute("lang", "ru")

    def not_in_english(self, text, english, where):
        """Note (without stopping the journey) English text where a translation
        should be."""
        if english in text:
            self.untranslated.append(f"{where}: “{english}”")

    def check_translated(self):
        self.assertEqual(
            self.untranslated,
            [],
            "Shown in English where the reader's language was due "
            "(locale/*/LC_MESSAGES/django.po).",
        )

    def fits_the_screen(self, step):
        width, screen = self.page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        self.assertLessEqual(width, screen, f"{step}: wider than the screen")

    def admin_change_page(self):
        self.visit(f"/ru/admin/partnerships/visit/{self.visit_record.pk}/change/")
        return self.page.locator(".partner-confirmation")

    def clerk_sends_the_link(self, step):
        """From the visit's admin page: "Ask the partner to confirm", the Voronezh
        contact, a message, "Send the link". Returns the link in the e-mail."""
        page = self.page
        sent_before = len(mail.outbox)
        panel = self.admin_change_page()
        send_url = (
            f"/ru/admin/partnerships/confirmationrequest/send/visit/"
            f"{self.visit_record.pk}/"
        )
        button = panel.locator(f"a.button[href='{send_url}']")
        expect(button).to_be_visible()
        self.not_in_english(
            button.inner_text(), "Ask the partner to confirm", "visit's admin page"
        )
        self.not_in_english(
            page.locator("fieldset.module", has=panel).locator("h2").inner_text(),
            "Partner's confirmation",
            "visit's admin page",
        )
        panel.scroll_into_view_if_needed()
        self.shot(f"{step}: the visit in the admin")
        button.click()
        expect(page).to_have_url(re.compile(re.escape(send_url) + "$"))
        page.locator("#id_contact").select_option(value=str(self.contact.pk))
        page.locator("#id_message").fill(MESSAGE)
        submit = page.locator("form input[type=submit].default")
        self.not_in_english(
            submit.get_attribute("value"), "Send the link", "the send page"
        )
        self.shot(f"{step}: the send page")
        submit.click()
        page.wait_for_load_state()
        expect(page).to_have_url(
            re.compile(rf"/ru/admin/partnerships/visit/{self.visit_record.pk}/change/$")
        )
        expect(page.locator(".messagelist .success")).to_contain_text(OFFICE_EMAIL)

        self.assertEqual(len(mail.outbox), sent_before + 1)
        email = mail.outbox[-1]
        self.assertEqual(email.to, [OFFICE_EMAIL])
        self.assertIn(MESSAGE, email.body)
        self.assertIn(VISIT, email.subject)
        self.not_in_english(email.subject, "Please confirm our record", "e-mail")
        for english in (
            "Open the record here",
            "The link works once",
            "Dear ",
            "keeps a record of",
        ):
            self.not_in_english(email.body, english, "e-mail")
        found = re.findall(r"https?://\S+/ru/confirm/[^\s/]+/", email.body)
        self.assertEqual(len(found), 1, email.body)
        [link] = found
        self.assertTrue(link.startswith(self.live_server_url), link)
        return link

    def partner_answers(self, kind, **fields):
        page = self.page
        page.locator(f"input[name=kind][value={kind}]").check()
        for field, value in fields.items():
            page.locator(f"#id_{field}").fill(value)
        page.locator("#id_respondent_name").fill(RESPONDENT)
        page.locator("#id_respondent_office").fill(OFFICE)

    # The journey ------------------------------------------------------------

    def test_the_partner_corrects_a_title_and_then_confirms_the_record(self):
        visit = self.visit_record
        # 1. The clerk sends the visit to the Voronezh office.
        self.log_in_in_russian("clerk")
        link = self.clerk_sends_the_link("first link")
        panel = self.page.locator(".partner-confirmation")
        expect(panel.locator(".confirmation-requests")).to_contain_text(OFFICE)
        self.shot("the visit awaits the partner")
        first = ConfirmationRequest.objects.get()
        self.assertEqual(first.status, ConfirmationStatus.AWAITING)
        self.assertEqual(first.language, "ru")

        # 2. The office opens the link: no account, no session.
        self.fresh_browser()
        page = self.page
        response = page.goto(link)
        self.assertEqual(response.status, 200)
        self.assertEqual(response.headers["cache-control"].count("no-store"), 1)
        self.assertEqual(response.headers["referrer-policy"], "no-referrer")
        expect(page.locator("html")).to_have_attribute("lang", "ru")
        heading = page.get_by_role("heading", level=1)
        self.not_in_english(heading.inner_text(), "Please check our record", "page")
        record = page.locator("dl.confirm-record")
        expect(record).to_contain_text(OLD_TITLE)
        expect(page.locator("main")).to_contain_text("Уважаемые коллеги!")
        self.assertEqual(page.locator("a[href*='/admin/']").count(), 0)
        self.shot("confirm page in russian")

        # The office corrects the title and ticks "the record is correct": the
        # page says a correction goes with "needs corrections", and keeps what
        # was typed.
        title_field = f"member_{self.member.pk}_title"
        self.partner_answers(
            ConfirmationAnswer.CONFIRMED,
            **{title_field: NEW_TITLE, "comment": COMMENT},
        )
        with self.expect_console_error(r"status of 400", "the form's errors: 400"):
            with page.expect_response(lambda r: r.request.method == "POST") as posted:
                page.locator("form.contact-form button[type=submit]").click()
            self.assertNotEqual(
                posted.value.status,
                403,
                "The partner's form was refused as a cross-site request: a page "
                "served with Referrer-Policy: no-referrer makes the browser send "
                "Origin: null with its POST, which Django's CSRF check refuses.",
            )
            self.assertEqual(posted.value.status, 400)
            expect(page.locator(".error-summary")).to_be_visible()
        self.not_in_english(
            page.locator(".error-summary").inner_text(),
            "You wrote corrections",
            "page's error",
        )
        expect(page.locator(f"#id_{title_field}")).to_have_value(NEW_TITLE)
        expect(page.locator("#id_comment")).to_have_value(COMMENT)
        self.shot("a confirmation with a correction is refused")

        page.locator(f"input[name=kind][value={ConfirmationAnswer.CORRECTED}]").check()
        page.locator("form.contact-form button[type=submit]").click()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(r"/ru/confirm/thanks/\?ref="))
        self.not_in_english(
            page.get_by_role("heading", level=1).inner_text(),
            "Thank you for your answer",
            "thanks page",
        )
        self.shot("thanks for the corrections")
        first.refresh_from_db()
        self.assertEqual(first.answer, ConfirmationAnswer.CORRECTED)
        self.assertEqual(first.respondent_office, OFFICE)
        self.assertEqual(first.comment, COMMENT)
        self.assertEqual(
            first.members,
            [{"member": self.member.pk, "name": "", "title": NEW_TITLE}],
        )

        # A link is used once: opened again, it is refused in three languages.
        with self.expect_console_error(r"status of 410", "a used link is a 410"):
            response = page.goto(link)
        self.assertEqual(response.status, 410)
        refusals = page.locator(".refusal")
        expect(refusals).to_have_count(3)
        expect(refusals.first).to_have_attribute("lang", "ru")
        self.not_in_english(
            page.get_by_role("heading", level=1).inner_text(),
            "This link has already been used",
            "refusal page",
        )
        self.assertNotIn(OLD_TITLE, page.content())
        self.shot("refusal: the link was used")

        # 3. The clerk accepts the correction; the visit is live, so it waits.
        self.log_in_in_russian("clerk")
        panel = self.admin_change_page()
        panel.locator(
            f"a[href='/ru/admin/partnerships/confirmationrequest/{first.pk}/change/']"
        ).click()
        table = self.page.locator("table.confirmation-proposals")
        row = table.locator("tbody tr", has_text=NEW_TITLE)
        expect(row).to_contain_text(OLD_TITLE)
        expect(self.page.locator("#content")).to_contain_text(COMMENT)
        row.locator("input[name='decision-member:0'][value=accepted]").check()
        save = self.page.locator("form:has(input[name=action][value=decide]) .default")
        self.not_in_english(
            save.get_attribute("value"), "Save the decisions", "request's admin page"
        )
        self.shot("the clerk accepts the corrected title")
        save.click()
        self.page.wait_for_load_state()
        expect(self.page.locator(".messagelist .success")).to_be_visible()
        expect(row.locator("input[type=radio]")).to_have_count(0)
        self.shot("the correction waits for a publisher")
        self.member.refresh_from_db()
        self.assertEqual(self.member.title_at_time_ru, "")
        self.assertEqual(Draft.objects.count(), 1)

        # The public page still shows the title the Publisher approved.
        self.visit("/ru/partners/voronezh/")
        item = self.page.locator("li.visit", has_text=VISIT)
        expect(item.locator(".delegation")).to_contain_text(OLD_TITLE)
        expect(item.locator(".delegation")).not_to_contain_text(NEW_TITLE)

        # A Publisher approves the draft.
        self.log_in_in_russian("publisher")
        self.visit("/ru/admin/review/")
        queue = self.page.locator("table.fa-review-queue tbody tr")
        expect(queue).to_have_count(1)
        queue.get_by_role("link").click()
        expect(self.page.locator(".fa-review-diff")).to_contain_text(NEW_TITLE)
        self.shot("the publisher reviews the corrected title")
        self.page.locator("button[name=approve]").click()
        self.page.wait_for_load_state()
        expect(self.page.locator(".messagelist .success")).to_be_visible()
        # Approving a draft writes the delegation anew (new rows, new ids).
        self.assertEqual(
            list(
                visit.members.filter(title_at_time_ru=NEW_TITLE).values_list(
                    "title_at_time_en", flat=True
                )
            ),
            [OLD_TITLE],
        )

        # The clerk sends the corrected record again, and the office confirms it.
        self.log_in_in_russian("clerk")
        link = self.clerk_sends_the_link("second link")
        self.fresh_browser()
        page = self.page
        self.assertEqual(page.goto(link).status, 200)
        expect(page.locator("dl.confirm-record")).to_contain_text(NEW_TITLE)
        self.partner_answers(ConfirmationAnswer.CONFIRMED)
        self.shot("the office confirms the corrected record")
        page.locator("form.contact-form button[type=submit]").click()
        page.wait_for_load_state()
        expect(page).to_have_url(re.compile(r"/ru/confirm/thanks/\?ref="))
        self.shot("thanks for the confirmation")
        second = ConfirmationRequest.objects.exclude(pk=first.pk).get()
        self.assertEqual(second.answer, ConfirmationAnswer.CONFIRMED)
        self.assertEqual(confirmations.confirmation_of(visit), second)

        # The admin shows it.
        self.log_in_in_russian("clerk")
        panel = self.admin_change_page()
        expect(panel.locator(".confirmed")).to_contain_text(OFFICE)
        self.not_in_english(
            panel.locator(".confirmed").inner_text(), "Confirmed by", "admin panel"
        )
        panel.scroll_into_view_if_needed()
        self.shot("the admin shows the confirmation")

        # 4. The public page in Russian: "Confirmed by…" and the new title.
        self.fresh_browser()
        self.visit("/ru/partners/voronezh/")
        item = self.page.locator("li.visit", has_text=VISIT)
        expect(item).to_have_count(1)
        with translation.override("ru"):
            line = gettext(CONFIRMED_BY) % {
                "office": OFFICE,
                "day": day(timezone.localdate(second.used_at)),
            }
        expect(item.locator(".confirmed")).to_have_text(line)
        self.not_in_english(line, "Confirmed by", "public page")
        expect(item.locator(".delegation")).to_contain_text(NEW_TITLE)
        expect(item.locator(".delegation")).not_to_contain_text(OLD_TITLE)
        item.scroll_into_view_if_needed()
        self.shot("public page shows the confirmation and the new title")

        self.check_translated()

    # The partner's pages, in two languages and two widths ------------------------

    def test_the_partners_page_in_russian_and_chinese_on_a_desktop_and_a_phone(self):
        chinese = make_contact(
            city=self.voronezh,
            office="沃罗涅日市政府国际关系局",
            person="王芳",
            language="zh-hans",
            email="guoji@example.ru",
        )
        links = {}
        for contact in (self.contact, chinese):
            request = confirmations.send(
                self.visit_record,
                contact,
                self.clerk,
                MESSAGE if contact.language == "ru" else "请核对这条记录。",
                base_url=self.live_server_url,
            )
            links[contact.language] = confirmations.link(
                request, request.token, self.live_server_url
            )
        self.assertIn("/zh-hans/confirm/", links["zh-hans"])
        page = self.page
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            for language, english in (
                ("ru", "Please check our record"),
                ("zh-hans", "Please check our record"),
            ):
                response = page.goto(links[language])
                self.assertEqual(response.status, 200)
                html = page.locator("html")
                expect(html).to_have_attribute("lang", HTML_LANG[language])
                expect(page.locator("dl.confirm-record")).to_contain_text(OLD_TITLE)
                self.not_in_english(
                    page.get_by_role("heading", level=1).inner_text(),
                    english,
                    f"page in {language}",
                )
                self.not_in_english(
                    page.locator("form.contact-form").inner_text(),
                    "Send the answer",
                    f"page in {language}",
                )
                step = f"confirm page in {language} at {size['width']} px"
                self.fits_the_screen(step)
                self.shot(step)

            # The refusals: a withdrawn link (re-sent), a changed one.
            russian = ConfirmationRequest.objects.get(
                contact=self.contact, status=ConfirmationStatus.AWAITING
            )
            withdrawn = links["ru"]
            new = confirmations.resend(russian, self.clerk, self.live_server_url)
            links["ru"] = confirmations.link(new, new.token, self.live_server_url)
            with self.expect_console_error(r"status of 410", "a revoked link: 410"):
                self.assertEqual(page.goto(withdrawn).status, 410)
            expect(page.locator(".refusal")).to_have_count(3)
            self.not_in_english(
                page.get_by_role("heading", level=1).inner_text(),
                "This link has been withdrawn",
                "refusal page",
            )
            step = f"refusal withdrawn at {size['width']} px"
            self.fits_the_screen(step)
            self.shot(step)

        changed = links["zh-hans"][:-1] + "x/"  # one character added to the token
        with self.expect_console_error(r"status of 404", "a changed link: 404"):
            self.assertEqual(page.goto(changed).status, 404)
        expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
        self.not_in_english(
            page.get_by_role("heading", level=1).inner_text(),
            "This link is not valid",
            "refusal page in Chinese",
        )
        self.fits_the_screen("refusal changed link")
        self.shot("refusal changed link in chinese at 390 px")
        self.check_translated()
