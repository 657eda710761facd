"""The contact page: a request from the public, each bad input and each spam
rule with its outcome, the "received" page and the privacy notice."""

import itertools
import time
from urllib.parse import urlencode

from django.core import mail, signing
from django.test import Client, TestCase, override_settings
from django.utils import timezone
from django.utils.html import escape

from partnerships.models import PublicRequest
from partnerships.models.choices import RequestEventKind
from partnerships.public import spam
from partnerships.public.contact import SENT_SALT
from partnerships.public.forms import OTHER_CITY
from tests.factories import (
    make_agreement,
    make_city,
    make_home,
    make_request,
    make_site_settings,
    unique,
)

URL = "/contact/"
_addresses = itertools.count(1)


def new_address():
    """A client address of its own: the rate limit counts per address."""
    number = next(_addresses)
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


class ContactTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.voronezh = make_city(name="Voronezh", slug="voronezh")
        make_agreement(home_party=home, partner=cls.voronezh)
        cls.hidden = make_city(name="Hidden city", slug="hidden", published=False)
        make_agreement(home_party=home, partner=cls.hidden)
        make_site_settings()

    def setUp(self):
        self.address = new_address()

    def form_data(self, **changes):
        """What a person sends after a minute on the page."""
        data = {
            "name": "Li Wei",
            "organisation": "Chongqing No. 8 Secondary School",
            "email": f"{unique('li').replace(' ', '')}@example.org",
            "telephone": "+86 23 6000 0000",
            "city": str(self.voronezh.pk),
            "other_city": "",
            "sector": "",
            "message": unique("We would like to start a pupils' exchange with"),
            "consent": "on",
            "extra": "",
            "shown": spam.stamp(time.time() - 60),
        }
        data.update(changes)
        return data

    def send(self, data=None, url=URL, **extra):
        extra.setdefault("REMOTE_ADDR", self.address)
        return self.client.post(url, data or self.form_data(), **extra)

    def errors(self, response):
        form = response.context["form"]
        return {
            name: [e.code for e in errors.as_data()]
            for name, errors in ((name, form.errors[name]) for name in form.errors)
        }


