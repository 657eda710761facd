"""The Officials' reminder digest: the dashboard's reminders not sent yet
(``dashboard.reminder_events``), composed in the site's language and e-mailed once;
and the Publishers' daily digest of the drafts waiting for their review.

``manage.py send_reminders`` runs it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import publication
from .accounts.roles import OFFICIAL, PUBLISHER
from .dashboard import Event, reminder_events
from .models import Draft, SentReminder
from .models.partial_dates import format_date

HEADINGS = {
    "visit": gettext_lazy("Upcoming visits"),
    "anniversary": gettext_lazy("Anniversaries in the next 12 months"),
    "renewal": gettext_lazy("Renewals due"),
    "quiet": gettext_lazy("Partnerships gone quiet"),
    "confirmation": gettext_lazy(
        "Awaiting the partner's confirmation for more than 14 days"
    ),
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


# The Publishers' daily digest of drafts -------------------------------------------


def prepare_drafts(today=None):
    """The Publishers' digest of the drafts waiting for review, once a day;
    ``None`` if none waits or today's was sent."""
    today = today or timezone.localdate()
    key = f"drafts:{today.isoformat()}"
    if SentReminder.objects.filter(key=key).exists():
        return None
    drafts = list(
        Draft.objects.pending().select_related("author").order_by("created_at")
    )
    if not drafts:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        lines = [_("Changes waiting for a Publisher's review:"), ""]
        for draft in drafts:
            lines.append(
                _("- %(record)s, by %(authors)s, since %(when)s: %(path)s")
                % {
                    "record": draft.record() or draft,
                    "authors": publication.authors(draft),
                    "when": format_date(draft.created_at.date()),
                    "path": reverse("admin:review_draft", args=[draft.pk]),
                }
            )
        return Digest(
            events=[Event(key=key, kind="drafts", day=today, text="")],
            recipients=publisher_recipients(),
            subject=_("Partnerships: %(count)d change(s) waiting for review")
            % {"count": len(drafts)},
            body="\n".join(lines),
        )


def publisher_recipients():
    """The e-mail addresses of the active Publishers, each once."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=PUBLISHER)
        .exclude(email="")
        .order_by("email")
    )
    return list(dict.fromkeys(users.values_list("email", flat=True)))
