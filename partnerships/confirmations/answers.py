"""What a partner may propose of each kind of record they confirm, and the
check of what they propose: the fields they may correct (never an internal
one), dates as this office writes them, delegation members of that visit only.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Collaboration, Visit
from ..models.partial_dates import DateError, parse

#: What a partner may correct of each kind of record: ``{field: how}``, where
#: ``text`` is a translated text (the correction goes to the partner's
#: language), ``date`` a date as precisely as known, and ``note`` something the
#: clerk changes by hand once accepted (sectors, participants).
CORRECTABLE = {
    Visit: {
        "title": "text",
        "start_date": "date",
        "end_date": "date",
        "date_note": "text",
        "purpose": "text",
        "programme": "text",
        "outcomes": "text",
        "public_summary": "text",
        "sectors": "note",
    },
    Collaboration: {
        "title": "text",
        "started_on": "date",
        "ended_on": "date",
        "summary": "text",
        "participants": "note",
    },
}
#: The precision field of each correctable date.
PRECISIONS = {
    "start_date": "date_precision",
    "end_date": "date_precision",
    "started_on": "started_precision",
    "ended_on": "ended_precision",
}
#: The most delegation members one answer may correct or add.
MAX_MEMBER_CHANGES = 30


def clean_corrections(record, corrections):
    """The corrections a partner may propose of ``record``, checked."""
    allowed = CORRECTABLE[type(record)]
    cleaned = {}
    for field, value in (corrections or {}).items():
        if field not in allowed:
            raise ValidationError(
                _("%(field)s cannot be corrected here.") % {"field": field},
                code="not_correctable",
            )
        value = str(value).strip()
        if not value:
            continue
        if allowed[field] == "date":
            try:
                parse(value)
            except DateError as error:
                raise ValidationError(str(error), code="date") from error
        cleaned[field] = value
    return cleaned


def clean_members(record, members):
    """The delegation changes a partner may propose of ``record``, checked."""
    members = list(members or [])
    if members and not isinstance(record, Visit):
        raise ValidationError(_("Only a visit has a delegation."), code="members")
    if len(members) > MAX_MEMBER_CHANGES:
        raise ValidationError(
            _("At most %(count)d delegation members can be changed at once.")
            % {"count": MAX_MEMBER_CHANGES},
            code="members",
        )
    ids = set(record.members.values_list("pk", flat=True)) if members else set()
    cleaned = []
    for row in members:
        member = row.get("member")
        name = str(row.get("name") or "").strip()
        title = str(row.get("title") or "").strip()
        if member is not None and member not in ids:
            raise ValidationError(
                _("That delegation member is not in this visit."), code="members"
            )
        if name or title:
            cleaned.append({"member": member, "name": name, "title": title})
    return cleaned
