"""Requests from the public: received, acknowledged, triaged, answered, erased.

Every step is a ``RequestEvent`` in the request's log. E-mails go out in the
sender's language (the language of the page they wrote from), through Django's
mail. The acknowledgement repeats nothing the sender typed: whoever types
someone else's address cannot make the office send them their text.
"""

import calendar
import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import office
from .models import PublicRequest, RequestEvent
from .models.choices import RequestEventKind, RequestStatus
from .models.public_requests import OPEN_STATUSES, PERSONAL_FIELDS
from .public.spam import REPEAT_DAYS, fingerprint

logger = logging.getLogger(__name__)


class ReplyRefused(Exception):
    """A reply that cannot be sent; the message says why."""


# Receiving ----------------------------------------------------------------------


@transaction.atomic
def receive(data, language, moment=None):
    """Store a request from the contact form's cleaned ``data``; give it its
    reference number (the year it arrived, and its number)."""
    moment = moment or timezone.now()
    public_request = PublicRequest.objects.create(
        received_at=moment,
        language=language,
        organisation=data.get("organisation", ""),
        name=data["name"],
        email=data["email"],
        telephone=data.get("telephone", ""),
        partner_city=data.get("partner_city"),
        other_city=data.get("other_city", ""),
        sector=data.get("sector"),
        message=data["message"],
        consented_at=moment,
        fingerprint=fingerprint(data["message"]),
    )
    public_request.reference = (
        f"{timezone.localtime(moment).year}-{public_request.pk:05d}"
    )
    public_request.save(update_fields=["reference"])
    return public_request


def is_repeat(message, moment=None):
    """Whether the same message arrived in the last ``REPEAT_DAYS`` days."""
    since = (moment or timezone.now()) - datetime.timedelta(days=REPEAT_DAYS)
    return PublicRequest.objects.filter(
        fingerprint=fingerprint(message), received_at__gte=since
    ).exists()


# E-mail -------------------------------------------------------------------------


def _send(public_request, subject, template, context, base_url):
    """E-mail the sender, in their language, from the office."""
    with translation.override(public_request.language):
        identity = office.identity(public_request.language)
        row = identity.settings
        body = render_to_string(
            template,
            {
                **context,
                "public_request": public_request,
                "office": identity,
                "privacy_url": base_url + reverse("partnerships:privacy"),
                "retention_months": settings.PARTNERSHIPS_REQUEST_RETENTION_MONTHS,
            },
        )
        message = EmailMessage(
            subject=subject(),
            body=body,
            to=[public_request.email],
            reply_to=[row.email] if row is not None and row.email else None,
        )
    message.send()


def acknowledge(public_request, base_url):
    """Tell the sender their request arrived, with its reference; recorded.

    A failure to send is logged and leaves the request unacknowledged (the
    admin shows it), never lost.
    """
    try:
        _send(
            public_request,
            lambda: (
                _("We have received your request %(reference)s")
                % {"reference": public_request.reference}
            ),
            "partnerships/email/request_received.txt",
            {},
            base_url,
        )
    except Exception:
        logger.exception(
            "Acknowledgement of request %s not sent", public_request.reference
        )
        return False
    moment = timezone.now()
    PublicRequest.objects.filter(pk=public_request.pk).update(acknowledged_at=moment)
    public_request.acknowledged_at = moment
    RequestEvent.objects.create(
        request=public_request, kind=RequestEventKind.ACKNOWLEDGED, at=moment
    )
    return True


def reply(public_request, text, by, base_url):
    """Send ``text`` to the sender and record it; the request is answered.

    Raises ``ReplyRefused`` for a request that cannot be answered (its personal
    data erased, or marked as spam) or when the e-mail cannot be sent.
    """
    if public_request.erased_at is not None or not public_request.email:
        raise ReplyRefused(
            _("Its personal data is erased: there is no one to reply to.")
        )
    if public_request.status == RequestStatus.SPAM:
        raise ReplyRefused(_("It is marked as spam: spam is not answered."))
    try:
        _send(
            public_request,
            lambda: (
                _("Reply to your request %(reference)s")
                % {"reference": public_request.reference}
            ),
            "partnerships/email/request_reply.txt",
            {"text": text},
            base_url,
        )
    except Exception as error:
        logger.exception("Reply to request %s not sent", public_request.reference)
        raise ReplyRefused(
            _("The e-mail could not be sent; try again later.")
        ) from error
    RequestEvent.objects.create(
        request=public_request, kind=RequestEventKind.REPLY, by=by, text=text
    )
    if public_request.status != RequestStatus.ANSWERED:
        set_status(public_request, RequestStatus.ANSWERED, by)


# Triage -------------------------------------------------------------------------


def set_status(public_request, status, by):
    if public_request.status == status:
        return
    public_request.status = status
    public_request.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        request=public_request, kind=RequestEventKind.STATUS, by=by, status=status
    )


def assign(public_request, colleague, by):
    """Give the request to ``colleague`` (or to nobody); a new one is assigned."""
    if public_request.assigned_to_id == (colleague.pk if colleague else None):
        return
    public_request.assigned_to = colleague
    public_request.save(update_fields=["assigned_to", "updated_at"])
    RequestEvent.objects.create(
        request=public_request,
        kind=RequestEventKind.ASSIGNED,
        by=by,
        assigned_to=colleague,
    )
    if colleague is not None and public_request.status == RequestStatus.NEW:
        set_status(public_request, RequestStatus.ASSIGNED, by)


def add_note(public_request, text, by):
    RequestEvent.objects.create(
        request=public_request, kind=RequestEventKind.NOTE, by=by, text=text
    )


def triagers():
    """The colleagues a request can be assigned to: active staff who may triage."""
    codename = "change_publicrequest"
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename=codename)
            | Q(user_permissions__codename=codename)
        )
        .distinct()
        .order_by("username")
    )


# Erasing ------------------------------------------------------------------------


def months_before(moment, months):
    """The same moment ``months`` months earlier (the last day of a shorter month)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(moment=None):
    """Requests received before this are past their retention."""
    return months_before(
        moment or timezone.now(), settings.PARTNERSHIPS_REQUEST_RETENTION_MONTHS
    )


@transaction.atomic
def erase(public_request, by=None, moment=None):
    """Remove the request's personal data and its log's texts; keep the rest."""
    moment = moment or timezone.now()
    for name in PERSONAL_FIELDS:
        setattr(public_request, name, "")
    public_request.erased_at = moment
    public_request.save(update_fields=[*PERSONAL_FIELDS, "erased_at", "updated_at"])
    public_request.events.exclude(text="").update(text="")
    RequestEvent.objects.create(
        request=public_request, kind=RequestEventKind.ERASED, by=by, at=moment
    )


def purge(moment=None, dry_run=False):
    """Erase the personal data of every request past its retention; how many."""
    moment = moment or timezone.now()
    due = PublicRequest.objects.personal().received_before(retention_cutoff(moment))
    if dry_run:
        return due.count()
    erased = 0
    for public_request in due.order_by("pk").iterator():
        erase(public_request, moment=moment)
        erased += 1
    return erased


# Counting -----------------------------------------------------------------------


def counts(user=None):
    """The dashboard's figures: new, open, assigned to ``user``, by status."""
    figures = PublicRequest.objects.aggregate(
        new=Count("pk", filter=Q(status=RequestStatus.NEW)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        mine=Count(
            "pk",
            filter=Q(status__in=OPEN_STATUSES, assigned_to=user)
            if user is not None and user.pk
            else Q(pk__in=[]),
        ),
        total=Count("pk"),
    )
    return figures
