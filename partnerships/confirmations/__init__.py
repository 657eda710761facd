"""A partner city's office confirms a visit or a collaboration through a signed
link (issue 19): sent, revoked, re-sent, opened, answered, decided.

The link's token is made with Django's signing and binds the request, the
record and the contact (``token_payload``); only its sha256 is stored, so it
can be revoked and a copy of the database holds no working link. What the
partner answers changes nothing by itself: a clerk accepts or rejects each
correction (``decide``), and what is accepted goes through the publication
rule (``publication.needs_review``): a live record's changes by someone who
may not publish wait as a draft. Every step is a row of the record's history
that names the request and the contact, never the token.
"""

from .answers import CORRECTABLE, clean_corrections, clean_members
from .decisions import decide, proposal_keys
from .links import (
    SALT,
    LinkExpired,
    LinkRefused,
    LinkRevoked,
    LinkTampered,
    LinkUnknown,
    LinkUsed,
    check_usable,
    open_token,
    token_hash,
    token_payload,
)
from .sending import (
    REMIND_AFTER_DAYS,
    answer,
    awaiting_longer_than,
    check_partner,
    confirmation_of,
    confirmations_of,
    counts,
    link,
    note_in_history,
    partner_of,
    resend,
    revoke,
    send,
)

__all__ = [
    "CORRECTABLE",
    "REMIND_AFTER_DAYS",
    "SALT",
    "LinkExpired",
    "LinkRefused",
    "LinkRevoked",
    "LinkTampered",
    "LinkUnknown",
    "LinkUsed",
    "answer",
    "awaiting_longer_than",
    "check_partner",
    "check_usable",
    "clean_corrections",
    "clean_members",
    "confirmation_of",
    "confirmations_of",
    "counts",
    "decide",
    "link",
    "note_in_history",
    "open_token",
    "partner_of",
    "proposal_keys",
    "resend",
    "revoke",
    "send",
    "token_hash",
    "token_payload",
]