class ReceivedTests(ContactTestCase):
    def test_the_page_in_three_languages(self):
        for prefix in ("", "/zh-hans", "/ru"):
            with self.subTest(prefix=prefix):
                response = self.client.get(f"{prefix}/contact/")
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'name="csrfmiddlewaretoken"')
                self.assertContains(response, 'href="' + prefix + '/privacy/"')

    def test_only_published_partners_are_offered(self):
        response = self.client.get(URL)
        choices = dict(response.context["form"].fields["city"].choices)
        self.assertIn(str(self.voronezh.pk), choices)
        self.assertIn(OTHER_CITY, choices)
        self.assertNotIn(str(self.hidden.pk), choices)
        self.assertNotContains(response, "Hidden city")
        # Nor does a crafted post reach it.
        response = self.send(self.form_data(city=str(self.hidden.pk)))
        self.assertEqual(self.errors(response), {"city": ["invalid_choice"]})

    def test_a_partner_page_can_choose_its_city(self):
        form = self.client.get(URL, {"city": "voronezh"}).context["form"]
        self.assertEqual(form["city"].value(), str(self.voronezh.pk))
        for slug in ("hidden", "nowhere", str(self.hidden.pk)):
            form = self.client.get(URL, {"city": slug}).context["form"]
            self.assertEqual(form["city"].value(), "")

    def test_a_request_is_stored_numbered_and_acknowledged(self):
        data = self.form_data(sector="")
        response = self.send(data)
        request = PublicRequest.objects.get()
        self.assertEqual(response.status_code, 302)
        location, token = response["Location"].split("?ref=")
        self.assertEqual(location, "/contact/sent/")
        self.assertEqual(
            signing.loads(token, salt=SENT_SALT), [request.reference, True]
        )
        year = timezone.localtime(request.received_at).year
        self.assertEqual(request.reference, f"{year}-{request.pk:05d}")
        self.assertEqual(
            (request.name, request.email, request.partner_city, request.language),
            ("Li Wei", data["email"], self.voronezh, "en"),
        )
        self.assertEqual(request.message, data["message"])
        self.assertIsNotNone(request.consented_at)
        self.assertIsNotNone(request.acknowledged_at)
        self.assertEqual(
            list(request.events.values_list("kind", flat=True)),
            [RequestEventKind.ACKNOWLEDGED],
        )
        [acknowledgement] = mail.outbox
        self.assertEqual(acknowledgement.to, [data["email"]])
        self.assertIn(request.reference, acknowledgement.subject)
        self.assertIn(request.reference, acknowledgement.body)
        self.assertIn("http://testserver/privacy/", acknowledgement.body)
        # Nothing the sender typed goes back out (no relay for someone
        # else's address).
        self.assertNotIn(data["message"], acknowledgement.body)
        self.assertNotIn("Li Wei", acknowledgement.body)

    def test_the_acknowledgement_is_in_the_senders_language(self):
        data = self.form_data()
        self.send(data, url="/zh-hans/contact/")
        request = PublicRequest.objects.get()
        self.assertEqual(request.language, "zh-hans")
        [acknowledgement] = mail.outbox
        self.assertIn("重庆市人民政府外事办公室", acknowledgement.body)
        self.assertNotIn("Foreign Affairs Office", acknowledgement.body)
        self.assertIn("http://testserver/zh-hans/privacy/", acknowledgement.body)

    def test_another_city_is_named(self):
        self.send(self.form_data(city=OTHER_CITY, other_city="Minsk, Belarus"))
        request = PublicRequest.objects.get()
        self.assertIsNone(request.partner_city)
        self.assertEqual(request.other_city, "Minsk, Belarus")
        self.assertEqual(request.city_text, "Minsk, Belarus")

    def test_a_mail_server_that_fails_loses_no_request(self):
        with override_settings(
            EMAIL_BACKEND="tests.public.test_contact.FailingBackend"
        ):
            response = self.send()
        self.assertEqual(response.status_code, 302)
        request = PublicRequest.objects.get()
        self.assertIsNone(request.acknowledged_at)
        self.assertFalse(request.events.exists())
        page = self.client.get(response["Location"])
        self.assertContains(page, request.reference)
        self.assertContains(page, "could not be sent just now")

    def test_the_received_page_shows_only_a_signed_reference(self):
        self.send()
        request = PublicRequest.objects.get()
        token = signing.dumps([request.reference, True], salt=SENT_SALT)
        response = self.client.get("/contact/sent/", {"ref": token})
        self.assertContains(response, f"<strong>{request.reference}</strong>")
        self.assertContains(response, "We have sent an acknowledgement")
        self.assertNotContains(response, request.name)
        for forged in (request.reference, "2024-99999", token + "x"):
            response = self.client.get("/contact/sent/", {"ref": forged})
            self.assertEqual(response.status_code, 200)
            self.assertIsNone(response.context["reference"])
            self.assertNotContains(response, "<strong>")

    def test_line_breaks_count_once_as_the_browser_counts_them(self):
        # 5,000 characters once each CRLF counts one (6,249 as sent).
        message = "\r\n".join(["一二三"] * 1250) + "四"
        self.assertEqual(len(message), 6249)
        self.send(self.form_data(message=message))
        self.assertEqual(len(PublicRequest.objects.get().message), 5000)


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")


class BadInputTests(ContactTestCase):
    """Each mistake: the form again, the mistake named, what was typed kept."""

    def assert_refused(self, data, errors, status=200):
        response = self.send(data)
        self.assertEqual(response.status_code, status)
        self.assertEqual(PublicRequest.objects.count(), 0)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.errors(response), errors)
        # Everything typed is kept, and the error summary names each mistake.
        self.assertContains(response, escape(data["message"][:200]), status_code=status)
        self.assertContains(response, 'class="error-summary"', status_code=status)
        return response

    def test_an_overlong_message(self):
        message = "长" * 5001
        response = self.assert_refused(
            self.form_data(message=message), {"message": ["max_length"]}
        )
        self.assertContains(response, "at most 5000 characters (it has 5001)")

    def test_a_bad_email_address(self):
        response = self.assert_refused(
            self.form_data(email="li.wei(at)example"), {"email": ["invalid"]}
        )
        self.assertContains(response, 'value="li.wei(at)example"')
        self.assertContains(response, 'aria-invalid="true"')

    def test_no_consent(self):
        data = self.form_data()
        del data["consent"]
        response = self.assert_refused(data, {"consent": ["required"]})
        self.assertContains(response, "Tick the box to agree to the privacy notice")

    def test_missing_name_and_message(self):
        self.assert_refused(
            self.form_data(name="", message=""),
            {"name": ["required"], "message": ["required"]},
        )

    def test_another_city_without_its_name(self):
        self.assert_refused(
            self.form_data(city=OTHER_CITY), {"other_city": ["required"]}
        )

    def test_a_bad_telephone_number(self):
        self.assert_refused(
            self.form_data(telephone="call me"), {"telephone": ["invalid_telephone"]}
        )


