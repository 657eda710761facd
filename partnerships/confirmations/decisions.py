"""The Clerk's decisions on a partner's corrections: each accepted or rejected,
and what is accepted applied through the publication rule (a live record's
change by someone who may not publish waits as a draft)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from .. import publication
from ..models import (
    ConfirmationRequest,
    DelegationMember,
    Person,
    PersonAlias,
)
from ..models.choices import CorrectionDecision, DelegationRole
from ..models.partial_dates import parse
from .answers import CORRECTABLE, PRECISIONS
from .sending import _describe, _reason, note_in_history, partner_of


def proposal_keys(request):
    """Every correction of the answer a clerk decides on: fields, then
    ``member:<index>``."""
    return [*request.corrections, *(f"member:{i}" for i in range(len(request.members)))]


def _column(field, language):
    """The column of translated ``field`` in ``language``: ``title_ru``."""
    return build_localized_fieldname(field, language)


def _field_changes(record, request, accepted):
    """``{column: value}`` for the accepted corrections of the record's fields."""
    how = CORRECTABLE[type(record)]
    internal = publication.internal_fields(type(record))
    changes = {}
    for field in accepted:
        if field not in request.corrections or how[field] == "note":
            continue
        value = request.corrections[field]
        if how[field] == "text":
            column = _column(field, request.language)
            if column not in internal and field not in internal:
                changes[column] = value
        elif how[field] == "date":
            day, precision = parse(value)
            changes[field] = day
            changes[PRECISIONS[field]] = precision
    return changes


def _person(record, name, language):
    """The partner city's person who goes by ``name``, or a new one."""
    found = list(Person.objects.named(name).filter(city=partner_of(record))[:2])
    if len(found) == 1:
        return found[0]
    fields = {"name_en": name, _column("name", language): name}
    return Person.objects.create(city=partner_of(record), **fields)


def stale_members(record, request, indexes=None):
    """The indexes of the answer's member changes whose member is no longer in
    the record's delegation."""
    if not request.members or not hasattr(record, "members"):
        return set()
    live = set(record.members.values_list("pk", flat=True))
    indexes = range(len(request.members)) if indexes is None else indexes
    return {
        index
        for index in indexes
        if request.members[index]["member"] is not None
        and request.members[index]["member"] not in live
    }


def _member_rows(record, request, accepted):
    """The delegation's rows with the accepted member changes, or ``None``."""
    chosen = [request.members[index] for index in accepted]
    if not chosen:
        return None
    members = list(record.members.all())
    columns = publication.child_columns(DelegationMember, "visit")
    rows = {
        member.pk: {field.name: field.value_from_object(member) for field in columns}
        for member in members
    }
    order = [member.pk for member in members]
    by_pk = {member.pk: member for member in members}
    title_column = _column("title_at_time", request.language)
    added = 0
    for change in chosen:
        if change["member"] is not None:
            row = rows[change["member"]]
            member = by_pk[change["member"]]
        else:
            blank = DelegationMember(role=DelegationRole.MEMBER)
            row = {field.name: field.value_from_object(blank) for field in columns}
            row["position"] = len(order) + added
            added += 1
            member = None
            key = f"new-{added}"
            rows[key] = row
            order.append(key)
        if change["title"]:
            row[title_column] = change["title"]
        if change["name"]:
            if member is not None and member.person_id:
                # The person is shared by every record that names them: the
                # partner's spelling is kept as one of their names.
                PersonAlias.objects.get_or_create(
                    person_id=member.person_id, name=change["name"]
                )
            else:
                row["person"] = _person(record, change["name"], request.language).pk
    return [rows[key] for key in order]


@transaction.atomic
def decide(request, user, accepted_fields, rejected_fields):
    """Accept or reject each of the answer's corrections (keys of
    ``proposal_keys``); apply the accepted ones to the record.

    A live record changed by someone who may not publish gets a draft for a
    Publisher (``publication.propose``), never a direct change; otherwise the
    record is saved. Returns ``(draft or None, by_hand)``: ``by_hand``, the
    accepted corrections a clerk makes in the admin (sectors, participants, and
    a member whose row has changed since the partner answered).
    """
    request = ConfirmationRequest.objects.select_for_update(of=("self",)).get(
        pk=request.pk
    )
    accepted, rejected = list(accepted_fields), list(rejected_fields)
    keys = set(proposal_keys(request))
    unknown = (set(accepted) | set(rejected)) - keys
    if unknown:
        raise ValidationError(
            _("No such correction: %(keys)s") % {"keys": ", ".join(sorted(unknown))},
            code="unknown",
        )
    if set(accepted) & set(rejected):
        raise ValidationError(
            _("A correction is either accepted or rejected."), code="both"
        )
    again = (set(accepted) | set(rejected)) & set(request.decisions)
    if again:
        raise ValidationError(
            _("Already decided: %(keys)s") % {"keys": ", ".join(sorted(again))},
            code="decided",
        )
    record = (
        type(request.record)
        ._default_manager.select_for_update(of=("self",))
        .get(pk=request.record.pk)
    )
    fields = _field_changes(
        record, request, [key for key in accepted if not key.startswith("member:")]
    )
    chosen = [int(key.split(":")[1]) for key in accepted if key.startswith("member:")]
    # A member's row may have been replaced since the partner answered (an
    # approved draft rewrites the delegation): that change is made by hand.
    stale = stale_members(record, request, chosen)
    rows = _member_rows(
        record, request, [index for index in chosen if index not in stale]
    )
    how = CORRECTABLE[type(record)]
    by_hand = [key for key in accepted if how.get(key) == "note"]
    by_hand += [f"member:{index}" for index in stale]
    proposed = {"fields": fields, "children": {"members": rows} if rows else {}}
    with translation.override(settings.LANGUAGE_CODE):
        reason = _(
            "Partner's corrections decided: %(accepted)d accepted, "
            "%(rejected)d rejected (%(request)s)"
        ) % {
            "accepted": len(accepted),
            "rejected": len(rejected),
            "request": _describe(request),
        }
    draft = None
    if fields or rows:
        if publication.needs_review(user, record):
            draft, _added = publication.propose(record, user, proposed)
            note_in_history(record, reason, user)
        else:
            publication.assign(record, fields)
            record._change_reason = _reason(reason)
            record._history_user = user
            record.save()
            if rows is not None:
                publication.replace_children(record, "members", rows)
    else:
        note_in_history(record, reason, user)
    request.decisions = {
        **request.decisions,
        **dict.fromkeys(accepted, CorrectionDecision.ACCEPTED.value),
        **dict.fromkeys(rejected, CorrectionDecision.REJECTED.value),
    }
    request.decided_by = user
    request.decided_at = timezone.now()
    request.save(update_fields=["decisions", "decided_by", "decided_at"])
    return draft, by_hand
