"""The partner's page at /confirm/<token>/: the record in the contact's
language, the answer form and its bad input, every refusal (never a 500, never
a record), the rate limit, the body cap and the headers on every response."""

import datetime
import itertools
from unittest import mock

from django.core import mail
from django.core.cache import caches
from django.test import Client, RequestFactory, TestCase
from django.utils import timezone

from partnerships import confirmations
from partnerships.accounts.roles import CLERK, setup_roles
from partnerships.models import ConfirmationRequest
from partnerships.models.choices import ConfirmationStatus, DelegationRole
from partnerships.public import confirm, form_keys
from tests.factories import (
    make_city,
    make_contact,
    make_home,
    make_site_settings,
    make_user,
    make_visit,
)

_addresses = itertools.count(1)
SCRIPT = "<script>alert(1)</script>"


def new_address():
    """A client address of its own: the rate limit counts per address."""
    number = next(_addresses)
    return f"10.20.{number // 256 % 256}.{number % 256}"


class ConfirmPageTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        make_site_settings(email="office@example.cn", telephone="+86 23 6000 0000")
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.voronezh = make_city(name="Voronezh", name_ru="Воронеж")
        cls.contact = make_contact(city=cls.voronezh, language="ru")
        cls.visit = make_visit(
            home_party=make_home(),
            partner_city=cls.voronezh,
            title="Voronezh delegation",
            title_ru="Делегация Воронежа",
            programme_ru="Переговоры в мэрии.",
            internal_notes="SECRET-NOTE do not show",
            start_date=datetime.date(2019, 5, 1),
            date_precision="month",
            members=[("Deputy Mayor", DelegationRole.HEAD)],
        )
        cls.other = make_visit(
            home_party=make_home(),
            partner_city=cls.voronezh,
            title="OTHER-VISIT title",
            internal_notes="OTHER-SECRET",
        )

    def setUp(self):
        self.address = new_address()
        self.request = confirmations.send(self.visit, self.contact, self.clerk)
        self.url = f"/confirm/{self.request.token}/"

    def get(self, url=None, **extra):
        extra.setdefault("REMOTE_ADDR", self.address)
        return self.client.get(url or self.url, **extra)

    def post(self, data, url=None, client=None, keyed=True, **extra):
        """Post as the page's form would, from the browser that was shown it
        (its key cookie and the signed field), unless not ``keyed``."""
        extra.setdefault("REMOTE_ADDR", self.address)
        client = client or self.client
        if keyed:
            key, field = form_keys.issue(RequestFactory().get("/"), self.request.pk)
            client.cookies[form_keys.COOKIE] = key
            data = {form_keys.FIELD: field, **data}
        return client.post(url or self.url, data, **extra)

    def answer(self, **changes):
        data = {
            "kind": "confirmed",
            "respondent_name": "Irina Petrova",
            "respondent_office": "Voronezh IRD",
            "comment": "",
        }
        data.update(changes)
        return data

    def assertPrivate(self, response):
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.assertIn("noindex", response["X-Robots-Tag"])

    def assertNoRecord(self, response):
        for text in (
            "Делегация",
            "Voronezh delegation",
            "OTHER-VISIT",
            "SECRET",
            "Deputy Mayor",
        ):
            self.assertNotContains(response, text, status_code=response.status_code)


