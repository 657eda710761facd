"""What the public sees of each record, and the one rule for changing it.

A record's **public fields** are what its public page, the partner list, the
open data and the sitemap may show; its **internal fields** never reach them
(``tests/public/test_privacy.py`` renders the public pages and checks
that none is read). A change to a published record's internal fields needs no
Publisher: it saves at once, and the record stays on the site.
"""

import json

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import (
    Agreement,
    AgreementStatusChange,
    Draft,
    DraftStatus,
    FocusArea,
    Person,
    PersonAlias,
    Position,
    Sector,
    Source,
    Visit,
    localized_fields,
    translated_fields,
)
from .models.dated import PRECISION_OF

#: Kept by every record for the office alone, or for the system. (When it was
#: last changed is public: the sitemap gives it to search engines.)
ALWAYS_INTERNAL = ("internal_notes", "created_at", "name_keys")

#: Each kind of record's own internal fields, beyond ``ALWAYS_INTERNAL``.
INTERNAL = {
    # The signed document is served to staff only (public/files.py); the
    # renewal date is the office's reminder.
    Agreement: ("document", "renewal_due_on"),
    # A status step's note explains it to the office; the public sees the
    # agreement's status, not its history.
    AgreementStatusChange: ("note",),
    # The head's rank is the office's count for its report, never shown.
    Visit: ("head_level",),
}


#: Rows the public never sees: a person's other spellings (they only find the
#: person) and the posts they held (they propose titles). Their changes save at
#: once, whatever the record they belong to.
INTERNAL_ROWS = (PersonAlias, Position)


def internal_fields(model):
    """The names of ``model``'s internal fields, each language's column too."""
    names = [*ALWAYS_INTERNAL, *INTERNAL.get(model, ())]
    translated = set(translated_fields(model))
    columns = set()
    for name in names:
        columns.add(name)
        if name in translated:
            columns.update(localized_fields(name))
    return columns


def public_changes(model, changed):
    """Of the field names ``changed``, those the public may see (``published``
    aside: only a Publisher changes it, on its own path)."""
    return set(changed) - internal_fields(model) - {"published"}


def changes_public_content(formset):
    """Whether an inline's rows change what the public sees: a row added or
    deleted, or a public field of one changed."""
    model = formset.model
    if model in INTERNAL_ROWS:
        return False
    for form in formset.forms:
        if not form.has_changed():
            continue
        if form.instance.pk is None or form.cleaned_data.get("DELETE"):
            return True
        if public_changes(model, form.changed_data):
            return True
    return False


# Drafts ---------------------------------------------------------------------------


#: Records with no ``published`` flag of their own that the public reads through
#: published ones (a person's name in a live visit's delegation, a source's
#: credit, a sector's name): ``{model: lookups from it to those records}``. A
#: change to one that a live record shows waits for a Publisher too.
SHOWN_THROUGH = {
    Person: ("delegations__visit", "signatures__agreement"),
    Source: (
        "cities",
        "visits",
        "agreements",
        "institutions",
        "collaborations",
        "activities",
    ),
    FocusArea: ("collaborations",),
    Sector: ("visits", "collaborations"),
}


def shown_by(model):
    """The publishable models whose live records show ``model``'s records."""
    found = []
    for path in SHOWN_THROUGH.get(model, ()):
        end = model
        for part in path.split("__"):
            end = end._meta.get_field(part).related_model
        found.append(end)
    return found


def can_publish(user, model):
    """Whether ``user`` may decide what the public sees of ``model`` records:
    change their ``published`` flag, or those of the records that show them."""
    if model in SHOWN_THROUGH:
        return all(can_publish(user, shown) for shown in shown_by(model))
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def is_publishable(model):
    """Whether ``model``'s records have a Publisher's ``published`` flag."""
    return any(field.name == "published" for field in model._meta.concrete_fields)


def is_live(record):
    """Whether the record, as stored, is published (or, for one of
    ``SHOWN_THROUGH``, shown by a published record)."""
    model = type(record)
    if record.pk is None:
        return False
    stored = model._default_manager.filter(pk=record.pk)
    if model in SHOWN_THROUGH:
        shown = Q()
        for path in SHOWN_THROUGH[model]:
            shown |= Q(**{f"{path}__published": True})
        return stored.filter(shown).exists()
    if not is_publishable(model):
        return False
    return bool(stored.values_list("published", flat=True).first())


def needs_review(user, record):
    """The one rule: a change by ``user`` to ``record``'s public content waits
    as a draft when the record is live and ``user`` may not publish it."""
    return is_live(record) and not can_publish(user, type(record))


