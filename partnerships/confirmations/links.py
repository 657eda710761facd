"""The links a partner confirms a record through: the token, made with
Django's signing, that binds one request, its record and its contact; its hash,
the only thing stored; and why a link is refused.
"""

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.utils import timezone

from ..models import ConfirmationRequest
from ..models.choices import ConfirmationStatus
from ..secret_links import token_hash

SALT = "partnerships.confirmations.link"

# Refusals -----------------------------------------------------------------------


class LinkRefused(Exception):
    """A confirmation link that cannot be used; ``reason`` says why."""

    reason = "refused"


class LinkTampered(LinkRefused):
    """Not a token this site signed, or its parts do not match its request."""

    reason = "tampered"


class LinkUnknown(LinkRefused):
    """Signed by this site, but no request has it (never sent, or replaced)."""

    reason = "unknown"


class LinkExpired(LinkRefused):
    reason = "expired"


class LinkRevoked(LinkRefused):
    reason = "revoked"


class LinkUsed(LinkRefused):
    """Answered already: a link is used once."""

    reason = "used"


def token_payload(request):
    """What a request's token binds: the request, the record, the contact."""
    record = request.record
    return {
        "r": request.pk,
        "t": ContentType.objects.get_for_model(record).pk,
        "o": record.pk,
        "c": request.contact_id,
    }


def open_token(token, moment=None):
    """The request a link's ``token`` opens, or a ``LinkRefused`` saying why.

    The signature is checked, then the stored hash, then that the signed ids are
    the stored request's own: changing any part of the address fails.
    """
    try:
        payload = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise LinkTampered from error
    if not isinstance(payload, dict) or not {"r", "t", "o", "c", "n"} <= set(payload):
        raise LinkTampered
    request = (
        ConfirmationRequest.objects.select_related("contact", "visit", "collaboration")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if request is None:
        raise LinkUnknown
    signed = {key: payload[key] for key in ("r", "t", "o", "c")}
    if signed != token_payload(request):
        raise LinkTampered
    check_usable(request, moment)
    if request.opened_at is None:
        request.opened_at = moment or timezone.now()
        ConfirmationRequest.objects.filter(
            pk=request.pk, opened_at__isnull=True
        ).update(opened_at=request.opened_at)
    return request


def check_usable(request, moment=None):
    """Raise the ``LinkRefused`` that says why the request cannot be answered."""
    if request.status == ConfirmationStatus.REVOKED:
        raise LinkRevoked
    if request.status == ConfirmationStatus.ANSWERED:
        raise LinkUsed
    if request.is_expired(moment):
        raise LinkExpired