class PageTests(ConfirmPageTestCase):
    def test_the_record_in_the_contacts_language(self):
        for prefix in ("", "/en", "/zh-hans", "/ru"):
            with self.subTest(prefix=prefix):
                response = self.get(f"{prefix}{self.url}")
                if prefix == "/en":
                    # English has no prefix: the address is not ours, and the
                    # site's "not found" page does not repeat it.
                    self.assertEqual(response.status_code, 404)
                    self.assertNotContains(
                        response, self.request.token, status_code=404
                    )
                    continue
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, '<html lang="ru">')
                self.assertEqual(response["Content-Language"], "ru")
                self.assertContains(response, "Делегация Воронежа")
                self.assertContains(response, "Переговоры в мэрии.")
                self.assertContains(response, "Deputy Mayor")
                self.assertContains(response, f'name="{form_keys.FIELD}"')
                cookie = response.cookies[form_keys.COOKIE]
                self.assertEqual(cookie["samesite"], "Strict")
                self.assertTrue(cookie["httponly"])
                self.assertPrivate(response)

    def test_dates_at_their_precision(self):
        response = self.get()
        self.assertContains(response, '<time datetime="2019-05">')

    def test_never_internal_notes_another_record_nor_the_admin(self):
        response = self.get()
        for text in ("SECRET-NOTE", "OTHER-VISIT", "OTHER-SECRET", "/admin/"):
            self.assertNotContains(response, text)
        # Nor the token: no link on the page repeats the address.
        self.assertNotContains(response, self.request.token)

    def test_every_field_has_a_label(self):
        response = self.get()
        form = response.context["form"]
        for field in form:
            if field.name == "kind":
                continue
            self.assertContains(response, f'<label for="{field.id_for_label}"')
        self.assertContains(response, "<legend>")

    def test_a_confirmation(self):
        response = self.post(self.answer())
        self.assertEqual(response.status_code, 302)
        self.assertPrivate(response)
        self.assertTrue(response["Location"].startswith("/ru/confirm/thanks/?ref="))
        thanks = self.get(response["Location"])
        self.assertEqual(thanks.status_code, 200)
        self.assertContains(thanks, '<html lang="ru">')
        self.assertPrivate(thanks)
        confirmation = confirmations.confirmation_of(self.visit)
        self.assertEqual(confirmation.respondent_office, "Voronezh IRD")

    def test_corrections_and_members(self):
        head = self.visit.members.get()
        response = self.post(
            self.answer(
                kind="corrected",
                fix_programme="Переговоры и визит на завод.",
                fix_start_date="14 мая 2019",
                **{
                    f"member_{head.pk}_title": "Первый заместитель главы",
                    "new_1_name": "Иван Иванов",
                    "new_1_title": "Советник",
                },
                comment="Спасибо.",
            )
        )
        self.assertEqual(response.status_code, 302)
        self.request.refresh_from_db()
        self.assertEqual(
            self.request.corrections,
            {"programme": "Переговоры и визит на завод.", "start_date": "14 мая 2019"},
        )
        self.assertEqual(
            self.request.members,
            [
                {"member": head.pk, "name": "", "title": "Первый заместитель главы"},
                {"member": None, "name": "Иван Иванов", "title": "Советник"},
            ],
        )
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.programme_ru, "Переговоры в мэрии.")

    def test_not_our_delegation(self):
        response = self.post(self.answer(kind="not_ours", comment="Не мы."))
        self.assertEqual(response.status_code, 302)
        self.request.refresh_from_db()
        self.assertEqual(self.request.answer, "not_ours")

    def test_name_and_office_are_needed_and_text_is_kept(self):
        response = self.post(
            self.answer(respondent_name="", comment="Мой длинный комментарий")
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("respondent_name", response.context["form"].errors)
        self.assertContains(response, "Мой длинный комментарий", status_code=400)
        self.assertPrivate(response)
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, ConfirmationStatus.AWAITING)

    def test_a_bad_date_is_an_error_on_its_field(self):
        response = self.post(self.answer(kind="corrected", fix_start_date="скоро"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("fix_start_date", response.context["form"].errors)

    def test_corrections_need_the_corrections_answer(self):
        response = self.post(self.answer(fix_programme="x"))
        self.assertIn("kind", response.context["form"].errors)
        response = self.post(self.answer(kind="corrected"))
        self.assertIn("kind", response.context["form"].errors)

    def test_csrf_protected(self):
        """A post without this browser's key, with another's, with a key for
        another request, or with a forged field, saves nothing and gives the
        typed text back."""
        other_key, other_field = form_keys.issue(
            RequestFactory().get("/"), self.request.pk + 1
        )
        own_key, own_field = form_keys.issue(RequestFactory().get("/"), self.request.pk)
        attempts = {
            "no key at all": ({}, None),
            "no cookie": ({form_keys.FIELD: own_field}, None),
            "no field": ({}, own_key),
            "another browser's cookie": (
                {form_keys.FIELD: own_field},
                form_keys.issue(RequestFactory().get("/"), 0)[0],
            ),
            "another request's field": ({form_keys.FIELD: other_field}, other_key),
            "a forged field": ({form_keys.FIELD: own_field[:-2] + "xx"}, own_key),
        }
        for name, (fields, cookie) in attempts.items():
            with self.subTest(name):
                client = Client(enforce_csrf_checks=True)
                if cookie:
                    client.cookies[form_keys.COOKIE] = cookie
                data = {**self.answer(comment="Мой комментарий"), **fields}
                response = self.post(data, client=client, keyed=False)
                self.assertEqual(response.status_code, 403)
                self.assertContains(response, "Мой комментарий", status_code=403)
                self.assertEqual(
                    ConfirmationRequest.objects.get(pk=self.request.pk).status,
                    ConfirmationStatus.AWAITING,
                )

    def test_a_browser_posting_with_origin_null_is_answered(self):
        """The no-referrer page's form is posted with "Origin: null" and no
        Referer, over HTTPS too: its own key lets it through."""
        client = Client(enforce_csrf_checks=True)
        response = self.post(
            self.answer(), client=client, HTTP_ORIGIN="null", secure=True
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            ConfirmationRequest.objects.get(pk=self.request.pk).status,
            ConfirmationStatus.ANSWERED,
        )


class BadInputTests(ConfirmPageTestCase):
    def text_fields(self):
        form = self.get().context["form"]
        return [name for name in form.fields if name != "kind"]

    def test_nul_bytes_in_every_field_are_refused(self):
        for name in self.text_fields():
            with self.subTest(field=name):
                response = self.post(
                    self.answer(kind="corrected", **{name: "abc\x00def"})
                )
                self.assertEqual(response.status_code, 400)
                self.assertIn(name, response.context["form"].errors)
                self.assertIn("NUL", str(response.context["form"].errors[name]))
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, ConfirmationStatus.AWAITING)

    def test_script_in_every_field_is_escaped(self):
        fields = dict.fromkeys(self.text_fields(), SCRIPT)
        fields["fix_start_date"] = "2019"
        fields["fix_end_date"] = ""
        # Shown again with an error: escaped.
        response = self.post(
            self.answer(kind="corrected", **{**fields, "respondent_name": ""})
        )
        self.assertEqual(response.status_code, 400)
        self.assertNotContains(response, SCRIPT, status_code=400)
        self.assertContains(response, "&lt;script&gt;", status_code=400)
        # Stored as text, the page after it shows none of it.
        fields["respondent_name"] = SCRIPT
        response = self.post(self.answer(kind="corrected", **fields))
        self.assertEqual(response.status_code, 302)
        self.request.refresh_from_db()
        self.assertEqual(self.request.respondent_name, SCRIPT)
        self.assertNotContains(self.get(response["Location"]), SCRIPT)

    def test_a_long_comment_is_an_error(self):
        response = self.post(self.answer(comment="я" * 5001))
        self.assertEqual(response.status_code, 400)
        self.assertIn("comment", response.context["form"].errors)

    def test_a_megabyte_is_refused_before_it_is_read(self):
        response = self.post(self.answer(comment="x" * (1024 * 1024)))
        self.assertEqual(response.status_code, 413)
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, ConfirmationStatus.AWAITING)

    def test_a_long_answer_in_chinese_is_not_refused_by_the_body_cap(self):
        response = self.post(
            self.answer(
                kind="corrected", comment="中" * 5000, fix_programme="中" * 5000
            )
        )
        self.assertEqual(response.status_code, 302)