class SpamTests(ContactTestCase):
    def test_a_filled_honeypot_is_dropped_as_if_received(self):
        response = self.send(self.form_data(extra="http://spam.example"))
        self.assertRedirects(response, "/contact/sent/")
        self.assertEqual(PublicRequest.objects.count(), 0)
        self.assertEqual(mail.outbox, [])

    def test_too_fast(self):
        data = self.form_data(shown=spam.stamp(time.time() - 1))
        response = self.send(data)
        self.assertEqual(self.errors(response), {"__all__": ["too_fast"]})
        self.assertContains(response, escape(data["message"]))
        self.assertEqual(PublicRequest.objects.count(), 0)
        # The form shown again carries a new moment: sent later, it goes.
        shown = response.context["form"]["shown"].value()
        self.assertNotEqual(shown, data["shown"])
        self.send(self.form_data(message=data["message"]))
        self.assertEqual(PublicRequest.objects.count(), 1)

    def test_a_missing_forged_or_stale_stamp(self):
        day_old = spam.stamp(time.time() - spam.MAXIMUM_FORM_AGE_SECONDS - 5)
        for shown in ("", "1700000000", signing.dumps(0, salt="other"), day_old):
            with self.subTest(shown=shown):
                response = self.send(self.form_data(shown=shown))
                self.assertEqual(self.errors(response), {"__all__": ["stamp"]})
        self.assertEqual(PublicRequest.objects.count(), 0)

    @override_settings(PARTNERSHIPS_REQUESTS_PER_HOUR=3)
    def test_a_flood_from_one_address(self):
        for _ in range(3):
            self.assertEqual(self.send().status_code, 302)
        data = self.form_data()
        response = self.send(data)
        self.assertEqual(response.status_code, 429)
        self.assertEqual(self.errors(response), {"__all__": ["flood"]})
        self.assertContains(response, "Please wait an hour", status_code=429)
        self.assertContains(response, escape(data["message"]), status_code=429)
        self.assertEqual(PublicRequest.objects.count(), 3)
        # Another address is not held back.
        self.address = new_address()
        self.assertEqual(self.send().status_code, 302)

    @override_settings(PARTNERSHIPS_REQUESTS_PER_HOUR=2)
    def test_a_flood_to_one_email_address_from_many(self):
        email = "victim@example.org"
        for _ in range(2):
            self.address = new_address()
            self.assertEqual(self.send(self.form_data(email=email)).status_code, 302)
        self.address = new_address()
        response = self.send(self.form_data(email=email.upper()))
        self.assertEqual(response.status_code, 429)
        self.assertEqual(len(mail.outbox), 2)

    @override_settings(PARTNERSHIPS_REQUESTS_PER_HOUR=2)
    def test_honeypot_and_too_fast_count_towards_the_flood(self):
        self.send(self.form_data(extra="x"))
        self.send(self.form_data(shown=spam.stamp()))
        self.assertEqual(self.send().status_code, 429)

    def test_an_exact_repeat(self):
        first = self.form_data()
        self.send(first)
        again = self.form_data(message="  " + first["message"].upper() + "\n")
        self.address = new_address()
        response = self.send(again)
        self.assertEqual(self.errors(response), {"message": ["repeat"]})
        self.assertContains(response, "We have already received this very message")
        self.assertEqual(PublicRequest.objects.count(), 1)

    def test_a_repeat_of_an_old_message_is_a_new_request(self):
        old = make_request(message="Shall we meet again?")
        PublicRequest.objects.filter(pk=old.pk).update(
            received_at=old.received_at.replace(year=old.received_at.year - 1)
        )
        response = self.send(self.form_data(message="Shall we meet again?"))
        self.assertEqual(response.status_code, 302)

    def test_the_rate_limit_keeps_no_address(self):
        self.send()
        keys = spam._keys(self.client_request(), "li@example.org")
        for key in keys:
            self.assertNotIn(self.address, key)
            self.assertNotIn("example.org", key)

    def client_request(self):
        from django.test import RequestFactory

        return RequestFactory().post(URL, REMOTE_ADDR=self.address)


