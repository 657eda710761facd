"""The report's headline figures, counted by the same rules as its sheets.

Visits are the period's completed ones (as the Summary counts them); agreements
are the Summary's, each event falling in the period (signed, renewed, renewal
due, ended; renewed: a new "Active" step in its status history after an earlier
one, which is how a renewal is recorded);
anniversaries are the Agreements sheet's; a partner has gone quiet by the
Summary's rule. A delegation is "led at vice-mayor level or above" when its head's
level is recorded as such (``Visit.head_level``); how many have a level recorded
is counted beside it, since nothing is inferred from titles.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef

from ...models import AgreementStatusChange, dates
from ...models.choices import AgreementStatus, Direction
from .agreements import ANNIVERSARY, RENEWAL
from .queries import undated_visits


@dataclass
class Figures:
    """What the cover says of the period, each a count (``quiet``: names)."""

    inbound: int = 0
    outbound: int = 0
    senior_led: int = 0
    level_recorded: int = 0
    #: Completed visits the partner's office confirmed (issue 19).
    confirmed: int = 0
    partners_visited: int = 0
    signed: int = 0
    renewed: int = 0
    renewals_due: int = 0
    ended: int = 0
    anniversaries: int = 0
    round_anniversaries: int = 0
    quiet: list = field(default_factory=list)
    undated: int = 0

    @property
    def completed(self):
        return self.inbound + self.outbound


def gone_quiet(agreement, report):
    """Whether an active partnership has had no completed visit for too long."""
    return agreement.status == AgreementStatus.ACTIVE and dates.has_gone_quiet(
        agreement.last_contact,
        report.last,
        settings.PARTNERSHIPS_QUIET_AFTER_YEARS,
        since=agreement.signed_on,
    )


def within(day, report):
    return day is not None and report.first <= day <= report.last


def renewed(report, agreements):
    """How many of ``agreements`` were renewed in the period: an "Active" step
    dated in it follows an earlier "Active" one (a first activation is not)."""
    steps = AgreementStatusChange.objects.filter(status=AgreementStatus.ACTIVE)
    earlier = steps.filter(
        agreement=OuterRef("agreement"), changed_on__lt=OuterRef("changed_on")
    )
    return (
        steps.filter(
            agreement__in=agreements,
            changed_on__range=(report.first, report.last),
        )
        .filter(Exists(earlier))
        .values("agreement")
        .distinct()
        .count()
    )


def headline_figures(report, groups, agreement_list, events):
    """The ``Figures`` of ``report`` from what its sheets are written from."""
    # ``groups``: ``queries.completed_visits``; ``events``: the Agreements sheet's.
    figures = Figures(undated=undated_visits(report))
    partners = set()
    for _home, partner, direction, count, senior, recorded, confirmed in groups:
        if direction == Direction.INBOUND:
            figures.inbound += count
        else:
            figures.outbound += count
        figures.senior_led += senior
        figures.level_recorded += recorded
        figures.confirmed += confirmed
        partners.add(partner)
    figures.partners_visited = len(partners)
    quiet = {}
    for agreement in agreement_list:
        figures.signed += within(agreement.signed_on, report)
        figures.ended += within(agreement.ended_on, report)
        if gone_quiet(agreement, report):
            quiet.setdefault(agreement.partner_id, agreement.partner.name)
    figures.quiet = sorted(quiet.values())
    figures.renewed = renewed(report, [agreement.pk for agreement in agreement_list])
    step = settings.PARTNERSHIPS_ROUND_ANNIVERSARY_STEP
    for event in events:
        if event.kind == ANNIVERSARY:
            figures.anniversaries += 1
            figures.round_anniversaries += event.years % step == 0
        elif event.kind == RENEWAL:
            figures.renewals_due += 1
    return figures
