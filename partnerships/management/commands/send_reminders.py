"""E-mail Officials a digest of what is coming up; each event is sent only once."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from partnerships import reminders


class Command(BaseCommand):
    help = (
        "E-mail the Officials a digest of upcoming visits, anniversaries, renewals "
        "due and partnerships gone quiet, and the Publishers one of the drafts "
        "waiting for review. Safe to run daily: an event already sent is never "
        "sent again."
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
        self.send_drafts(date, dry_run)
        digest = reminders.prepare(date)
        if digest is None:
            self.stdout.write("Nothing new to send.")
            return
        if dry_run:
            self.stdout.write(digest.body)
            return
        try:
            reminders.send(digest)
        except reminders.NoRecipients:
            raise CommandError(
                "No active user in the Official group has an e-mail address; "
                "nothing was sent or recorded."
            ) from None
        self.stdout.write(
            f"Sent {len(digest.events)} reminder(s) to "
            f"{len(digest.recipients)} Official(s)."
        )

    def send_drafts(self, date, dry_run):
        """The Publishers' digest of drafts waiting, once a day."""
        digest = reminders.prepare_drafts(date)
        if digest is None:
            return
        if dry_run:
            self.stdout.write(digest.body)
            return
        if not digest.recipients:
            self.stderr.write(
                "Drafts wait for review, but no active Publisher has an e-mail address."
            )
            return
        reminders.send(digest)
        self.stdout.write(
            f"Sent the digest of drafts waiting to {len(digest.recipients)} "
            "Publisher(s)."
        )
