"""Merging records that are one person or one institution, and undoing a merge.

``merge(kept, others, user)`` moves every link of ``others`` to ``kept`` (the
delegations and signatures of a person, their positions and other spellings;
the collaborations and alternate names of an institution), fills what ``kept``
leaves empty from them, makes their names other spellings of ``kept``, and
deletes them. Each row moved or removed is saved with its history, the kept
record's history says what was merged into it, and a ``Merge`` keeps what
``undo`` needs to part them again, from the kept record's History page.

``LINKS`` names every relation that points at a person or an institution;
``tests/test_merges.py`` checks that none is left out.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    CollaborationParticipant,
    DelegationMember,
    Institution,
    InstitutionAlias,
    Merge,
    Person,
    PersonAlias,
    Position,
    Signatory,
    localized_fields,
)
from .models.known_names import keys_of
from .models.search import name_key
from .publication import can_publish, is_live


@dataclass(frozen=True)
class Link:
    """Rows of ``model`` pointing at the merged record through ``field``."""

    model: type
    field: str
    #: With ``field``, these are unique: a row that would repeat one of the kept
    #: record's is removed rather than moved (and put back by ``undo``).
    unique_with: tuple = ()
    #: An alternate name: the kept record's other names.
    alias: bool = False


LINKS = {
    Person: (
        Link(DelegationMember, "person"),
        Link(Signatory, "person"),
        Link(Position, "person"),
        Link(PersonAlias, "person", ("name",), alias=True),
    ),
    Institution: (
        Link(CollaborationParticipant, "institution", ("collaboration",)),
        Link(InstitutionAlias, "institution", ("name",), alias=True),
    ),
}
#: Fields the kept record takes from a merged one when it has none.
FILLED = {
    Person: ("city", "name_local", *localized_fields("current_title")),
    Institution: ("name_local", "website", *localized_fields("description")),
}
#: Internal notes: the merged records' are added to the kept one's.
NOTES = {Person: "notes", Institution: "internal_notes"}


def alias_link(model):
    """The ``Link`` of ``model``'s other names."""
    return next(link for link in LINKS[model] if link.alias)


class MergeRefused(ValidationError):
    """A merge (or an undo) that cannot be done, with the reason."""


def may_merge(user, model):
    """Clerks and Administrators: those who may change and delete the records."""
    opts = model._meta
    return all(
        user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
        for action in ("change", "delete")
    )


def label(record):
    return f"#{record.pk} {record}"


def check(kept, others, user):
    """Refuse a merge that would be wrong (``MergeRefused``)."""
    model = type(kept)
    if not others or any(other.pk == kept.pk for other in others):
        raise MergeRefused(_("Choose two records or more, and one of them to keep."))
    cities = {record.city_id for record in (kept, *others)} - {None}
    if len(cities) > 1 or (model is Institution and None in cities):
        raise MergeRefused(
            _(
                "They are recorded in different cities (%(cities)s). If they are "
                "one, correct the city first."
            )
            % {
                "cities": ", ".join(
                    sorted({str(r.city) for r in (kept, *others) if r.city_id})
                )
            }
        )
    if (
        getattr(kept, "published", True) is False
        and any(getattr(other, "published", False) for other in others)
        and not can_publish(user, model)
    ):
        raise MergeRefused(
            _(
                "A record on the public site would be merged into one that is "
                "not: keep the published one, or ask a Publisher."
            )
        )
    check_public_names(kept, others, user)


def check_public_names(kept, others, user):
    """Refuse, for someone who may not publish, a merge that would change the
    names readers see: a record on the public site (or shown by one) merged
    into one named otherwise, or bringing it public alternate names."""
    model = type(kept)
    if can_publish(user, model):
        return
    kept_names, kept_public = shown_names(kept)
    for other in others:
        if not is_live(other):
            continue
        names, public = shown_names(other)
        # A name the kept record lacks is filled from the other: the same.
        conflict = any(
            mine and theirs and mine != theirs
            for mine, theirs in zip(kept_names, names, strict=True)
        )
        if conflict or not public <= kept_public | set(names):
            raise MergeRefused(
                _(
                    "“%(other)s” is on the public site, and merging it into "
                    "“%(kept)s” would change the names readers see. Only a "
                    "Publisher decides that: ask one to merge them, or make "
                    "their names agree first."
                )
                % {"other": other, "kept": kept}
            )


def shown_names(record):
    """``(its names by language, every name the public may read of it)``."""
    names = tuple(getattr(record, field) or "" for field in record.NAMES)
    public = {name for name in names if name}
    if type(record) not in INTERNAL_ROWS_OWNERS:
        public |= set(record.aliases.values_list("name", flat=True))
    return names, public


#: Records whose other names the public never reads (``publication.INTERNAL_ROWS``).
INTERNAL_ROWS_OWNERS = (Person,)


def plan(kept, others):
    """What a merge would do, for the page that shows it before it is done:
    ``[(other, [(verbose name, [rows]), …], [names that become alternate])]``."""
    known = keys_of(kept) if kept.name_keys else set()
    result = []
    for other in others:
        moves = []
        for link in LINKS[type(kept)]:
            rows = list(
                link.model._default_manager.filter(**{link.field: other}).order_by("pk")
            )
            if rows:
                moves.append((link.model._meta.verbose_name_plural, rows))
        names = []
        for name in other.every_name():
            key = name_key(name)
            if key and key not in known:
                known.add(key)
                names.append(name)
        result.append((other, moves, names))
    return result


def serialized(rows):
    return serializers.serialize("python", rows)