class SizeLimitTests(ContactTestCase):
    """Public bodies are capped at 16 KB; the contact form takes a long message."""

    def urlencoded(self, data, url=URL):
        return self.client.post(
            url,
            urlencode(data),
            content_type="application/x-www-form-urlencoded",
            REMOTE_ADDR=self.address,
        )

    def test_5000_chinese_characters_as_a_browser_sends_them(self):
        data = self.form_data(message="友" * 5000, organisation="重庆" * 100)
        body = urlencode(data)
        self.assertGreater(len(body), 45_000)
        response = self.urlencoded(data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(len(PublicRequest.objects.get().message), 5000)
        # The same body anywhere else is refused unread.
        response = self.urlencoded(data, url="/i18n/setlang/")
        self.assertEqual(response.status_code, 413)

    @override_settings(REQUEST_MAX_CONTACT_BYTES=20_000)
    def test_more_than_the_contact_cap_is_refused_unread(self):
        response = self.urlencoded(self.form_data(message="友" * 5000))
        self.assertEqual(response.status_code, 413)
        self.assertEqual(PublicRequest.objects.count(), 0)


@override_settings(PARTNERSHIPS_PAGE_CACHE_SECONDS=600)
class NeverCachedTests(ContactTestCase):
    def test_the_contact_page_is_never_cached(self):
        for _ in range(2):
            response = self.client.get(URL)
            self.assertFalse(response.has_header("X-Page-Cache"))
            self.assertIn("no-store", response["Cache-Control"])
            self.assertIn("private", response["Cache-Control"])
        # Two readers, two tokens: nobody is served another's form.
        other = Client()
        self.assertNotEqual(
            response.context["csrf_token"],
            other.get(URL).context["csrf_token"],
        )

    def test_a_page_with_a_form_is_never_stored(self):
        from django.http import HttpResponse
        from django.test import RequestFactory

        from partnerships.public.cache import cached_page, site_scopes

        calls = []

        def view(request):
            calls.append(1)
            return HttpResponse(b'<input name="csrfmiddlewaretoken" value="x">')

        cached = cached_page(site_scopes)(view)
        for _ in range(2):
            self.assertFalse(
                cached(RequestFactory().get("/x/")).has_header("X-Page-Cache")
            )
        self.assertEqual(len(calls), 2)

    def test_the_privacy_notice_is_cached_and_renewed_with_the_settings(self):
        first = self.client.get("/privacy/")
        self.assertEqual(first["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get("/privacy/")["X-Page-Cache"], "hit")
        make_site_settings(office_name_en="The Renamed Office")
        response = self.client.get("/privacy/")
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertContains(response, "The Renamed Office")


class PrivacyNoticeTests(ContactTestCase):
    @override_settings(PARTNERSHIPS_REQUEST_RETENTION_MONTHS=12)
    def test_it_states_purpose_and_retention(self):
        response = self.client.get("/privacy/")
        self.assertContains(response, "12 months after your request arrives")
        self.assertContains(response, "To answer your question or proposal")
        self.assertContains(response, "Personal Information Protection Law")
        self.assertContains(
            response, "Foreign Affairs Office of Chongqing Municipal People"
        )
        contact = self.client.get(URL)
        self.assertContains(contact, "for how long (12 months)")

    def test_in_three_languages(self):
        for prefix in ("", "/zh-hans", "/ru"):
            response = self.client.get(f"{prefix}/privacy/")
            self.assertEqual(response.status_code, 200)


class PrivateTests(ContactTestCase):
    """What a sender wrote is shown to no one else, on no page."""

    def test_a_form_refused_for_its_token_shows_nothing_it_carried(self):
        client = Client(enforce_csrf_checks=True)
        data = self.form_data(name="XPRIVATEX", message="XPRIVATEX message")
        response = client.post(URL, data, REMOTE_ADDR=self.address)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "XPRIVATEX", status_code=403)
        self.assertEqual(PublicRequest.objects.count(), 0)

    def test_the_next_visitor_gets_an_empty_form(self):
        data = self.form_data(name="XPRIVATEX", message="XPRIVATEX message")
        self.send(data)
        for url in (URL, "/contact/sent/", "/privacy/", "/partners/"):
            response = Client().get(url)
            self.assertNotContains(response, "XPRIVATEX")