class RefusalTests(ConfirmPageTestCase):
    def assertRefused(self, response, status, words):
        self.assertEqual(response.status_code, status)
        self.assertPrivate(response)
        self.assertNoRecord(response)
        # In all three languages, with the office's contact.
        for text in words:
            self.assertContains(response, text, status_code=status)
        self.assertContains(response, 'lang="ru"', status_code=status)
        self.assertContains(response, 'lang="zh-Hans"', status_code=status)
        self.assertContains(response, "office@example.cn", status_code=status)
        self.assertNotContains(response, self.request.token, status_code=status)

    def test_tampered(self):
        token = self.request.token
        last = "A" if token[-1] != "A" else "B"
        for bad in (token[:-1] + last, token[:20], "x", token + "x"):
            with self.subTest(token=bad):
                for method in (self.get, lambda url: self.post(self.answer(), url)):
                    response = method(f"/confirm/{bad}/")
                    self.assertRefused(response, 404, ["This link is not valid"])

    def test_another_requests_id(self):
        other = confirmations.send(self.other, self.contact, self.clerk)
        # The other request's token is fine; its signed ids with this hash are not.
        third = make_visit(home_party=make_home(), partner_city=self.voronezh)
        ConfirmationRequest.objects.filter(pk=self.request.pk).update(visit=third)
        response = self.get()
        self.assertRefused(response, 404, ["This link is not valid"])
        self.assertNotContains(
            self.get(f"/confirm/{other.token}/"), "Делегация Воронежа"
        )

    def test_expired(self):
        moment = timezone.now() + datetime.timedelta(days=31)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            response = self.get()
        self.assertRefused(response, 410, ["This link has expired"])

    def test_revoked(self):
        confirmations.revoke(self.request, self.clerk)
        self.assertRefused(self.get(), 410, ["This link has been withdrawn"])

    def test_replay_after_use(self):
        self.assertEqual(self.post(self.answer()).status_code, 302)
        self.assertRefused(self.get(), 410, ["This link has already been used"])
        response = self.post(self.answer(kind="not_ours"))
        self.assertRefused(response, 410, ["This link has already been used"])
        self.request.refresh_from_db()
        self.assertEqual(self.request.answer, "confirmed")

    def test_a_refusal_in_the_page_language_first(self):
        confirmations.revoke(self.request, self.clerk)
        response = self.get(f"/zh-hans{self.url}")
        self.assertContains(response, '<html lang="zh-Hans">', status_code=410)


