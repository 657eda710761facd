"""The Officials' reminder digest: the dashboard's reminders not sent yet
(``dashboard.reminder_events``), composed in the site's language and e-mailed once.

``manage.py send_reminders`` runs it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .accounts.roles import OFFICIAL
from .dashboard import reminder_events
from .models import SentReminder

HEADINGS = {
    "visit": gettext_lazy("Upcoming visits"),
    "anniversary": gettext_lazy("Anniversaries in the next 12 months"),
    "renewal": gettext_lazy("Renewals due"),
    "quiet": gettext_lazy("Partnerships gone quiet"),
}


class NoRecipients(Exception):
    """No active Official has an e-mail address: nothing is sent or recorded."""


@dataclass
class Digest:
    events: list
    recipients: list
    subject: str
    body: str


def prepare(today=None):
    """The digest of the events not sent yet as of ``today``; ``None`` if none."""
    with translation.override(settings.LANGUAGE_CODE):
        sent = set(SentReminder.objects.values_list("key", flat=True))
        events = [event for event in reminder_events(today) if event.key not in sent]
        if not events:
            return None
        return Digest(
            events=events,
            recipients=recipients(),
            subject=_("Partnerships: %(count)d reminder(s)") % {"count": len(events)},
            body=compose(events),
        )


def send(digest):
    """E-mail the digest to the Officials and record its events as sent."""
    if not digest.recipients:
        raise NoRecipients
    message = EmailMessage(
        subject=digest.subject,
        body=digest.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=digest.recipients,
    )
    # Recording and sending succeed or fail together; a second run at the same
    # time trips over the unique keys instead of sending the digest twice.
    with transaction.atomic():
        SentReminder.objects.bulk_create(
            SentReminder(key=event.key, recipients=", ".join(digest.recipients))
            for event in digest.events
        )
        message.send(fail_silently=False)


def recipients():
    """The e-mail addresses of the active Officials, each once."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=OFFICIAL)
        .exclude(email="")
        .order_by("email")
    )
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def compose(events):
    """The digest's text: the events under a heading per kind."""
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
