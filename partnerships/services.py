"""Operations that touch several records: publishing, completing visits, status."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AgreementStatusChange
from .models.choices import AgreementStatus, DelegationRole, VisitStatus
from .publication import can_publish, is_publishable, needs_review, propose


def quiet_after_years():
    return settings.PARTNERSHIPS_QUIET_AFTER_YEARS


def keep_published(obj, user):
    """Undo any change to ``obj.published`` by a user who may not publish.

    The admin already shows the flag read-only to them; this also covers saves
    that do not come through a form field, such as reverting to an old version.
    """
    if not is_publishable(type(obj)) or can_publish(user, type(obj)):
        return
    stored = None
    if obj.pk is not None:
        stored = (
            type(obj)
            .objects.filter(pk=obj.pk)
            .values_list("published", flat=True)
            .first()
        )
    obj.published = bool(stored)


# The audit history's change reason of a record taken off the public site until
# a Publisher reviewed a change to it (before changes waited as drafts); a stored
# marker, not shown to anyone, that keeps such records on the dashboard.
AWAITING_REVIEW = "awaiting publisher review"


def awaiting_review(model):
    """Unpublished ``model`` records held for review whose last change left them so.

    A Publisher's publishing (or anyone's later save that does not hold it again)
    records a new version without the marker, which takes it off the list.
    """
    latest = (
        model.history.filter(**{model._meta.pk.attname: OuterRef("pk")})
        .order_by("-history_date", "-history_id")
        .values("history_change_reason")[:1]
    )
    return (
        model._default_manager.filter(published=False)
        .annotate(review=Subquery(latest))
        .filter(review=AWAITING_REVIEW)
    )


@transaction.atomic
def set_published(queryset, published):
    """Publish or unpublish every record of ``queryset``; returns how many changed.

    Records are saved one by one so each change lands in the audit history.
    """
    # A fresh query: the admin's list may be annotated, and PostgreSQL refuses
    # FOR UPDATE with GROUP BY.
    pks = list(queryset.values_list("pk", flat=True))
    records = queryset.model._default_manager.filter(pk__in=pks)
    changed = 0
    for obj in records.select_for_update().filter(published=not published):
        obj.published = published
        obj.save(update_fields=["published", "updated_at"])
        changed += 1
    return changed


def still_hidden(queryset):
    """Published records of ``queryset`` the public still cannot see.

    A record is public only when what it belongs to is published too (see each
    model's ``published()``), so publishing a visit of an unpublished city shows
    nothing yet.
    """
    pks = list(queryset.values_list("pk", flat=True))
    model = queryset.model
    visible = model._default_manager.published().filter(pk__in=pks)
    return list(
        model._default_manager.filter(pk__in=pks, published=True).exclude(
            pk__in=visible.values("pk")
        )
    )


@transaction.atomic
def mark_visits_completed(queryset, today=None, user=None):
    """Mark the visits as completed, except future or cancelled ones.

    Returns ``(completed, refused, drafted)``: the visits changed, those left
    alone because they start after ``today`` or were cancelled, and the live
    ones whose change waits for a Publisher (``user`` may not publish visits).
    """
    today = today or timezone.localdate()
    completed, refused, drafted = [], [], []
    for visit in queryset.select_related("partner_city", "home_party"):
        if visit.status == VisitStatus.COMPLETED:
            continue
        if visit.status == VisitStatus.CANCELLED or (
            visit.start_date and visit.start_date > today
        ):
            refused.append(visit)
            continue
        if user is not None and needs_review(user, visit):
            propose(visit, user, {"fields": {"status": VisitStatus.COMPLETED}})
            drafted.append(visit)
            continue
        visit.status = VisitStatus.COMPLETED
        visit.save(update_fields=["status", "updated_at"])
        completed.append(visit)
    return completed, refused, drafted


def record_status_change(agreement, changed_on=None, note="", new=False):
    """Add the agreement's current status to its status history, unless it is there.

    Without ``changed_on`` the step is dated by what is known: an end by its end
    date; a change made now by today; a ``new`` record of an existing agreement
    by its signing if active, else left undated rather than guessed. Returns the
    new step, or ``None`` when the latest step already says it.
    """
    latest = agreement.status_changes.order_by(
        F("changed_on").desc(nulls_last=True), "-pk"
    ).first()
    if latest is not None and latest.status == agreement.status:
        return None
    if changed_on is None:
        if agreement.status == AgreementStatus.ENDED and agreement.ended_on:
            changed_on = agreement.ended_on
        elif not new:
            changed_on = timezone.localdate()
        elif agreement.status == AgreementStatus.ACTIVE:
            changed_on = agreement.signed_on
    return AgreementStatusChange.objects.create(
        agreement=agreement,
        status=agreement.status,
        changed_on=changed_on,
        note=note,
    )


class RestoreRefused(Exception):
    """A record cannot be restored as it was; the message says why."""


# Rows deleted in one cascade get history dates a moment apart.
CASCADE_MARGIN = datetime.timedelta(seconds=5)


def _cascaded_relations(model):
    """The relations whose rows are deleted with a ``model`` record, if audited."""
    return [
        relation
        for relation in model._meta.related_objects
        if relation.one_to_many
        and relation.on_delete is models.CASCADE
        and hasattr(relation.related_model, "history")
    ]


def restore_deleted_children(obj):
    """Bring back the rows deleted along with ``obj``, from their own history.

    Only the rows whose deletion is recorded between the record's last change and
    its own deletion come back: a member removed earlier stays removed. Raises
    ``RestoreRefused`` when a row names a record that has been deleted since.
    Returns the restored rows.
    """
    records = obj.history.filter(**{obj._meta.pk.attname: obj.pk}).order_by(
        "-history_date", "-history_id"
    )
    deletion = records.filter(history_type="-").first()
    if deletion is None:
        return []
    before = (
        records.filter(history_date__lte=deletion.history_date)
        .exclude(history_type="-")
        .first()
    )
    restored = []
    for relation in _cascaded_relations(type(obj)):
        child_model = relation.related_model
        window = {
            relation.field.attname: obj.pk,
            "history_type": "-",
            "history_date__lte": deletion.history_date + CASCADE_MARGIN,
        }
        if before is not None:
            window["history_date__gt"] = before.history_date
        pk_name = child_model._meta.pk.attname
        seen = set()
        for record in child_model.history.filter(**window).order_by(
            "-history_date", "-history_id"
        ):
            pk = getattr(record, pk_name)
            if pk in seen or child_model._default_manager.filter(pk=pk).exists():
                continue
            seen.add(pk)
            row = record.instance
            _check_references(row, relation.field)
            row.save(force_insert=True)
            restored.append(row)
    return restored


def _check_references(row, parent_field):
    """Refuse when ``row`` points to a record that no longer exists."""
    for field in row._meta.concrete_fields:
        if not field.many_to_one or field == parent_field:
            continue
        value = getattr(row, field.attname)
        if value is None:
            continue
        target = field.remote_field.model._default_manager.filter(pk=value)
        if not target.exists():
            raise RestoreRefused(
                _(
                    "one of its %(rows)s names a %(target)s (id %(id)s) that was "
                    "deleted since. Restore that %(target)s first."
                )
                % {
                    "rows": row._meta.verbose_name_plural,
                    "target": field.remote_field.model._meta.verbose_name,
                    "id": value,
                }
            )


def delegation_problem(visit):
    """Why the visit's delegation breaks the one-head rule, or ``None``."""
    heads = visit.members.filter(role=DelegationRole.HEAD).count()
    if heads > 1:
        return _("a delegation has one head; %(count)d are marked.") % {"count": heads}
    if not heads and not visit.head_unrecorded:
        return _(
            "its delegation has no head. Tick “head of delegation not recorded” "
            "if the source does not say who led it."
        )
    if heads and visit.head_unrecorded:
        return _(
            "“head of delegation not recorded” is ticked, but a head is listed. "
            "Untick the box."
        )
    return None
