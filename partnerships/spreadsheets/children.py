"""Cells that hold a record's children, one per line: read, written, compared, replaced.

A visit's delegation ("Head of delegation: Ivan Petrov — Mayor"), an agreement's
signatories ("Partner side: Name — Title"), a collaboration's participants ("Home
side: Institution — Role") and an institution's alternate names ("A; B") are each
one cell of a spreadsheet and several rows of the database. ``ChildLines`` is how
such a cell is written (``line`` for the fast export, ``cell`` for a record), read
back (``parse``), compared with what is recorded (``stored``) and written in place
of it (``replace``, in bulk, with the audit history). One subclass per kind.

One job, the "one line per child" column, in a module a little over 500 lines:
the four kinds share the base's reading, comparing and bulk writing. How one
line is written and read ("Role: Name — Title") is ``lines.py``; the look-ups
of people and institutions sit beside the kind that needs them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import (
    CollaborationParticipant,
    DelegationMember,
    Institution,
    InstitutionAlias,
    Person,
    Signatory,
)
from ..models.choices import DelegationRole, Direction, Side
from . import bulk
from .exports import Memo
from .lines import (
    label,
    member_line,
    parse_member,
    participant_line,
    signatory_line,
    split_dash,
    split_label,
)
from .lookups import choice_lookup, split_lines, split_list, which
from .widgets import LIST_SEPARATOR


class ChildLines:
    """The children of a record as one cell (subclass per kind of child)."""

    model = None
    #: The child's foreign key to the record.
    parent = ""
    #: The record's accessor of its children.
    related_name = ""
    #: What a line shows, read for each child (``values_list`` paths).
    paths = ()
    #: The child's columns a written child fills, after its parent's key.
    attnames = ()
    separator = "\n"
    #: Whether each new child is checked with ``full_clean`` before it is written.
    checked = False

    def row_columns(self):
        """The columns of a row ``rows`` gives: the parent's key, ``attnames``."""
        return (f"{self.parent}_id", *self.attnames)

    def liner(self):
        """A function writing a child's line from its values at ``paths``.

        Made once per export or cell: it remembers the labels it translates.
        """
        raise NotImplementedError

    def cell(self, record):
        """The cell of a saved record (its prefetched children, if prefetched)."""
        line = self.liner()
        return self.separator.join(
            line(*(value_at(child, path) for path in self.paths))
            for child in getattr(record, self.related_name).all()
        )

    def preview(self, values):
        """The cell of children as ``parse`` and ``stored`` give them, for the
        import preview (their tuples follow ``paths``)."""
        line = self.liner()
        return self.separator.join(line(*value) for value in values)

    def parse(self, cell, record, resource):
        """The children a cell asks for, as ``stored`` gives them.

        Raises ``ValidationError`` with a list of messages.
        """
        raise NotImplementedError

    def stored(self, record):
        """The recorded children, compared with what ``parse`` gives."""
        raise NotImplementedError

    def recorded(self, record):
        """``stored`` for a record an import is changing, read once (nothing for a
        new record): the unchanged-row check and ``replace`` both ask."""
        if not record._import_existing:
            return []
        found = record._import_stored
        if self.related_name not in found:
            found[self.related_name] = self.stored(record)
        return found[self.related_name]

    def rows(self, record, wanted, resource):
        """The rows to write for a record's children: its key, then ``attnames``.

        A person the office has not recorded yet is a new ``Person`` there.
        """
        raise NotImplementedError

    def replace(self, records, resource):
        """Write, for each record, the children its file asked for, if they changed.

        The records are saved; each holds what ``parse`` read in
        ``record._import_children``. New people are recorded on the way.
        """
        changed = []
        for record in records:
            wanted = record._import_children.get(self.related_name)
            if wanted is None:
                continue
            stored = self.recorded(record)
            if wanted == stored:
                continue
            if stored:
                for child in getattr(record, self.related_name).all():
                    resource.history_user(child).delete()
            changed.append((record, wanted))
        user = resource.user_for_history()
        rows = []
        for record, wanted in changed:
            rows.extend(self.rows(record, wanted, resource))
        # People first: the children's rows refer to them.
        write_new_people(resource)
        if resource.lookups.new_people:
            rows = [tuple(resolve_person(value) for value in row) for row in rows]
        bulk.insert_children(
            self.model,
            list(self.row_columns()),
            rows,
            user,
            # A checked child is checked against those written before it, as a
            # form's rows are (two lines naming one institution).
            check=self.check if self.checked else None,
        )

    def check(self, values):
        """Refuse a child its model refuses (``ValidationError``)."""
        self.model(**values).full_clean()


def write_new_people(resource):
    """Record the people ``person_or_new`` made, with their history."""
    people = resource.lookups.unsaved_people()
    bulk.insert(Person, people)
    bulk.insert_history(Person, people, resource.user_for_history())


def value_at(obj, path):
    for part in path.split("__"):
        if obj is None:
            return None
        obj = getattr(obj, part)
    return obj


