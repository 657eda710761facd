"""The Summary sheet: one row per partnership, completed visits each way, totals."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import Agreement, dates
from ...models.choices import Direction
from ...models.partial_dates import format_date
from .figures import gone_quiet
from .queries import choice_labels, visit_counts
from .sheet import Sheet


def title_lines(report, undated):
    """The report's title and what it covers, with the visits it cannot count."""
    title = _("Partnerships report, %(first)s to %(last)s") % {
        "first": format_date(report.first),
        "last": format_date(report.last),
    }
    generated = _("%(filters)s. Generated on %(today)s.") % {
        "filters": report.describe(),
        "today": format_date(report.made_on()),
    }
    if undated:
        generated += " " + ngettext(
            "%(count)s visit without dates is not counted.",
            "%(count)s visits without dates are not counted.",
            undated,
        ) % {"count": undated}
    return [title, generated]


def write_summary(book, report, agreement_list, groups, figures):
    """Write the Summary; return ``{partner id: (name, inbound, outbound)}``."""
    # ``groups``: ``queries.completed_visits``, which the cover's figures read too.
    counts = visit_counts(groups)
    kinds = choice_labels(Agreement, "kind")
    statuses = choice_labels(Agreement, "status")
    summary = Sheet(
        book,
        _("Summary"),
        [
            _("Partner city"),
            _("Local name"),
            _("Chinese name"),
            _("Country"),
            _("Home party"),
            _("Kind"),
            _("Status"),
            _("Signed on"),
            _("Years since signing"),
            _("Inbound visits (completed)"),
            _("Outbound visits (completed)"),
            _("Active collaborations"),
            _("Last contact"),
            _("Gone quiet"),
        ],
        title_lines=title_lines(report, figures.undated),
    )
    totals = [0, 0, 0]
    per_partner = {}
    counted = set()
    for agreement in agreement_list:
        partner = agreement.partner
        parties = (agreement.home_party_id, partner.pk)
        if parties in counted:
            # Two agreements of one pair: its visits are on the first row only.
            inbound = outbound = None
        else:
            counted.add(parties)
            inbound = counts.pop((*parties, Direction.INBOUND), 0)
            outbound = counts.pop((*parties, Direction.OUTBOUND), 0)
        quiet = gone_quiet(agreement, report)
        summary.append(
            [
                partner.name,
                partner.name_local,
                partner.name_zh_hans,
                str(partner.country.name),
                agreement.home_party.name,
                kinds.get(agreement.kind, agreement.kind),
                statuses.get(agreement.status, agreement.status),
                agreement.signed_on,
                dates.whole_years_between(agreement.signed_on, report.last),
                inbound,
                outbound,
                agreement.active_collaborations,
                agreement.last_contact,
                quiet,
            ]
        )
        totals[0] += inbound or 0
        totals[1] += outbound or 0
        totals[2] += agreement.active_collaborations
        _name, partner_in, partner_out = per_partner.get(partner.pk, ("", 0, 0))
        per_partner[partner.pk] = (
            partner.name,
            partner_in + (inbound or 0),
            partner_out + (outbound or 0),
        )
    # Visits between parties with no agreement listed still count in the total.
    other_in = sum(n for key, n in counts.items() if key[2] == Direction.INBOUND)
    other_out = sum(n for key, n in counts.items() if key[2] == Direction.OUTBOUND)
    if other_in or other_out:
        other = [_("Visits with no agreement between their two parties")]
        summary.append([*other, *[""] * 8, other_in, other_out])
        totals[0] += other_in
        totals[1] += other_out
    if not agreement_list:
        summary.append([_("No partnerships match these filters.")])
    if agreement_list or other_in or other_out:
        summary.append([_("Total"), *[""] * 8, *totals, "", ""], book.styles["total"])
    summary.finish(autofilter=False)
    return per_partner
