"""A request to a partner to confirm a record: sent, revoked, re-sent and
answered, each step a row of the record's history; and what the admin, the
public page, the report and the reminders read of them."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import office
from ..models import Collaboration, ConfirmationRequest, Visit
from ..models.choices import ConfirmationAnswer, ConfirmationStatus
from ..models.confirmations import RECORD_FIELDS
from .answers import clean_corrections, clean_members
from .links import SALT, check_usable, token_hash, token_payload

#: The longest history note simple-history keeps (its change reason's column).
REASON_LENGTH = 100


# Records and partners -----------------------------------------------------------


def partner_of(record):
    """The partner city a visit or collaboration is with."""
    if isinstance(record, Visit):
        return record.partner_city
    if isinstance(record, Collaboration):
        return record.agreement.partner
    raise TypeError(f"{type(record).__name__} records are not sent to partners.")


def check_partner(record, contact):
    """Refuse to send ``record`` to a contact of another city than its partner."""
    partner = partner_of(record)
    if partner.pk != contact.city_id:
        raise ValidationError(
            _(
                "%(contact)s is a contact of %(city)s, but this record is with "
                "%(partner)s: only a contact of the record's partner city can "
                "confirm it."
            )
            % {"contact": contact, "city": contact.city, "partner": partner},
            code="other_city",
        )


def _reason(text):
    """A history note short enough for its column."""
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def note_in_history(record, reason, user=None):
    """A new version of ``record`` in its history, saying what happened.

    The record's content is not changed; its ``updated_at`` is (the public
    page may now say "Confirmed by…", and the sitemap follows).
    """
    record._change_reason = _reason(str(reason))
    record._history_user = user
    record.save(update_fields=["updated_at"])
    del record._change_reason
    del record._history_user


def _describe(request):
    """The request and contact as a history note names them."""
    return _("request #%(request)s, contact #%(contact)s %(office)s") % {
        "request": request.pk,
        "contact": request.contact_id,
        "office": request.contact.office,
    }


# Sending ------------------------------------------------------------------------


def link(request, token, base_url=None):
    """The absolute address of the partner's page, in their language."""
    base = (base_url or settings.PARTNERSHIPS_SITE_URL).rstrip("/")
    with translation.override(request.language):
        return base + reverse("partnerships:confirm", args=[token])


def _email(request, token, base_url):
    """E-mail the contact the link, in their language, from the office."""
    contact = request.contact
    with translation.override(request.language):
        identity = office.identity(request.language)
        row = identity.settings
        body = render_to_string(
            "partnerships/email/confirmation_request.txt",
            {
                "request": request,
                "contact": contact,
                "record": request.record,
                "link": link(request, token, base_url),
                "office": identity,
            },
        )
        message = EmailMessage(
            subject=_("Please confirm our record: %(record)s")
            % {"record": request.record},
            body=body,
            to=[contact.email],
            reply_to=[row.email] if row is not None and row.email else None,
        )
    message.send()


@transaction.atomic
def send(record, contact, user, message="", base_url=None):
    """Send ``record`` to ``contact`` to confirm; returns the new request.

    Refuses (``ValidationError``) a contact of another city. An earlier link
    to the same contact about the same record still awaiting is revoked. The
    token is on the returned request as ``token`` (never stored): it is in the
    e-mail, and nowhere else.
    """
    check_partner(record, contact)
    earlier = (
        ConfirmationRequest.objects.of(record)
        .filter(contact=contact, status=ConfirmationStatus.AWAITING)
        .select_for_update(of=("self",))
    )
    for request in earlier:
        revoke(request, user)
    moment = timezone.now()
    nonce = secrets.token_urlsafe(16)
    request = ConfirmationRequest.objects.create(
        **{RECORD_FIELDS[type(record)]: record},
        contact=contact,
        language=contact.language,
        sent_by=user,
        sent_at=moment,
        expires_at=moment
        + datetime.timedelta(days=settings.PARTNERSHIPS_CONFIRMATION_DAYS),
        message=message,
        # A placeholder no token hashes to, replaced below once the id is known.
        token_hash=f"pending-{nonce}"[:64],
    )
    token = signing.dumps({**token_payload(request), "n": nonce}, salt=SALT)
    request.token_hash = token_hash(token)
    request.save(update_fields=["token_hash"])
    _email(request, token, base_url)
    note_in_history(
        record,
        _("Sent to the partner to confirm (%(request)s)")
        % {"request": _describe(request)},
        user,
    )
    request.token = token
    return request