def with_records(drafts):
    """``[(draft, its record or None)]``, the records read once per kind."""
    drafts = list(drafts)
    wanted = {}
    for draft in drafts:
        wanted.setdefault(draft.content_type_id, set()).add(draft.object_id)
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        for pk, record in model._default_manager.in_bulk(ids).items():
            found[type_id, pk] = record
    return [
        (draft, found.get((draft.content_type_id, draft.object_id))) for draft in drafts
    ]


def pending_draft(record):
    return Draft.objects.pending().of(record).first()


def field_values(record, names):
    """``{name: stored form of the value}`` of ``record``'s fields. A file just
    uploaded is stored first (under the name its field chooses), so a draft
    holds a file that exists; nothing points to it until the draft is approved
    (``referenced_files`` counts it as in use meanwhile)."""
    values = {}
    for name in names:
        field = record._meta.get_field(name)
        value = field.value_from_object(record)
        if isinstance(value, FieldFile) and value and not value._committed:
            value.save(value.name, value.file, save=False)
        values[name] = value.name if isinstance(value, FieldFile) else value
    return values


def child_columns(model, parent):
    """The fields a draft keeps of a child row: the editable ones but its key
    and its foreign key to ``parent``'s record."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name != parent
    ]


def child_rows(record, accessor):
    """A record's children at ``accessor`` as dicts of their editable fields."""
    manager = getattr(record, accessor)
    columns = child_columns(manager.model, manager.field.name)
    return [
        {field.name: field.value_from_object(child) for field in columns}
        for child in manager.all()
    ]


def assign(record, values):
    """Set ``record``'s fields from ``values`` as a draft stores them."""
    for name, value in values.items():
        field = record._meta.get_field(name)
        setattr(record, field.attname, field.to_python(value))


def current(record, proposed):
    """The live values of the keys ``proposed`` names."""
    return {
        "fields": field_values(record, proposed.get("fields", {})),
        "m2m": {
            name: sorted(getattr(record, name).values_list("pk", flat=True))
            for name in proposed.get("m2m", {})
        },
        "children": {
            accessor: child_rows(record, accessor)
            for accessor in proposed.get("children", {})
        },
    }


def as_json(values):
    """``values`` as the draft's JSON stores them (dates as text, and so on)."""
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


@transaction.atomic
def propose(record, user, proposed):
    """Keep ``proposed`` (``Draft.proposed``'s shape) as the record's pending
    draft, adding to the one there is; returns ``(draft, added_to_existing)``."""
    proposed = as_json(proposed)
    draft = Draft.objects.pending().of(record).select_for_update().first()
    if draft is None:
        draft = Draft(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            author=user,
            contributors=[user.pk],
            proposed={"fields": {}, "m2m": {}, "children": {}},
            base={"fields": {}, "m2m": {}, "children": {}},
        )
        added = False
    else:
        added = True
        if user.pk not in draft.contributors:
            draft.contributors = [*draft.contributors, user.pk]
    live = as_json(current(record, proposed))
    for part in ("fields", "m2m", "children"):
        for key, value in proposed.get(part, {}).items():
            # What it changes is counted from the live version it first saw.
            draft.base[part].setdefault(key, live[part][key])
            draft.proposed[part][key] = value
            if draft.proposed[part][key] == draft.base[part][key]:
                # Changed back to the live value: nothing to review there.
                del draft.proposed[part][key]
                del draft.base[part][key]
    if not any(draft.proposed[part] for part in draft.proposed):
        if draft.pk is not None:
            draft.delete()
        return None, added
    draft.save()
    return draft, added


def conflicts(draft, record):
    """The keys whose live value changed since the draft began (a Publisher
    saved the record in between): ``[(part, key)]``."""
    live = as_json(current(record, draft.proposed))
    return [
        (part, key)
        for part in ("fields", "m2m", "children")
        for key in draft.proposed[part]
        if live[part][key] != draft.base[part][key]
    ]


@transaction.atomic
def approve(draft, user):
    """Make the draft the live version of its record, in its history."""
    model = draft.content_type.model_class()
    record = model._default_manager.select_for_update().get(pk=draft.object_id)
    assign(record, draft.proposed["fields"])
    record._change_reason = _("Draft #%(draft)s approved by %(user)s") % {
        "draft": draft.pk,
        "user": user,
    }
    record.save()
    for name, ids in draft.proposed["m2m"].items():
        getattr(record, name).set(ids)
    for accessor, rows in draft.proposed["children"].items():
        replace_children(record, accessor, rows)
    draft.status = DraftStatus.APPROVED
    draft.reviewed_by = user
    draft.reviewed_at = timezone.now()
    draft.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    return record


def replace_children(record, accessor, rows):
    """The record's children at ``accessor`` made ``rows``, each in history."""
    manager = getattr(record, accessor)
    parent = manager.field.name
    for child in manager.all():
        child.delete()
    for row in rows:
        child = manager.model(**{parent: record})
        assign(child, row)
        child.save()


