"""Requests from the public: their handling, their erasure past retention, and
that they stay in backups and out of every export."""

import datetime
import io
from unittest import mock

import openpyxl
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from partnerships import public_requests
from partnerships.backups import counted_models
from partnerships.models import PublicRequest, RequestEvent, SiteSettings
from partnerships.models.choices import RequestEventKind, RequestStatus
from partnerships.public.spam import fingerprint
from partnerships.spreadsheets import exports
from partnerships.spreadsheets.reports import ReportFilter, build_report
from partnerships.spreadsheets.resources import RESOURCE_ORDER
from tests.factories import (
    make_agreement,
    make_city,
    make_home,
    make_request,
    make_site_settings,
    make_user,
)

MARKER = "XPRIVATEX"
BASE = "https://partners.example.org"


def at(*args):
    return datetime.datetime(*args, tzinfo=datetime.UTC)


class ReceiveTests(TestCase):
    def test_numbered_by_year_and_key_with_its_fingerprint(self):
        data = {"name": "Li", "email": "li@example.org", "message": "Hello"}
        request = public_requests.receive(data, "ru", moment=at(2027, 3, 1, 12))
        self.assertEqual(request.reference, f"2027-{request.pk:05d}")
        self.assertEqual(request.language, "ru")
        self.assertEqual(request.consented_at, at(2027, 3, 1, 12))
        self.assertEqual(request.fingerprint, fingerprint("  hello "))
        self.assertEqual(request.status, RequestStatus.NEW)
        self.assertTrue(public_requests.is_repeat("HELLO"))
        self.assertFalse(public_requests.is_repeat("Hello again"))


class TriageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = make_user("clerk")
        cls.colleague = make_user("colleague")
        make_site_settings(email="office@example.org")

    def setUp(self):
        self.request = make_request(language="zh-hans", email="li@example.org")

    def kinds(self):
        return list(self.request.events.values_list("kind", "status"))

    def test_assigning_a_new_request_makes_it_assigned(self):
        public_requests.assign(self.request, self.colleague, self.clerk)
        self.request.refresh_from_db()
        self.assertEqual(self.request.assigned_to, self.colleague)
        self.assertEqual(self.request.status, RequestStatus.ASSIGNED)
        self.assertEqual(
            self.kinds(),
            [(RequestEventKind.ASSIGNED, ""), (RequestEventKind.STATUS, "assigned")],
        )
        # The same again records nothing.
        public_requests.assign(self.request, self.colleague, self.clerk)
        self.assertEqual(len(self.kinds()), 2)

    def test_a_reply_is_mailed_in_the_senders_language_and_recorded(self):
        public_requests.reply(self.request, "欢迎来访。", self.clerk, BASE)
        [reply] = mail.outbox
        self.assertEqual(reply.to, ["li@example.org"])
        self.assertEqual(reply.reply_to, ["office@example.org"])
        self.assertIn(self.request.reference, reply.subject)
        self.assertTrue(reply.body.startswith("欢迎来访。"))
        self.assertIn("重庆市人民政府外事办公室", reply.body)
        self.assertIn(f"{BASE}/zh-hans/privacy/", reply.body)
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, RequestStatus.ANSWERED)
        event = self.request.events.get(kind=RequestEventKind.REPLY)
        self.assertEqual((event.text, event.by), ("欢迎来访。", self.clerk))

    def test_spam_and_erased_requests_get_no_reply(self):
        public_requests.set_status(self.request, RequestStatus.SPAM, self.clerk)
        with self.assertRaises(public_requests.ReplyRefused):
            public_requests.reply(self.request, "Hello", self.clerk, BASE)
        public_requests.erase(self.request, by=self.clerk)
        with self.assertRaises(public_requests.ReplyRefused):
            public_requests.reply(self.request, "Hello", self.clerk, BASE)
        self.assertEqual(mail.outbox, [])

    def test_a_reply_that_cannot_be_sent_is_not_recorded(self):
        with (
            mock.patch(
                "django.core.mail.EmailMessage.send", side_effect=OSError("down")
            ),
            self.assertRaises(public_requests.ReplyRefused),
        ):
            public_requests.reply(self.request, "Hello", self.clerk, BASE)
        self.assertFalse(self.request.events.exists())
        self.assertEqual(self.request.status, RequestStatus.NEW)

    def test_triagers_are_active_staff_who_may_triage(self):
        from django.contrib.auth.models import Group

        from partnerships.accounts.roles import CLERK, OFFICIAL, setup_roles

        setup_roles()
        clerk = make_user("triager", groups=[CLERK])
        make_user("reader", groups=[OFFICIAL])
        make_user("gone", groups=[CLERK], is_active=False)
        root = make_user("root", is_superuser=True)
        self.assertTrue(Group.objects.filter(name=CLERK).exists())
        self.assertEqual(list(public_requests.triagers()), [root, clerk])