def resolve_person(value):
    """A person's id in a row to write (new people are written first)."""
    return value.pk if isinstance(value, Person) else value


class Delegation(ChildLines):
    """A visit's delegation: 'Head of delegation: Ivan Petrov — Mayor' per member."""

    model = DelegationMember
    parent = "visit"
    related_name = "members"
    paths = ("role", "person__name", "title_at_time")
    attnames = ("person_id", "title_at_time", "role", "position")

    def liner(self):
        roles = Memo(lambda role: label(DelegationRole, role))

        def line(role, name, title):
            return member_line(roles[role], name or "", title)

        return line

    def parse(self, cell, record, resource):
        members, errors = [], []
        heads = 0
        for number, line in enumerate(split_lines(cell), start=1):
            role, name, title = parse_member(line)
            if not name and not title:
                errors.append(
                    _("Line %(n)s names neither a person nor a title.") % {"n": number}
                )
            if len(title) > 300 or len(name) > 200:
                errors.append(_("Line %(n)s is too long.") % {"n": number})
            heads += role == DelegationRole.HEAD
            members.append((role, name, title))
        if heads > 1:
            errors.append(_("A delegation has one head."))
        # As the visit form does: a head is named, or the source is said not to.
        head_column = str(resource.fields["head_unrecorded"].column_name)
        if not heads and not record.head_unrecorded:
            errors.append(
                _(
                    "This visit has no head of delegation: add a line “%(head)s: "
                    "Name — Title” in this column, or put “yes” in the column "
                    "“%(column)s” if the source does not say who led it."
                )
                % {"head": DelegationRole.HEAD.label, "column": head_column}
            )
        if heads and record.head_unrecorded:
            errors.append(
                _(
                    "The column “%(column)s” says yes, but a head of delegation is "
                    "listed; change one of the two."
                )
                % {"column": head_column}
            )
        place = delegation_side(record)
        errors += ambiguous_people(resource, ((n, place) for _r, n, _t in members))
        if errors:
            raise ValidationError(errors)
        return members

    def propose_titles(self, record, resource):
        """A member named without a title gets the post their record says they
        held on the visit's dates, as the visit form proposes it. Once the row's
        dates are read (``VisitResource.import_instance``)."""
        members = record._import_children.get(self.related_name)
        place = delegation_side(record)
        if not members or place is None:
            return
        propose = resource.lookups.proposed_title
        record._import_children[self.related_name] = [
            (role, name, title or (propose(name, place, record) if name else ""))
            for role, name, title in members
        ]

    def stored(self, record):
        members = record.members.all()
        if "members" not in getattr(record, "_prefetched_objects_cache", {}):
            members = members.select_related("person")
        return [
            (m.role, m.person.name if m.person_id else "", m.title_at_time)
            for m in members
        ]

    def rows(self, record, wanted, resource):
        place = delegation_side(record)
        person = resource.lookups.person_or_new
        return [
            (record.pk, person(name, place) if name else None, title, role, position)
            for position, (role, name, title) in enumerate(wanted, start=1)
        ]


def delegation_side(record):
    """The city a visit's delegation came from, whose people its members are."""
    if record.direction == Direction.INBOUND:
        return record.partner_city if record.partner_city_id else None
    return record.home_party if record.home_party_id else None


def signatory_places(record):
    """The city each side of an agreement stands for (``None`` if not known)."""
    return {
        Side.HOME: record.home_party if record.home_party_id else None,
        Side.PARTNER: record.partner if record.partner_id else None,
    }


def ambiguous_people(resource, names):
    """What is wrong with naming people ``(name, city)``: a name two of the
    city's people go by, said with both (``LookupCache.person``). A name whose
    city the row does not give is left to that city's own error."""
    errors = []
    for name, city in names:
        if not name or city is None:
            continue
        try:
            resource.lookups.person(name, city)
        except ValueError as error:
            errors.append(str(error))
    return errors


class Signatories(ChildLines):
    """An agreement's signatories: 'Partner side: Name — Title' per signatory."""

    model = Signatory
    parent = "agreement"
    related_name = "signatories"
    paths = ("side", "person__name", "title_at_time")
    attnames = ("side", "person_id", "title_at_time")

    def liner(self):
        sides = Memo(lambda side: label(Side, side))

        def line(side, name, title):
            return signatory_line(sides[side], name or "", title)

        return line

    def parse(self, cell, record, resource):
        sides = choice_lookup(Side)
        wanted, errors = [], []
        for number, line in enumerate(split_lines(cell), start=1):
            prefix, rest = split_label(line)
            side = sides.get(prefix.strip().casefold())
            if side is None:
                errors.append(
                    _("Line %(n)s: start with the side, e.g. “%(home)s: …”.")
                    % {"n": number, "home": Side.HOME.label}
                )
                continue
            _role, name, title = parse_member(rest.strip())
            if not name and not title:
                errors.append(
                    _("Line %(n)s names neither a person nor a title.") % {"n": number}
                )
            wanted.append((side, name, title))
        places = signatory_places(record)
        errors += ambiguous_people(
            resource, ((name, places[side]) for side, name, _title in wanted)
        )
        if errors:
            raise ValidationError(errors)
        return wanted

    def stored(self, record):
        return [
            (s.side, s.person.name if s.person_id else "", s.title_at_time)
            for s in record.signatories.select_related("person")
        ]

    def rows(self, record, wanted, resource):
        places = signatory_places(record)
        person = resource.lookups.person_or_new
        return [
            (record.pk, side, person(name, places[side]) if name else None, title)
            for side, name, title in wanted
        ]


