"""The figures on the admin index and in the reminder digest.

Everything is computed for a given ``today`` so tests and reports can ask
"as of" a day; the admin index passes nothing and gets the office's today.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import confirmations, public_requests, publication, services
from .accounts.escalation import describe_change
from .admin_urls import change_url
from .models import (
    PUBLISHABLE_MODELS,
    TRANSLATED_INTO,
    Activity,
    Agreement,
    City,
    Collaboration,
    Draft,
    DraftStatus,
    FocusArea,
    Institution,
    Person,
    RoleChange,
    Source,
    Visit,
    dates,
    missing_translation,
)
from .models.choices import Direction, VisitStatus
from .models.partial_dates import format_date

CHART_YEARS = 12
UPCOMING_LIMIT = 10
DELETED_LIMIT = 10
RESTORABLE = (
    City,
    Agreement,
    Visit,
    Person,
    Institution,
    Collaboration,
    Activity,
    Source,
    FocusArea,
)


@dataclass(frozen=True)
class Event:
    """Something an Official should hear about once."""

    key: str
    kind: str
    day: datetime.date | None
    text: str
    record: object = None


def next_twelve_months(today):
    """The last day of the twelve months starting ``today``."""
    try:
        next_start = today.replace(year=today.year + 1)
    except ValueError:
        # From 29 February the next twelve months start on 1 March, so they take
        # in 28 February (an anniversary's day in a common year).
        next_start = datetime.date(today.year + 1, 3, 1)
    return next_start - datetime.timedelta(1)


def visits_this_year(today):
    counts = dict(
        Visit.objects.filter(start_date__year=today.year)
        .exclude(status=VisitStatus.CANCELLED)
        .values_list("direction")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "year": today.year,
        "inbound": counts.get(Direction.INBOUND, 0),
        "outbound": counts.get(Direction.OUTBOUND, 0),
    }


def upcoming_visits(today, limit=UPCOMING_LIMIT):
    return list(
        Visit.objects.upcoming(today)
        .select_related("partner_city", "home_party")
        .order_by("start_date", "pk")[:limit]
    )


def _agreements():
    return (
        Agreement.objects.active()
        .of_home()
        .select_related("home_party", "partner")
        .order_by("partner__name_en", "pk")
    )


def anniversaries(today):
    """Anniversaries of active agreements in the next twelve months, soonest first."""
    step = settings.PARTNERSHIPS_ROUND_ANNIVERSARY_STEP
    last = next_twelve_months(today)
    found = []
    for agreement in _agreements().filter(signed_on__isnull=False):
        for day, years in dates.anniversaries_between(agreement.signed_on, today, last):
            found.append(
                {
                    "agreement": agreement,
                    "date": day,
                    "years": years,
                    "round": years % step == 0,
                }
            )
    found.sort(key=lambda item: (item["date"], item["agreement"].pk))
    return found


def renewals_due(today):
    """Active agreements whose renewal is overdue or falls in the next 12 months."""
    due = _agreements().filter(renewal_due_on__lte=next_twelve_months(today))
    return [
        {
            "agreement": agreement,
            "date": agreement.renewal_due_on,
            "overdue": agreement.renewal_due_on < today,
        }
        for agreement in due.order_by("renewal_due_on", "pk")
    ]


def gone_quiet(today):
    return [
        agreement
        for agreement in _agreements().with_last_contact()
        if agreement.has_gone_quiet(today)
    ]


def visits_per_year(today, years=CHART_YEARS):
    """``[(year, inbound, outbound)]`` for the last ``years`` years, oldest first."""
    first = today.year - years + 1
    rows = (
        Visit.objects.filter(
            start_date__year__gte=first, start_date__year__lte=today.year
        )
        .exclude(status=VisitStatus.CANCELLED)
        .annotate(year=ExtractYear("start_date"))
        .values_list("year", "direction")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(year, direction): count for year, direction, count in rows}
    return [
        (
            year,
            counts.get((year, Direction.INBOUND), 0),
            counts.get((year, Direction.OUTBOUND), 0),
        )
        for year in range(first, today.year + 1)
    ]


def chart(today, width=640, height=220):
    """Bar geometry for a server-rendered SVG of visits per year."""
    data = visits_per_year(today)
    top = max([max(inbound, outbound) for _year, inbound, outbound in data] + [1])
    left, bottom, right, head = 32, 24, 8, 12
    plot_height = height - bottom - head
    slot = (width - left - right) / len(data)
    bar = max(slot * 0.36, 2)
    ticks = sorted({0, top // 2, top}) if top > 1 else [0, 1]
    bars = []
    for index, (year, inbound, outbound) in enumerate(data):
        x = left + index * slot + slot * 0.12
        for offset, count, css, label in (
            (0, inbound, "in", _("inbound")),
            (bar, outbound, "out", _("outbound")),
        ):
            bar_height = plot_height * count / top
            bars.append(
                {
                    "x": round(x + offset, 1),
                    "y": round(head + plot_height - bar_height, 1),
                    "width": round(bar, 1),
                    "height": round(bar_height, 1),
                    "css": css,
                    "title": f"{year}: {count} {label}",
                }
            )
    return {
        "width": width,
        "height": height,
        "bars": bars,
        "years": [
            {"x": round(left + (i + 0.5) * slot, 1), "label": year}
            for i, (year, _in, _out) in enumerate(data)
        ],
        "ticks": [
            {
                "y": round(head + plot_height - plot_height * tick / top, 1),
                "label": tick,
            }
            for tick in ticks
        ],
        "baseline": head + plot_height,
        "left": left,
        "right": width - right,
        "label_y": height - 6,
        "total": sum(inbound + outbound for _year, inbound, outbound in data),
    }


def recently_deleted(user, limit=DELETED_LIMIT):
    """Deleted records the user may restore, newest first, with their restore page.

    The page is the record's last version in the audit history; saving it there
    puts the record back.
    """
    found = []
    for model in RESTORABLE:
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            continue
        deletions = list(
            model.history.filter(history_type="-")
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        restored = set(
            model._default_manager.filter(
                pk__in=[record.id for record in deletions]
            ).values_list("pk", flat=True)
        )
        for record in deletions:
            if record.id in restored:
                continue
            found.append(
                {
                    "model": opts.verbose_name,
                    "name": _history_name(record),
                    "when": record.history_date,
                    "who": record.history_user,
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
                        args=[record.id, record.history_id],
                    ),
                }
            )
    found.sort(key=lambda item: item["when"], reverse=True)
    return found[:limit]


AWAITING_LIMIT = 20
# What each record's name reads.
AWAITING_RELATED = {
    Agreement: ("home_party", "partner"),
    Visit: ("partner_city", "home_party"),
}


def awaiting_publication(limit=AWAITING_LIMIT):
    """Records taken off the public site by a change a Publisher has yet to review."""
    found = []
    for model in PUBLISHABLE_MODELS:
        opts = model._meta
        records = (
            services.awaiting_review(model)
            .select_related(*AWAITING_RELATED.get(model, ()))
            .order_by("-updated_at")[:limit]
        )
        for record in records:
            found.append(
                {
                    "model": opts.verbose_name,
                    "record": record,
                    "when": record.updated_at,
                    "url": change_url(record),
                }
            )
    found.sort(key=lambda item: item["when"], reverse=True)
    return found[:limit]


def translation_queue():
    """Per kind of published record: how many lack a Chinese or Russian text.

    ``[{"model", "languages": [{"name", "count", "url"}]}]``, one query per
    kind; the links open the list filtered to what is left to translate.
    """
    queue = []
    for model in PUBLISHABLE_MODELS:
        opts = model._meta
        counts = model._default_manager.published().aggregate(
            **{
                f"missing_{index}": Count(
                    "pk", filter=missing_translation(model, code), distinct=True
                )
                for index, (code, _name) in enumerate(TRANSLATED_INTO)
            }
        )
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        languages = [
            {
                "name": name,
                "count": counts[f"missing_{index}"],
                "url": f"{changelist}?published__exact=1&missing={code}",
            }
            for index, (code, name) in enumerate(TRANSLATED_INTO)
        ]
        queue.append({"model": opts.verbose_name_plural, "languages": languages})
    return queue


def _history_name(record):
    for field in ("name", "title"):
        value = getattr(record, field, "")
        if value:
            return value
    return str(record.instance)


def role_changes(user, limit=10):
    """Who changed whose roles lately: for superusers only."""
    if user is None or not user.is_superuser:
        return []
    changes = RoleChange.objects.select_related("user", "changed_by")[:limit]
    return [
        {
            "when": change.changed_at.date(),
            "user": change.user,
            "what": describe_change(change),
            "who": change.changed_by,
        }
        for change in changes
    ]


def drafts(user):
    """How many changes wait for review, and the user's own sent back."""
    sent_back = []
    if user is not None:
        sent_back = list(
            Draft.objects.filter(author=user, status=DraftStatus.SENT_BACK)
            .select_related("reviewed_by")
            .order_by("-reviewed_at")[:5]
        )
    return {
        "pending": Draft.objects.pending().count(),
        "sent_back": publication.with_records(sent_back),
    }