@transaction.atomic
def revoke(request, user):
    """Make the request's link unusable; a link already answered stays answered."""
    if request.status != ConfirmationStatus.AWAITING:
        raise ValidationError(
            _("Only a link still awaiting an answer can be revoked."),
            code="not_awaiting",
        )
    request.status = ConfirmationStatus.REVOKED
    request.revoked_at = timezone.now()
    request.revoked_by = user
    request.save(update_fields=["status", "revoked_at", "revoked_by"])
    note_in_history(
        request.record,
        _("Confirmation link revoked (%(request)s)") % {"request": _describe(request)},
        user,
    )
    return request


@transaction.atomic
def resend(request, user, base_url=None):
    """Revoke the request's link (if still awaiting) and send a fresh one."""
    if request.status == ConfirmationStatus.AWAITING:
        revoke(request, user)
    return send(request.record, request.contact, user, request.message, base_url)


# The partner's side -------------------------------------------------------------


@transaction.atomic
def answer(
    request,
    kind,
    respondent_name,
    respondent_office,
    comment="",
    corrections=None,
    members=None,
):
    """Keep the partner's answer; the link is used. The record is not changed."""
    request = (
        ConfirmationRequest.objects.select_for_update(of=("self",))
        .select_related("contact", "visit", "collaboration")
        .get(pk=request.pk)
    )
    check_usable(request)
    if kind not in ConfirmationAnswer.values:
        raise ValidationError(_("Choose an answer."), code="kind")
    respondent_name = (respondent_name or "").strip()
    respondent_office = (respondent_office or "").strip()
    if not respondent_name or not respondent_office:
        raise ValidationError(
            _("Give your name and your office with your answer."), code="respondent"
        )
    record = request.record
    corrections = clean_corrections(record, corrections)
    members = clean_members(record, members)
    if kind == ConfirmationAnswer.CORRECTED and not (corrections or members):
        raise ValidationError(
            _("Write at least one correction, or choose another answer."),
            code="nothing_corrected",
        )
    if kind != ConfirmationAnswer.CORRECTED and (corrections or members):
        raise ValidationError(
            _("You wrote corrections: choose “propose corrections” to send them."),
            code="corrections_unasked",
        )
    request.answer = kind
    request.respondent_name = respondent_name
    request.respondent_office = respondent_office
    request.comment = comment or ""
    request.corrections = corrections
    request.members = members
    request.status = ConfirmationStatus.ANSWERED
    request.used_at = timezone.now()
    request.save()
    with translation.override(settings.LANGUAGE_CODE):
        what = ConfirmationAnswer(kind).label
        reason = _("Partner's answer: %(answer)s (%(request)s)") % {
            "answer": what,
            "request": _describe(request),
        }
    note_in_history(record, reason)
    return request


# Reading confirmations ----------------------------------------------------------


def confirmation_of(record):
    """The latest answer confirming ``record`` as correct, or ``None``: its
    ``respondent_office`` and ``used_at`` say "Confirmed by <office>, <date>"."""
    return ConfirmationRequest.objects.of(record).confirmed().first()


def confirmations_of(records):
    """``{record pk: latest confirming answer}`` for records of one kind, in one
    query (a list, a public page, the report)."""
    records = list(records)
    if not records:
        return {}
    field = RECORD_FIELDS[type(records[0])]
    found = {}
    answers = ConfirmationRequest.objects.confirmed().filter(
        **{f"{field}__in": [record.pk for record in records]}
    )
    for request in answers:
        found.setdefault(getattr(request, f"{field}_id"), request)
    return found


#: A partner's answer awaited longer than this many days is a reminder.
REMIND_AFTER_DAYS = 14


def counts(moment=None):
    """The dashboard's figures: links awaiting an answer, and those awaiting
    longer than ``REMIND_AFTER_DAYS``."""
    return {
        "awaiting": ConfirmationRequest.objects.awaiting(moment).count(),
        "overdue": awaiting_longer_than(REMIND_AFTER_DAYS, moment).count(),
    }


def awaiting_longer_than(days=REMIND_AFTER_DAYS, moment=None):
    """Requests still awaiting an answer sent more than ``days`` days ago."""
    moment = moment or timezone.now()
    return (
        ConfirmationRequest.objects.awaiting(moment)
        .filter(sent_at__lte=moment - datetime.timedelta(days=days))
        .select_related("contact", "visit", "collaboration")
        .order_by("sent_at", "pk")
    )