class Participants(ChildLines):
    """A collaboration's participants: 'Home side: Institution — Role' per line.

    An institution is found by any of its names in the city of its side; one the
    office has not recorded is kept as a description.
    """

    model = CollaborationParticipant
    parent = "collaboration"
    related_name = "participants"
    paths = ("side", "institution_id", "institution__name", "description", "role")
    attnames = ("side", "institution_id", "description", "role")
    checked = True

    def liner(self):
        sides = Memo(lambda side: label(Side, side))

        def line(side, institution, name, description, role):
            return participant_line(
                sides[side], name if institution else description, role
            )

        return line

    def parse(self, cell, record, resource):
        agreement = record.agreement if record.agreement_id else None
        sides = choice_lookup(Side)
        wanted, errors = [], []
        for number, line in enumerate(split_lines(cell), start=1):
            prefix, rest = split_label(line)
            side = sides.get(prefix.strip().casefold())
            body = rest.strip() if side else line
            if side is None:
                errors.append(
                    _(
                        "Line %(n)s: start with the side, e.g. “%(home)s: …” or "
                        "“%(partner)s: …”."
                    )
                    % {
                        "n": number,
                        "home": Side.HOME.label,
                        "partner": Side.PARTNER.label,
                    }
                )
                continue
            role = ""
            if parts := split_dash(body):
                body, role = (part.strip() for part in parts)
            institution = None
            if agreement is not None:
                place = agreement.home_party if side == Side.HOME else agreement.partner
                try:
                    institution = find_institution(body, place)
                except ValueError as error:
                    errors.append(
                        _("Line %(n)s: %(error)s") % {"n": number, "error": error}
                    )
                    continue
            wanted.append(
                (
                    side,
                    institution.pk if institution else None,
                    "" if institution else body,
                    role,
                )
            )
        if errors:
            raise ValidationError(errors)
        return wanted

    def stored(self, record):
        return [
            (p.side, p.institution_id, p.description, p.role)
            for p in record.participants.all()
        ]

    def preview(self, values):
        # ``stored`` holds an institution's key, not the name the line shows.
        keys = {value[1] for value in values if value[1]}
        names = {
            institution.pk: institution.name
            for institution in Institution.objects.filter(pk__in=keys)
        }
        line = self.liner()
        return self.separator.join(
            line(side, institution, names.get(institution, ""), description, role)
            for side, institution, description, role in values
        )

    def rows(self, record, wanted, resource):
        return [(record.pk, *item) for item in wanted]


def find_institution(name, place):
    """The institution of ``place`` going by ``name`` or by an alternate name,
    compared as ``name_key`` writes them; ``None`` if none does.

    Two that do are a ``ValueError`` naming both, unless only one of them is
    recorded under exactly that name.
    """
    found = list(
        Institution.objects.filter(city=place)
        .named(name)
        .prefetch_related("aliases")
        .order_by("pk")
    )
    if len(found) > 1:
        exact = [
            institution
            for institution in found
            if name.casefold() in {n.casefold() for n in institution.every_name()}
        ]
        if len(exact) != 1:
            raise ValueError(which(name, [(i.pk, i.get_kind_display()) for i in found]))
        found = exact
    return found[0] if found else None


class AlternateNames(ChildLines):
    """An institution's other names: 'A; B'."""

    model = InstitutionAlias
    parent = "institution"
    related_name = "aliases"
    paths = ("name",)
    attnames = ("name",)
    separator = LIST_SEPARATOR

    def liner(self):
        return str

    def parse(self, cell, record, resource):
        names = []
        for name in split_list(cell):
            if name.casefold() not in {n.casefold() for n in names}:
                names.append(name)
        if any(len(name) > 300 for name in names):
            raise ValidationError(_("An alternate name is too long."))
        return names

    def replace(self, records, resource):
        super().replace(records, resource)
        for record in records:
            # Found by its other names too (models/known_names.py).
            record.refresh_name_keys()

    def stored(self, record):
        return list(record.aliases.values_list("name", flat=True))

    def preview(self, values):
        return self.separator.join(values)

    def rows(self, record, wanted, resource):
        return [(record.pk, name) for name in wanted]


DELEGATION = Delegation()
SIGNATORIES = Signatories()
PARTICIPANTS = Participants()
ALTERNATE_NAMES = AlternateNames()
