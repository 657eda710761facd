"""E-mail Officials a digest of what is coming up; each event is sent only once."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.accounts.roles import OFFICIAL
from partnerships.dashboard import reminder_events
from partnerships.models import SentReminder

HEADINGS = {
    "visit": gettext_lazy("Upcoming visits"),
    "anniversary": gettext_lazy("Anniversaries in the next 12 months"),
    "renewal": gettext_lazy("Renewals due"),
    "quiet": gettext_lazy("Partnerships gone quiet"),
}


class Command(BaseCommand):
    help = (
        "E-mail the Officials a digest of upcoming visits, anniversaries, renewals "
        "due and partnerships gone quiet. Safe to run daily: an event already sent "
        "is never sent again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="Compute the reminders as of this day (YYYY-MM-DD); default today.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the digest without sending it or recording it as sent.",
        )

    def handle(self, *args, date=None, dry_run=False, **options):
        with translation.override(settings.LANGUAGE_CODE):
            self.run(date, dry_run)

    def run(self, date, dry_run):
        sent = set(SentReminder.objects.values_list("key", flat=True))
        events = [event for event in reminder_events(date) if event.key not in sent]
        if not events:
            self.stdout.write("Nothing new to send.")
            return
        recipients = self.recipients()
        body = self.digest(events)
        if dry_run:
            self.stdout.write(body)
            return
        if not recipients:
            raise CommandError(
                "No active user in the Official group has an e-mail address; "
                "nothing was sent or recorded."
            )
        subject = _("Partnerships: %(count)d reminder(s)") % {"count": len(events)}
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=recipients,
        )
        # Recording and sending succeed or fail together; a second run at the same
        # time trips over the unique keys instead of sending the digest twice.
        with transaction.atomic():
            SentReminder.objects.bulk_create(
                SentReminder(key=event.key, recipients=", ".join(recipients))
                for event in events
            )
            message.send(fail_silently=False)
        self.stdout.write(
            f"Sent {len(events)} reminder(s) to {len(recipients)} Official(s)."
        )

    def recipients(self):
        users = (
            get_user_model()
            .objects.filter(is_active=True, groups__name=OFFICIAL)
            .exclude(email="")
            .order_by("email")
        )
        return list(dict.fromkeys(users.values_list("email", flat=True)))

    def digest(self, events):
        lines = [_("Reminders from the partnerships records."), ""]
        for kind, heading in HEADINGS.items():
            chosen = [event for event in events if event.kind == kind]
            if not chosen:
                continue
            heading = str(heading)
            lines += [heading, "-" * len(heading)]
            lines += [f"- {event.text}" for event in chosen]
            lines.append("")
        return "\n".join(lines)