@transaction.atomic
def send_back(draft, user, comment):
    """Return the draft to its author with ``comment``, by e-mail too."""
    draft.status = DraftStatus.SENT_BACK
    draft.reviewed_by = user
    draft.reviewed_at = timezone.now()
    draft.comment = comment
    draft.save()
    author = draft.author
    if author.email:
        record = draft.record()
        send_mail(
            _("Your change to “%(record)s” was sent back") % {"record": record},
            _("%(user)s sent back your change to “%(record)s”:\n\n%(comment)s")
            % {"user": user, "record": record, "comment": comment},
            None,
            [author.email],
            fail_silently=True,
        )
    return draft


def internal_changes(model, changed):
    """Of the field names ``changed``, the internal ones."""
    return set(changed) & internal_fields(model)


def drafted_fields(model, public):
    """The model fields a draft keeps for the public form fields ``public``
    (many-to-many aside), with the precision each date carries."""
    concrete = {field.name for field in model._meta.concrete_fields}
    fields = {name for name in public if name in concrete}
    fields |= {
        PRECISION_OF[name]
        for name in fields
        if name in PRECISION_OF and PRECISION_OF[name] in concrete
    }
    return sorted(fields)


def hold_public_fields(record, changed):
    """Of the fields named ``changed`` (a form's), the public ones with the
    precision of each date: their values as a draft keeps them, put back to
    the live ones on ``record`` so that saving it saves only the rest."""
    fields = drafted_fields(type(record), public_changes(type(record), changed))
    values = field_values(record, fields)
    if fields:
        restore_live(record, fields)
    return values


def form_links(model, form):
    """``{field: [ids]}`` of the public many-to-many links ``form`` changed."""
    public = public_changes(model, form.changed_data)
    return {
        field.name: sorted(linked.pk for linked in form.cleaned_data[field.name])
        for field in model._meta.many_to_many
        if field.name in public and field.name in form.cleaned_data
    }


def restore_live(record, fields, live=None):
    """Put the live values of ``fields`` back on ``record`` (the form set the
    draft's), so saving it saves only what needs no review. ``live``: the live
    version, if the caller has it (else it is read)."""
    if live is None:
        live = type(record)._default_manager.get(pk=record.pk)
    for name in fields:
        attname = record._meta.get_field(name).attname
        setattr(record, attname, getattr(live, attname))


def show_draft(record, draft):
    """Put the pending draft's values on ``record`` for the form to show: its
    fields on the record, its many-to-many links as ``_fa_draft_m2m``."""
    assign(record, draft.proposed["fields"])
    record._fa_draft_m2m = dict(draft.proposed["m2m"])


def formset_rows(formset):
    """What an inline's rows would become, as ``child_rows`` writes them."""
    columns = child_columns(formset.model, formset.fk.name)
    rows = []
    for form in formset.forms:
        if not hasattr(form, "cleaned_data") or not form.cleaned_data:
            continue
        if form.cleaned_data.get("DELETE"):
            continue
        if form.empty_permitted and not form.has_changed():
            # A blank new row (a draft's rows, shown as new, are not blank).
            continue
        rows.append(
            {field.name: field.value_from_object(form.instance) for field in columns}
        )
    return rows


def authors(draft):
    """Who wrote the draft, for people: "clerk, clerk2"."""
    users = get_user_model().objects.in_bulk(draft.contributors)
    return ", ".join(str(users[pk]) for pk in draft.contributors if pk in users) or str(
        draft.author
    )


def differing_fields(record, live=None):
    """The public fields on which ``record`` (unsaved) differs from its live
    version (``live``, or read), with the precision of each date among them.

    A translated text is compared by its languages' columns, not its own.
    """
    model = type(record)
    if live is None:
        live = model._default_manager.get(pk=record.pk)
    internal = internal_fields(model) | {"published", "updated_at"}
    internal |= set(translated_fields(model))
    names = {
        field.name
        for field in model._meta.concrete_fields
        if field.name not in internal
        and not field.primary_key
        and field.value_from_object(record) != field.value_from_object(live)
    }
    return drafted_fields(model, names)


def differing_links(record, form):
    """``{field: [ids]}`` of the public many-to-many links ``form`` gives that
    differ from the live record's."""
    links = {}
    for field in type(record)._meta.many_to_many:
        if field.name not in form.cleaned_data:
            continue
        wanted = sorted(linked.pk for linked in form.cleaned_data[field.name])
        live = sorted(getattr(record, field.name).values_list("pk", flat=True))
        if wanted != live:
            links[field.name] = wanted
    return links
