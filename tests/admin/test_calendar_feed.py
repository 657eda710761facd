"""A staff member's private calendar feed: the link made once and shown once,
replaced and revoked; the feed it opens, with unpublished visits, anniversaries
and renewals due; and nothing for a link that opens nothing."""

import datetime
import logging

from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from foreignaffairs.access_log import RedactSecrets, redact
from partnerships import calendar_feeds
from partnerships.accounts.roles import CLERK, OFFICIAL, setup_roles
from partnerships.models import CalendarFeed
from partnerships.models.choices import DatePrecision, VisitStatus
from partnerships.secret_links import token_hash
from tests.factories import make_agreement, make_city, make_home, make_user, make_visit

D = datetime.date


def summaries(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(event["summary"]): event for event in calendar.walk("VEVENT")}


def token_of(link):
    return link.rsplit("/", 1)[1].removesuffix(".ics")


@override_settings(LANGUAGE_CODE="en")
class CalendarFeedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("feed-clerk", groups=[CLERK])
        cls.official = make_user("feed-official", groups=[OFFICIAL])
        cls.outsider = make_user("feed-outsider")
        today = timezone.localdate()
        home = make_home()
        voronezh = make_city(name="Voronezh", slug="voronezh")
        # Its anniversary falls within the next twelve months whatever today is.
        signed = (today + datetime.timedelta(days=10)).replace(year=1993)
        make_agreement(
            home_party=home,
            partner=voronezh,
            signed_on=signed,
            renewal_due_on=today + datetime.timedelta(days=40),
        )
        cls.planned = make_visit(
            partner_city=voronezh,
            title="Trade mission to Voronezh",
            status=VisitStatus.PLANNED,
            start_date=today + datetime.timedelta(days=20),
            published=False,
        )
        make_visit(
            partner_city=voronezh,
            title="Spring delegation",
            status=VisitStatus.PLANNED,
            start_date=(today + datetime.timedelta(days=70)).replace(day=1),
            date_precision=DatePrecision.MONTH,
        )
        make_visit(
            partner_city=voronezh,
            title="Past visit",
            start_date=today - datetime.timedelta(days=30),
        )
        cls.anniversary_years = (
            today.year - 1993 + (1 if signed.replace(year=today.year) < today else 0)
        )

    def make_link(self, user):
        self.client.force_login(user)
        response = self.client.post(reverse("admin:calendar"), {"action": "issue"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        self.client.logout()
        return response.context["link"]

    def test_the_link_opens_the_feed_without_signing_in(self):
        link = self.make_link(self.clerk)
        response = self.client.get(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(response["Referrer-Policy"], "no-referrer")
        found = summaries(response)
        self.assertIn("Visit: Trade mission to Voronezh", found)
        event = found["Visit: Trade mission to Voronezh"]
        self.assertIn("Not published.", str(event["description"]))
        self.assertTrue(
            str(event["url"]).endswith(
                reverse("admin:partnerships_visit_change", args=[self.planned.pk])
            )
        )
        month = found["Visit: Spring delegation"]
        self.assertIn("The day is not fixed yet", str(month["description"]))
        self.assertNotIn("Visit: Past visit", found)
        anniversary = [name for name in found if "Anniversary" in name]
        self.assertEqual(len(anniversary), 1, found)
        self.assertIn(f"{self.anniversary_years} years", anniversary[0])
        self.assertTrue(any(name.startswith("Renewal due:") for name in found))
        feed = CalendarFeed.objects.get(user=self.clerk)
        self.assertIsNotNone(feed.last_read_at)

    def test_the_token_is_kept_only_as_its_hash(self):
        token = token_of(self.make_link(self.clerk))
        feed = CalendarFeed.objects.get(user=self.clerk)
        self.assertEqual(feed.token_hash, token_hash(token))
        self.assertNotIn(token, feed.token_hash)
        # The page shows the link once, when it is made, and never after.
        self.client.force_login(self.clerk)
        page = self.client.get(reverse("admin:calendar"))
        self.assertNotContains(page, token)
        self.assertContains(page, "Your link was made on")

    def test_a_new_link_stops_the_old_one(self):
        old = self.make_link(self.clerk)
        new = self.make_link(self.clerk)
        self.assertNotEqual(old, new)
        self.assertEqual(self.client.get(old).status_code, 404)
        self.assertEqual(self.client.get(new).status_code, 200)

    def test_a_revoked_link_opens_nothing(self):
        link = self.make_link(self.clerk)
        self.client.force_login(self.clerk)
        response = self.client.post(
            reverse("admin:calendar"), {"action": "revoke"}, follow=True
        )
        self.assertContains(response, "no longer works")
        self.assertContains(response, "You have no calendar link.")
        self.client.logout()
        self.assertEqual(self.client.get(link).status_code, 404)
        self.assertFalse(CalendarFeed.objects.filter(user=self.clerk).exists())

    def test_an_altered_or_unknown_link_opens_nothing(self):
        link = self.make_link(self.clerk)
        token = token_of(link)
        altered = token[:-1] + ("A" if token[-1] != "A" else "B")
        for wrong in (altered, "x", token + "x", token.upper()):
            with self.subTest(wrong=wrong):
                url = reverse("admin:calendar-feed", args=[wrong])
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_link_stops_when_its_owner_may_no_longer_read(self):
        link = self.make_link(self.official)
        self.official.is_active = False
        self.official.save()
        self.assertEqual(self.client.get(link).status_code, 404)
        self.official.is_active = True
        self.official.is_staff = False
        self.official.save()
        self.assertEqual(self.client.get(link).status_code, 404)

    def test_only_staff_who_read_visits_and_agreements_get_a_feed(self):
        self.client.force_login(self.outsider)
        self.assertEqual(self.client.get(reverse("admin:calendar")).status_code, 403)
        response = self.client.post(reverse("admin:calendar"), {"action": "issue"})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(CalendarFeed.objects.exists())
        home = self.client.get(reverse("admin:index"))
        self.assertNotContains(home, reverse("admin:calendar"))

    def test_the_admin_header_links_to_the_page(self):
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, f'href="{reverse("admin:calendar")}"')

    def test_events_are_in_date_order(self):
        found = calendar_feeds.events()
        days = [event[1] for event in found]
        self.assertEqual(days, sorted(days))
        self.assertEqual(len({event[0] for event in found}), len(found))

    def test_the_feed_speaks_the_language_of_its_link(self):
        token = token_of(self.make_link(self.clerk))
        response = self.client.get(f"/ru/admin/calendar/{token}.ics")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(any(name.startswith("Визит") for name in summaries(response)))


class SecretLinksInLogsTests(TestCase):
    def test_tokens_are_redacted(self):
        for line, expected in (
            (
                "GET /admin/calendar/abc_DEF-123.ics HTTP/1.1",
                "/admin/calendar/[secret]",
            ),
            ("GET /ru/confirm/eyJhIjoxfQ:1v:sig/ HTTP/1.1", "/ru/confirm/[secret]/"),
            ("/zh-hans/admin/calendar/tok.ics?x=1", "/zh-hans/admin/calendar/[secret]"),
        ):
            with self.subTest(line=line):
                self.assertIn(expected, redact(line))
                self.assertNotIn("abc_DEF", redact(line))
                self.assertNotIn("sig", redact(line))
        self.assertEqual(
            redact("GET /admin/calendar/ HTTP/1.1"), "GET /admin/calendar/ HTTP/1.1"
        )

    def test_djangos_not_found_line_is_redacted(self):
        record = logging.LogRecord(
            "django.request",
            logging.WARNING,
            __file__,
            1,
            "Not Found: %s",
            ("/admin/calendar/s3cr3t.ics",),
            None,
        )
        self.assertTrue(RedactSecrets().filter(record))
        self.assertEqual(record.getMessage(), "Not Found: /admin/calendar/[secret]")


class EveryLogHandlerRedactsTests(TestCase):
    def test_djangos_loggers_and_the_development_servers_filter(self):
        """Django's own loggers (``django.request``'s "Gone: …", the development
        server's request lines) reach only handlers that redact."""
        for name in ("django.request", "django.server", "partnerships"):
            with self.subTest(logger=name):
                logger = logging.getLogger(name)
                handlers = []
                while logger is not None:
                    # pytest's own capture handlers are not the site's.
                    handlers.extend(
                        handler
                        for handler in logger.handlers
                        if not type(handler).__module__.startswith("_pytest")
                    )
                    logger = logger.parent if logger.propagate else None
                self.assertTrue(handlers)
                for handler in handlers:
                    self.assertTrue(
                        any(isinstance(f, RedactSecrets) for f in handler.filters),
                        handler,
                    )