def requests_from_the_public(user):
    """How many requests are new, waiting, and the user's; links for triagers."""
    figures = public_requests.counts(user)
    figures["may_triage"] = bool(
        user is not None and user.has_perm("partnerships.view_publicrequest")
    )
    return figures


def build(today=None, user=None):
    today = today or timezone.localdate()
    return {
        "requests": requests_from_the_public(user),
        "drafts": drafts(user),
        "confirmations": confirmations.counts(),
        "deleted": recently_deleted(user) if user is not None else [],
        "role_changes": role_changes(user),
        "awaiting": awaiting_publication(),
        "translation_queue": translation_queue(),
        "today": today,
        "this_year": visits_this_year(today),
        "upcoming": upcoming_visits(today),
        "anniversaries": anniversaries(today),
        "renewals": renewals_due(today),
        "quiet": gone_quiet(today),
        "quiet_after_years": settings.PARTNERSHIPS_QUIET_AFTER_YEARS,
        "chart": chart(today),
    }


def for_user(user):
    """The dashboard for a signed-in user who may read visits and agreements."""
    if not (
        user.has_perm("partnerships.view_visit")
        and user.has_perm("partnerships.view_agreement")
    ):
        return None
    return build(user=user)


def reminder_events(today=None):
    """The dashboard's reminders as events with stable keys, for the digest."""
    today = today or timezone.localdate()
    events = []
    for visit in upcoming_visits(today, limit=None):
        events.append(
            Event(
                key=f"visit:{visit.pk}:{visit.start_date.isoformat()}",
                kind="visit",
                day=visit.start_date,
                text=_("Upcoming visit, %(date)s: %(visit)s")
                % {
                    "date": format_date(visit.start_date, visit.date_precision),
                    "visit": visit,
                },
                record=visit,
            )
        )
    for item in anniversaries(today):
        agreement = item["agreement"]
        text = (
            _("Round anniversary: %(years)d years of %(agreement)s on %(date)s")
            if item["round"]
            else _("Anniversary: %(years)d years of %(agreement)s on %(date)s")
        )
        events.append(
            Event(
                key=f"anniversary:{agreement.pk}:{item['date'].isoformat()}",
                kind="anniversary",
                day=item["date"],
                text=text
                % {
                    "years": item["years"],
                    "agreement": agreement,
                    "date": format_date(item["date"]),
                },
                record=agreement,
            )
        )
    for item in renewals_due(today):
        agreement = item["agreement"]
        text = (
            _("Renewal overdue since %(date)s: %(agreement)s")
            if item["overdue"]
            else _("Renewal due on %(date)s: %(agreement)s")
        )
        events.append(
            Event(
                key=f"renewal:{agreement.pk}:{item['date'].isoformat()}",
                kind="renewal",
                day=item["date"],
                text=text % {"date": format_date(item["date"]), "agreement": agreement},
                record=agreement,
            )
        )
    # As of the end of ``today``.
    moment = timezone.make_aware(datetime.datetime.combine(today, datetime.time.max))
    for request in confirmations.awaiting_longer_than(moment=moment).select_related(
        "visit__partner_city", "visit__home_party"
    ):
        sent = timezone.localdate(request.sent_at)
        events.append(
            Event(
                key=f"confirmation:{request.pk}",
                kind="confirmation",
                day=sent,
                text=_("Sent on %(date)s to %(contact)s, not answered: %(record)s")
                % {
                    "date": format_date(sent),
                    "contact": request.contact,
                    "record": request.record,
                },
                record=request.record,
            )
        )
    for agreement in gone_quiet(today):
        last = agreement.get_last_contact()
        events.append(
            Event(
                key=f"quiet:{agreement.pk}:{last.isoformat() if last else 'never'}",
                kind="quiet",
                day=last,
                text=(
                    _("Gone quiet: %(agreement)s, last contact %(date)s")
                    % {"agreement": agreement, "date": agreement.last_contact_text()}
                    if last
                    else _("Gone quiet: %(agreement)s, no dated visit recorded")
                    % {"agreement": agreement}
                ),
                record=agreement,
            )
        )
    return events
