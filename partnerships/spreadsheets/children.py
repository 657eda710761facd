"""Cells holding one line per child record: members, signatories, participants."""

from ..models.choices import (
    DelegationRole,
    Side,
)
from .lookups import choice_lookup

NAME_TITLE_SEPARATOR = " — "


def format_signatory(signatory):
    side = str(Side(signatory.side).label)
    name = signatory.person.name if signatory.person_id else ""
    return signatory_line(side, name, signatory.title_at_time)


def signatory_line(side, name, title):
    """'Partner: Name — Title' (``side`` is the side's label) for one signatory."""
    if name and title:
        return f"{side}: {name}{NAME_TITLE_SEPARATOR}{title}"
    if name:
        return f"{side}: {name}{NAME_TITLE_SEPARATOR.rstrip()}"
    return f"{side}: {title}"


def role_lookup():
    return choice_lookup(DelegationRole)


def format_member(member):
    role = str(DelegationRole(member.role).label) if member.role else ""
    name = member.person.name if member.person_id else ""
    return member_line(role, name, member.title_at_time)


def member_line(role, name, title):
    """'Head of delegation: Name — Title' (``role`` is the role's label)."""
    if name and title:
        body = f"{name}{NAME_TITLE_SEPARATOR}{title}"
    elif name:
        body = f"{name}{NAME_TITLE_SEPARATOR.rstrip()}"
    else:
        body = title
    return f"{role}: {body}" if role else body


def parse_member(line):
    """``(role, name, title)`` from 'Head of delegation: Name — Title'."""
    role = DelegationRole.MEMBER
    body = line
    if ":" in line:
        prefix, rest = line.split(":", 1)
        code = role_lookup().get(prefix.strip().casefold())
        if code:
            role, body = code, rest.strip()
    dash = NAME_TITLE_SEPARATOR.strip()
    if NAME_TITLE_SEPARATOR in body:
        name, title = body.split(NAME_TITLE_SEPARATOR, 1)
    elif body.endswith(dash):
        name, title = body[: -len(dash)], ""
    else:
        name, title = "", body
    return role, name.strip(), title.strip()


def format_participant(participant):
    side = str(Side(participant.side).label)
    who = (
        participant.institution.name
        if participant.institution_id
        else participant.description
    )
    return participant_line(side, who, participant.role)


def participant_line(side, who, role):
    """'Home: Institution — Role' (``side`` is the side's label)."""
    if role:
        who = f"{who}{NAME_TITLE_SEPARATOR}{role}"
    return f"{side}: {who}"
