import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import translation

from partnerships.accounts.roles import CLERK, OFFICIAL, setup_roles
from partnerships.models import SentReminder
from partnerships.models.choices import DatePrecision, Direction, VisitStatus
from tests.factories import make_agreement, make_city, make_home, make_user, make_visit


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English texts, whatever an earlier test activated."""
    with translation.override("en"):
        yield


TODAY = "2026-06-01"


def send(*args):
    out = io.StringIO()
    call_command("send_reminders", "--date", TODAY, *args, stdout=out)
    return out.getvalue()


class SendRemindersTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.home = make_home()
        cls.partner = make_city(name="Minsk")
        cls.agreement = make_agreement(
            home_party=cls.home,
            partner=cls.partner,
            signed_on=datetime.date(2001, 12, 5),
        )
        cls.visit = make_visit(
            home_party=cls.home,
            partner_city=cls.partner,
            direction=Direction.OUTBOUND,
            status=VisitStatus.PLANNED,
            start_date=datetime.date(2026, 7, 1),
        )
        make_user("official", groups=[OFFICIAL], email="official@example.org")
        make_user("official2", groups=[OFFICIAL], email="")
        make_user("clerk", groups=[CLERK], email="clerk@example.org")

    def test_the_digest_goes_to_officials_with_every_kind_of_reminder(self):
        output = send()
        self.assertIn("Sent 3 reminder(s)", output)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["official@example.org"])
        self.assertIn("Upcoming visit, 1 July 2026", message.body)
        self.assertIn("Round anniversary: 25 years", message.body)
        self.assertIn("on 5 December 2026", message.body)
        self.assertIn("Gone quiet", message.body)
        self.assertEqual(
            set(SentReminder.objects.values_list("key", flat=True)),
            {
                f"visit:{self.visit.pk}:2026-07-01",
                f"anniversary:{self.agreement.pk}:2026-12-05",
                # The only visit is still planned: no contact recorded at all.
                f"quiet:{self.agreement.pk}:never",
            },
        )

    def test_a_second_run_sends_nothing_again(self):
        send()
        output = send()
        self.assertIn("Nothing new to send", output)
        self.assertEqual(len(mail.outbox), 1)

    def test_only_a_new_event_is_sent_later(self):
        send()
        self.visit.start_date = datetime.date(2026, 7, 15)
        self.visit.save()
        send()
        self.assertEqual(len(mail.outbox), 2)
        body = mail.outbox[1].body
        self.assertIn("15 July 2026", body)
        self.assertNotIn("anniversary", body.lower())

    def test_a_visit_known_by_its_month_is_not_given_a_day(self):
        self.visit.date_precision = DatePrecision.MONTH
        self.visit.save()
        send()
        body = mail.outbox[0].body
        self.assertIn("Upcoming visit, July 2026:", body)
        self.assertNotIn("1 July", body)

    def test_without_officials_to_write_to_nothing_is_recorded(self):
        from django.contrib.auth.models import Group

        Group.objects.get(name=OFFICIAL).user_set.clear()
        with self.assertRaisesMessage(CommandError, "nothing was sent or recorded"):
            send()
        self.assertFalse(SentReminder.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_dry_run_prints_and_records_nothing(self):
        output = send("--dry-run")
        self.assertIn("Upcoming visits", output)
        self.assertFalse(SentReminder.objects.exists())
        self.assertEqual(mail.outbox, [])
