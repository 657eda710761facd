"""One line of a lines cell, written and read: "Head of delegation: Ivan Petrov —
Mayor", "Partner side: Name — Title", "Home side: Institution — Role".

A line may start with a label (a role or a side) before a colon, half- or
full-width, and part a name from a title with an em dash, spaced or not, or the
doubled one Chinese writes. ``children.py`` uses these for each kind of child.
"""

import re

from ..models.choices import DelegationRole
from .lookups import choice_lookup

NAME_TITLE_SEPARATOR = " — "
#: A line's label ("Head of delegation:") ends at a colon, half- or full-width:
#: a clerk typing Chinese writes "团长：".
LABELLED = re.compile(r"^([^:：]*)[:：](.*)$", re.S)
#: A name and a title are parted by an em dash, spaced or not, or by the doubled
#: one Chinese writes (——).
DASH = re.compile(r"\s*——?\s*")


def split_label(line):
    """``(label, rest)`` of 'Label: rest' (either colon), or ``("", line)``."""
    found = LABELLED.match(line)
    return (found.group(1), found.group(2)) if found else ("", line)


def split_dash(body):
    """``(before, after)`` the first dash of ``body``, or None if it has none."""
    found = DASH.search(body)
    return (body[: found.start()], body[found.end() :]) if found else None


def label(choices, value):
    return str(choices(value).label) if value else ""


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
    prefix, rest = split_label(line)
    code = choice_lookup(DelegationRole).get(prefix.strip().casefold())
    if code:
        role, body = code, rest.strip()
    name, title = split_dash(body) or ("", body)
    return role, name.strip(), title.strip()


def signatory_line(side, name, title):
    """'Partner side: Name — Title' (``side`` is the side's label)."""
    if name and title:
        return f"{side}: {name}{NAME_TITLE_SEPARATOR}{title}"
    if name:
        return f"{side}: {name}{NAME_TITLE_SEPARATOR.rstrip()}"
    return f"{side}: {title}"


def participant_line(side, who, role):
    """'Home side: Institution — Role' (``side`` is the side's label)."""
    if role:
        who = f"{who}{NAME_TITLE_SEPARATOR}{role}"
    return f"{side}: {who}"
