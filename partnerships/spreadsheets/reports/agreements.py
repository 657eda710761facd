"""The Agreements sheet: anniversaries, renewals and term ends in the period."""

from collections import namedtuple

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import Agreement, dates
from .queries import choice_labels
from .sheet import Sheet

ANNIVERSARY, RENEWAL, TERM_END = "anniversary", "renewal", "term_end"
# One line of the sheet: what falls on ``day``; ``years`` since signing, or the term.
Event = namedtuple("Event", "day agreement label years kind")


def agreement_events(report, agreement_list):
    """Anniversaries, renewals and term ends falling in the period, by date."""
    events = []
    for agreement in agreement_list:
        for day, years in dates.anniversaries_between(
            agreement.signed_on, report.first, report.last
        ):
            round_ = years % settings.PARTNERSHIPS_ROUND_ANNIVERSARY_STEP == 0
            label = ngettext(
                "%(years)s year since signing",
                "%(years)s years since signing",
                years,
            ) % {"years": years}
            if round_:
                label = _("%(label)s (round anniversary)") % {"label": label}
            events.append(Event(day, agreement, label, years, ANNIVERSARY))
        if (
            agreement.renewal_due_on
            and report.first <= agreement.renewal_due_on <= report.last
        ):
            events.append(
                Event(
                    agreement.renewal_due_on, agreement, _("Renewal due"), None, RENEWAL
                )
            )
        if agreement.signed_on and agreement.term_years:
            ends = dates.anniversary_in_year(
                agreement.signed_on, agreement.signed_on.year + agreement.term_years
            )
            if report.first <= ends <= report.last:
                events.append(
                    Event(
                        ends, agreement, _("Term ends"), agreement.term_years, TERM_END
                    )
                )
    events.sort(key=lambda event: (event.day, event.agreement.partner.name))
    return events


def write_agreements(book, events):
    """Write the Agreements sheet: ``events`` (``agreement_events``), by date."""
    kinds = choice_labels(Agreement, "kind")
    statuses = choice_labels(Agreement, "status")
    agreement_sheet = Sheet(
        book,
        _("Agreements"),
        [
            _("Date"),
            _("Event"),
            _("Partner city"),
            _("Home party"),
            _("Kind"),
            _("Signed on"),
            _("Renewal due"),
            _("Status"),
        ],
    )
    for day, agreement, label, _years, _kind in events:
        agreement_sheet.append(
            [
                day,
                label,
                agreement.partner.name,
                agreement.home_party.name,
                kinds.get(agreement.kind, agreement.kind),
                agreement.signed_on,
                agreement.renewal_due_on,
                statuses.get(agreement.status, agreement.status),
            ]
        )
    agreement_sheet.finish()