@transaction.atomic
def merge(kept, others, user):
    """Merge ``others`` into ``kept`` (see the module); returns the ``Merge``."""
    model = type(kept)
    check(kept, others, user)
    merged_ids = [other.pk for other in others]
    reason_in = _("Merged into #%(pk)s %(name)s") % {"pk": kept.pk, "name": kept}
    snapshot = {
        "records": serialized(others),
        "moved": [],
        "removed": [],
        "aliases": [],
        "sources": [],
    }
    changing = (*model.NAMES, *FILLED[model], NOTES[model])
    before = {field: field_value(kept, field) for field in changing}
    for link in LINKS[model]:
        attname = link.model._meta.get_field(link.field).attname
        taken = set(
            link.model._default_manager.filter(**{link.field: kept}).values_list(
                *link.unique_with
            )
        )
        rows = link.model._default_manager.filter(**{f"{link.field}__in": others})
        for row in rows.order_by("pk"):
            unique = tuple(
                getattr(row, link.model._meta.get_field(field).attname)
                for field in link.unique_with
            )
            row._change_reason = reason_in
            if link.unique_with and unique in taken:
                snapshot["removed"].extend(serialized([row]))
                row.delete()
                continue
            taken.add(unique)
            snapshot["moved"].append(
                [link.model._meta.label, row.pk, attname, getattr(row, attname)]
            )
            setattr(row, attname, kept.pk)
            row.save(update_fields=[attname])
    for other in others:
        for field in (*model.NAMES, *FILLED[model]):
            if not field_value(kept, field) and field_value(other, field):
                setattr(kept, field_attname(model, field), field_value(other, field))
        notes = getattr(other, NOTES[model])
        if notes:
            setattr(
                kept,
                NOTES[model],
                "\n\n".join(
                    filter(
                        None,
                        [getattr(kept, NOTES[model]), f"[{label(other)}] {notes}"],
                    )
                ),
            )
        if model is Institution:
            added = set(other.sources.values_list("pk", flat=True)) - set(
                kept.sources.values_list("pk", flat=True)
            )
            kept.sources.add(*added)
            snapshot["sources"].extend(sorted(added))
    # The merged records' names the kept one does not go by, as other names.
    aliases = alias_link(model)
    known = {name_key(name) for name in kept.every_name()}
    for other in others:
        for name in (getattr(other, field) for field in model.NAMES):
            key = name_key(name)
            if key and key not in known:
                known.add(key)
                alias = aliases.model(**{aliases.field: kept, "name": name})
                alias._change_reason = reason_in
                alias.save()
                snapshot["aliases"].append(alias.pk)
    description = _("%(merged)s merged into #%(pk)s %(name)s") % {
        "merged": "; ".join(label(other) for other in others),
        "pk": kept.pk,
        "name": kept,
    }
    kept._change_reason = description
    kept.save()
    for other in others:
        other._change_reason = reason_in
        other.delete()
    snapshot["before"] = before
    snapshot["after"] = {field: field_value(kept, field) for field in changing}
    return Merge.objects.create(
        content_type=ContentType.objects.get_for_model(model),
        kept_id=kept.pk,
        merged_ids=merged_ids,
        description=description,
        snapshot=snapshot,
        merged_by=user,
    )


@transaction.atomic
def undo(merge_record, user):
    """Part the records of a merge again; returns how many links had gone since.

    The merged records come back under their own numbers with their links,
    other names and fields; the kept record gets back the fields the merge
    filled, unless they were changed since.
    """
    if merge_record.undone_at is not None:
        raise MergeRefused(_("This merge was already undone."))
    model = merge_record.content_type.model_class()
    snapshot = merge_record.snapshot
    kept = model._default_manager.filter(pk=merge_record.kept_id).first()
    if kept is None:
        raise MergeRefused(_("The record kept by this merge has been deleted since."))
    if model._default_manager.filter(pk__in=merge_record.merged_ids).exists():
        raise MergeRefused(_("The merged records exist again."))
    reason = _("Merge undone: %(merge)s") % {"merge": merge_record.description}
    restored = restore(snapshot["records"], reason)
    restore(snapshot["removed"], reason)
    gone = 0
    for label_, pk, attname, original in snapshot["moved"]:
        row_model = model_of(label_)
        row = row_model._default_manager.filter(pk=pk, **{attname: kept.pk}).first()
        if row is None:
            gone += 1
            continue
        setattr(row, attname, original)
        row._change_reason = reason
        row.save(update_fields=[attname])
    added = alias_link(model).model._default_manager.filter(pk__in=snapshot["aliases"])
    for alias in added:
        alias._change_reason = reason
        alias.delete()
    for field, before in snapshot["before"].items():
        if field_value(kept, field) == snapshot["after"][field]:
            value = model._meta.get_field(field).to_python(before)
            setattr(kept, field_attname(model, field), value)
    if snapshot["sources"]:
        kept.sources.remove(*snapshot["sources"])
    kept._change_reason = reason
    kept.save()
    for record in restored:
        record.refresh_name_keys()
    merge_record.undone_at = timezone.now()
    merge_record.undone_by = user
    merge_record.save(update_fields=["undone_at", "undone_by"])
    return gone


def restore(data, reason):
    """Save again the rows ``serialized`` wrote, under their own numbers."""
    restored = []
    for item in serializers.deserialize("python", data):
        record = item.object
        created = getattr(record, "created_at", None)
        record._change_reason = reason
        record.save(force_insert=True)
        for field, values in (item.m2m_data or {}).items():
            getattr(record, field).set(values)
        if created is not None:
            # Saving stamped it now; it was made when it was.
            type(record)._default_manager.filter(pk=record.pk).update(
                created_at=created
            )
        restored.append(record)
    return restored


def model_of(label_):
    return apps.get_model(label_)


def field_attname(model, field):
    return model._meta.get_field(field).attname


def field_value(record, field):
    """A field's stored value (a related record's key, not the record)."""
    return getattr(record, field_attname(type(record), field))
