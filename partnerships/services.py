"""Operations that touch several records: publishing, completing visits, status."""

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .choices import AgreementStatus, VisitStatus
from .models import AgreementStatusChange

PUBLISHABLE_MODELS = (
    "city",
    "agreement",
    "visit",
    "institution",
    "collaboration",
    "activity",
)


def quiet_after_years():
    return settings.PARTNERSHIPS_QUIET_AFTER_YEARS


def can_publish(user, model):
    """Whether ``user`` may change the ``published`` flag of ``model`` records."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def keep_published(obj, user):
    """Undo any change to ``obj.published`` by a user who may not publish.

    The admin already shows the flag read-only to them; this also covers saves
    that do not come through a form field, such as reverting to an old version.
    """
    if can_publish(user, type(obj)):
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
def mark_visits_completed(queryset, today=None):
    """Mark the visits as completed, except future or cancelled ones.

    Returns ``(completed, refused)``: the visits changed and those left alone
    because they start after ``today`` or were cancelled.
    """
    today = today or timezone.localdate()
    completed, refused = [], []
    for visit in queryset.select_related("partner_city", "home_party"):
        if visit.status == VisitStatus.COMPLETED:
            continue
        if visit.status == VisitStatus.CANCELLED or (
            visit.start_date and visit.start_date > today
        ):
            refused.append(visit)
            continue
        visit.status = VisitStatus.COMPLETED
        visit.save(update_fields=["status", "updated_at"])
        completed.append(visit)
    return completed, refused


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
