"""The Agreements sheet: anniversaries, renewals and term ends in the period."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import Agreement, dates
from .queries import choice_labels
from .sheet import Sheet


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
            events.append((day, agreement, label, years))
        if (
            agreement.renewal_due_on
            and report.first <= agreement.renewal_due_on <= report.last
        ):
            events.append((agreement.renewal_due_on, agreement, _("Renewal due"), None))
        if agreement.signed_on and agreement.term_years:
            ends = dates.anniversary_in_year(
                agreement.signed_on, agreement.signed_on.year + agreement.term_years
            )
            if report.first <= ends <= report.last:
                events.append((ends, agreement, _("Term ends"), agreement.term_years))
    events.sort(key=lambda event: (event[0], event[1].partner.name))
    return events


def write_agreements(book, report, agreement_list):
    """Write the Agreements sheet: the events of ``agreement_list``, by date."""
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
    for day, agreement, label, _years in agreement_events(report, agreement_list):
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
