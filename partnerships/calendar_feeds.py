"""Staff members' private calendar feeds: the secret link made, replaced and
revoked, the person it belongs to found from it, and what it carries.

A feed carries what the dashboard reminds the office of, published or not: the
upcoming visits, the anniversaries of the next twelve months and the renewals
due (overdue ones too, on the day they fell due). Its link is the only key to
it, so the token is shown once, when it is made, and kept only as its hash
(``secret_links.token_hash``).
"""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import dashboard
from .admin_urls import change_url
from .models import CalendarFeed
from .models.choices import DatePrecision
from .models.partial_dates import format_date
from .public.calendars import dated
from .secret_links import token_hash

#: What a staff member needs to read the feed: what the dashboard needs.
NEEDED_PERMISSIONS = ("partnerships.view_visit", "partnerships.view_agreement")


def may_have_feed(user):
    return user.is_active and user.is_staff and user.has_perms(NEEDED_PERMISSIONS)


def issue(user):
    """A new secret link's token for ``user``; any earlier link stops working."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user, defaults={"token_hash": token_hash(token), "last_read_at": None}
        )
    return token


def revoke(user):
    """Stop ``user``'s link working; ``True`` if there was one."""
    deleted, _kinds = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def feed_of(user):
    return CalendarFeed.objects.filter(user=user).first()


def open_feed(token):
    """The feed a token opens, noting when it was read; ``None`` if none does or
    its owner may no longer read it."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if feed is None or not may_have_feed(feed.user):
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    return feed


def visit_events(today):
    for visit in dashboard.upcoming_visits(today, limit=None):
        dates = dated(visit)
        if dates is None:
            continue
        first, last, when = dates
        notes = []
        if visit.date_precision == DatePrecision.MONTH:
            notes.append(_("The day is not fixed yet: %(when)s.") % {"when": when})
        if not visit.published:
            notes.append(_("Not published."))
        yield (
            f"staff-visit-{visit.pk}",
            first,
            last,
            _("Visit: %(visit)s") % {"visit": visit},
            change_url(visit),
            " ".join(notes),
        )


def anniversary_events(today):
    for item in dashboard.anniversaries(today):
        agreement, day = item["agreement"], item["date"]
        text = (
            _("Round anniversary: %(years)d years of %(agreement)s")
            if item["round"]
            else _("Anniversary: %(years)d years of %(agreement)s")
        )
        yield (
            f"staff-anniversary-{agreement.pk}-{day.isoformat()}",
            day,
            day,
            text % {"years": item["years"], "agreement": agreement},
            change_url(agreement),
            _("Signed on %(date)s.") % {"date": format_date(agreement.signed_on)},
        )


def renewal_events(today):
    for item in dashboard.renewals_due(today):
        agreement, day = item["agreement"], item["date"]
        text = (
            _("Renewal overdue: %(agreement)s")
            if item["overdue"]
            else _("Renewal due: %(agreement)s")
        )
        yield (
            f"staff-renewal-{agreement.pk}-{day.isoformat()}",
            day,
            day,
            text % {"agreement": agreement},
            change_url(agreement),
            "",
        )


def events(today=None):
    """The feed's events, by date."""
    today = today or timezone.localdate()
    found = [
        *visit_events(today),
        *anniversary_events(today),
        *renewal_events(today),
    ]
    return sorted(found, key=lambda event: (event[1], event[0]))