class FloodTests(ConfirmPageTestCase):
    def setUp(self):
        super().setUp()
        caches["default"].clear()

    def test_a_flood_gets_429(self):
        for _attempt in range(confirm.REQUESTS_PER_HOUR):
            self.assertNotEqual(self.get("/confirm/guess/").status_code, 429)
        response = self.get()
        self.assertEqual(response.status_code, 429)
        self.assertPrivate(response)
        self.assertNoRecord(response)
        # Another address is not held back.
        self.assertEqual(self.get(REMOTE_ADDR=new_address()).status_code, 200)

    def test_a_cache_that_is_down_lets_requests_through(self):
        with mock.patch.object(caches["default"], "add", side_effect=ConnectionError):
            self.assertEqual(self.get().status_code, 200)


class EmailJourneyTests(ConfirmPageTestCase):
    def test_the_link_in_the_email_opens_the_page(self):
        body = mail.outbox[-1].body
        link = next(line for line in body.splitlines() if "/confirm/" in line)
        path = link.replace("http://localhost:8000", "")
        self.assertEqual(path, f"/ru{self.url}")
        self.assertEqual(self.get(path).status_code, 200)


class NotCachedTests(ConfirmPageTestCase):
    def test_not_in_the_sitemap(self):
        response = self.client.get("/sitemap.xml")
        self.assertNotContains(response, "/confirm/")