class PurgeTests(TestCase):
    NOW = at(2027, 6, 15, 12)

    def setUp(self):
        self.old = make_request(
            received_at=at(2025, 6, 14, 12),
            partner_city=make_city(name="Voronezh"),
            organisation="School 8",
            telephone="+86 23 6000 0000",
            other_city="",
            status=RequestStatus.ANSWERED,
        )
        RequestEvent.objects.create(
            request=self.old, kind=RequestEventKind.REPLY, text="Dear Li, ..."
        )
        self.recent = make_request(received_at=at(2025, 6, 16, 12))

    def test_personal_data_past_retention_is_erased_and_the_counts_kept(self):
        self.assertEqual(public_requests.purge(self.NOW, dry_run=True), 1)
        self.assertEqual(public_requests.purge(self.NOW), 1)
        self.old.refresh_from_db()
        for field in ("name", "organisation", "email", "telephone", "message"):
            self.assertEqual(getattr(self.old, field), "", field)
        self.assertEqual(self.old.fingerprint, "")
        self.assertEqual(self.old.erased_at, self.NOW)
        # What the counts need stays.
        self.assertEqual(self.old.status, RequestStatus.ANSWERED)
        self.assertEqual(self.old.partner_city.name, "Voronezh")
        self.assertEqual(self.old.received_at, at(2025, 6, 14, 12))
        self.assertEqual(
            list(self.old.events.values_list("kind", "text")),
            [(RequestEventKind.REPLY, ""), (RequestEventKind.ERASED, "")],
        )
        # The recent one is untouched, and a second run erases nothing more.
        self.recent.refresh_from_db()
        self.assertNotEqual(self.recent.name, "")
        self.assertEqual(public_requests.purge(self.NOW), 0)
        self.assertEqual(PublicRequest.objects.count(), 2)

    @override_settings(PARTNERSHIPS_REQUEST_RETENTION_MONTHS=6)
    def test_the_retention_is_a_setting(self):
        self.assertEqual(public_requests.purge(self.NOW), 2)

    def test_the_command(self):
        out = io.StringIO()
        with mock.patch.object(timezone, "now", return_value=self.NOW):
            call_command("purge_requests", "--dry-run", stdout=out)
            self.assertIn("1 request(s) to erase", out.getvalue())
            self.assertEqual(PublicRequest.objects.personal().count(), 2)
            call_command("purge_requests", stdout=out)
        self.assertIn("1 request(s) erased: received more than 24", out.getvalue())
        self.assertEqual(PublicRequest.objects.personal().count(), 1)

    def test_months_before(self):
        cases = {
            at(2027, 6, 15): (24, at(2025, 6, 15)),
            at(2027, 3, 31): (1, at(2027, 2, 28)),
            at(2028, 2, 29): (12, at(2027, 2, 28)),
            at(2027, 1, 10): (1, at(2026, 12, 10)),
        }
        for moment, (months, expected) in cases.items():
            with self.subTest(moment=moment):
                self.assertEqual(
                    public_requests.months_before(moment, months), expected
                )


class CountTests(TestCase):
    def test_new_open_mine_and_all(self):
        clerk = make_user("clerk")
        make_request()
        make_request(status=RequestStatus.ASSIGNED, assigned_to=clerk)
        make_request(status=RequestStatus.ANSWERED, assigned_to=clerk)
        make_request(status=RequestStatus.SPAM)
        self.assertEqual(
            public_requests.counts(clerk),
            {"new": 1, "open": 2, "mine": 1, "total": 4},
        )
        self.assertEqual(public_requests.counts(None)["mine"], 0)


class BackupAndExportTests(TestCase):
    """In every backup; in no export (there is no export of requests)."""

    def test_backups_count_and_carry_the_new_tables(self):
        models = set(counted_models())
        for model in (PublicRequest, RequestEvent, SiteSettings):
            self.assertIn(model, models)

    def test_no_export_holds_a_request(self):
        home = make_home()
        city = make_city(name="Voronezh", slug="voronezh")
        make_agreement(home_party=home, partner=city)
        request = make_request(
            partner_city=city,
            name=MARKER,
            organisation=MARKER,
            email="xprivatex@example.org",
            message=MARKER,
        )
        RequestEvent.objects.create(
            request=request, kind=RequestEventKind.NOTE, text=MARKER
        )
        found = []
        for resource_class in RESOURCE_ORDER:
            headers, rows = exports.export_rows(resource_class())
            found.append(" ".join(map(str, headers)))
            found.extend(" ".join(map(str, row)) for row in rows)
            found.append("".join(exports.export_csv(resource_class())))
        first, last = datetime.date(2000, 1, 1), datetime.date(2030, 12, 31)
        book = openpyxl.load_workbook(build_report(ReportFilter(first, last)))
        for sheet in book.worksheets:
            found.extend(
                str(value)
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            )
        text = "\n".join(found)
        self.assertIn("Voronezh", text)
        self.assertNotIn(MARKER.lower(), text.lower())
        for url in ("/partners.csv", "/partners.json", "/sitemap.xml"):
            response = self.client.get(url)
            content = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
            self.assertNotIn(MARKER.lower().encode(), content.lower(), url)
