"""The officials' period report: one workbook for a period, sent up the hierarchy.

Sheets: a summary per partnership (kind, signed on, completed visits each way between
its two parties in the period, active collaborations, last contact, gone quiet), the
visits of the period with their delegations, the collaborations active in the period,
the agreements' anniversaries and renewals that fall in it, and a native chart of
completed visits per partner. A completed visit whose two parties have no agreement in
the list is counted on its own row, so the totals are the period's completed visits.

Written with XlsxWriter in constant-memory mode: text is always written as text
(never a formula), dates as real dates, and the queries do not grow with the rows.
Internal notes are not part of the report.
"""

import io
from dataclasses import dataclass, field

import xlsxwriter
from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import dates
from .choices import AgreementStatus, CollaborationStatus, Direction, Side
from .models import (
    Agreement,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    Visit,
    localized,
)
from .querysets import HOME_ROLES
from .spreadsheets import display_width, xlsx_text

DATE_FORMAT = "yyyy-mm-dd"


@dataclass
class ReportFilter:
    """What the report covers: a period, optionally some partners and sectors."""

    first: object
    last: object
    partners: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    today: object = None

    def describe(self):
        parts = [
            _("Period: %(first)s to %(last)s")
            % {"first": self.first.isoformat(), "last": self.last.isoformat()}
        ]
        if self.partners:
            parts.append(
                _("Partners: %(names)s")
                % {"names": ", ".join(localized(p) for p in self.partners)}
            )
        if self.sectors:
            parts.append(
                _("Sectors: %(names)s")
                % {"names": ", ".join(s.localized_name for s in self.sectors)}
            )
        return "; ".join(parts)


# Queries --------------------------------------------------------------------------


def agreements(report):
    """The home parties' agreements the report is about, with last contact."""
    contacts = (
        Visit.objects.contacts()
        .filter(partner_city=OuterRef("partner"), contact_date__lte=report.last)
        .order_by()
        .values("partner_city")
        .annotate(latest=Max("contact_date"))
        .values("latest")
    )
    active_collaborations = Q(
        collaborations__status=CollaborationStatus.ACTIVE
    ) & collaboration_overlap(report, prefix="collaborations__")
    if report.sectors:
        active_collaborations &= Q(collaborations__sector__in=report.sectors)
    queryset = (
        Agreement.objects.of_home()
        .select_related("home_party", "partner")
        .annotate(
            last_contact=Subquery(contacts),
            active_collaborations=Count(
                "collaborations", filter=active_collaborations, distinct=True
            ),
        )
        .order_by("partner__name", "home_party__name", "kind")
    )
    if report.partners:
        queryset = queryset.filter(partner__in=report.partners)
    return queryset


def visits(report):
    queryset = Visit.objects.in_period(report.first, report.last)
    if report.partners:
        queryset = queryset.filter(partner_city__in=report.partners)
    if report.sectors:
        queryset = queryset.filter(sectors__in=report.sectors).distinct()
    return queryset


def undated_visits(report):
    """Visits the office knows of but cannot place in any period."""
    queryset = Visit.objects.undated().filter(home_party__role__in=HOME_ROLES)
    if report.partners:
        queryset = queryset.filter(partner_city__in=report.partners)
    if report.sectors:
        queryset = queryset.filter(sectors__in=report.sectors).distinct()
    return queryset.count()


def visit_rows(report):
    return (
        visits(report)
        .select_related("partner_city", "home_party")
        .prefetch_related(
            "sectors",
            Prefetch("members", DelegationMember.objects.select_related("person")),
        )
        .order_by("start_date", "partner_city__name", "pk")
    )


def visit_counts(report):
    """``{(home_party_id, partner_id, direction): count}`` of completed visits."""
    counts = (
        visits(report)
        .completed()
        .order_by()
        .values("home_party", "partner_city", "direction")
        .annotate(n=Count("pk", distinct=True))
    )
    return {
        (row["home_party"], row["partner_city"], row["direction"]): row["n"]
        for row in counts
    }


def collaboration_overlap(report, prefix=""):
    """Collaborations whose period overlaps the report's (unknown dates overlap)."""
    return (
        Q(**{f"{prefix}started_on__isnull": True})
        | Q(**{f"{prefix}started_on__lte": report.last})
    ) & (
        Q(**{f"{prefix}ended_on__isnull": True})
        | Q(**{f"{prefix}ended_on__gte": report.first})
    )


def collaborations(report):
    queryset = Collaboration.objects.filter(agreement__home_party__role__in=HOME_ROLES)
    queryset = queryset.filter(collaboration_overlap(report)).exclude(
        status=CollaborationStatus.PLANNED
    )
    if report.partners:
        queryset = queryset.filter(agreement__partner__in=report.partners)
    if report.sectors:
        queryset = queryset.filter(sector__in=report.sectors)
    return (
        queryset.select_related("sector", "agreement__partner", "agreement__home_party")
        .prefetch_related(
            "focus_areas",
            Prefetch(
                "participants",
                CollaborationParticipant.objects.select_related("institution"),
            ),
        )
        .annotate(
            activities_in_period=Count(
                "activities",
                filter=Q(
                    activities__start_date__lte=report.last,
                    activities__start_date__gte=report.first,
                ),
                distinct=True,
            )
        )
        .order_by("agreement__partner__name", "sector__position", "title")
    )


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


# Cells ----------------------------------------------------------------------------


def member_line(member):
    role = member.get_role_display()
    who = ", ".join(
        part
        for part in (
            member.person.name if member.person_id else "",
            member.title_at_time,
        )
        if part
    )
    return f"{role}: {who}"


def participant_names(collaboration, side):
    return "\n".join(
        p.institution.name if p.institution_id else p.description
        for p in collaboration.participants.all()
        if p.side == side
    )


WRAP_AT = 45


def text_lines(value):
    """How many lines a cell's text takes once wrapped at the column width."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(
        max(1, -(-display_width(line) // WRAP_AT)) for line in value.splitlines()
    )


class Sheet:
    """A worksheet written row by row, tracking widths, with text kept as text."""

    def __init__(self, book, title, formats, headers, title_lines=()):
        self.book, self.formats = book, formats
        self.sheet = book.add_worksheet(xlsx_text(title)[:31])
        self.widths = [display_width(str(h)) for h in headers]
        self.row = 0
        for line_number, line in enumerate(title_lines):
            style = formats["title"] if line_number == 0 else formats["note"]
            self.sheet.write_string(self.row, 0, xlsx_text(line), style)
            self.row += 1
        if title_lines:
            self.row += 1
        self.header_row = self.row
        for column, header in enumerate(headers):
            self.sheet.write_string(
                self.row, column, xlsx_text(str(header)), formats["header"]
            )
        self.row += 1
        # Frozen header: the title and column names stay in view when scrolling.
        self.sheet.freeze_panes(self.row, 0)
        # Printed (or saved as PDF): landscape A4, one page wide, header repeated.
        self.sheet.set_landscape()
        self.sheet.set_paper(9)
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(self.header_row)
        self.sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.sheet.set_footer("&L&A&R&P / &N")
        self.first_data_row = self.row

    def append(self, values):
        lines = max((text_lines(value) for value in values), default=1)
        if lines > 1:
            # Spreadsheets do not grow a row for wrapped text written this way.
            self.sheet.set_row(self.row, 13 * min(lines, 30))
        for column, value in enumerate(values):
            self.write(self.row, column, value)
        self.row += 1

    def write(self, row, column, value, style=None):
        formats = self.formats
        if value is None or value == "":
            self.sheet.write_blank(row, column, None, style or formats["text"])
            return
        if hasattr(value, "isoformat") and not isinstance(value, str):
            self.sheet.write_datetime(row, column, value, style or formats["date"])
            width = 10
        elif isinstance(value, bool):
            self.sheet.write_string(
                row, column, _("yes") if value else _("no"), style or formats["text"]
            )
            width = 3
        elif isinstance(value, int | float):
            self.sheet.write_number(row, column, value, style or formats["number"])
            width = len(str(value))
        else:
            text = xlsx_text(str(value))
            wrap = "\n" in text or display_width(text) > WRAP_AT
            self.sheet.write_string(
                row, column, text, style or formats["wrap" if wrap else "text"]
            )
            width = max((display_width(line) for line in text.splitlines()), default=0)
        if column < len(self.widths):
            self.widths[column] = max(self.widths[column], width)

    def finish(self, autofilter=True):
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, min(max(width + 2, 8), WRAP_AT + 2))
        if autofilter and self.row > self.first_data_row:
            self.sheet.autofilter(
                self.header_row, 0, self.row - 1, len(self.widths) - 1
            )


def build_report(report, out=None):
    """Write the workbook for ``report`` to ``out`` (a file or buffer); return it."""
    today = report.today or timezone.localdate()
    out = out if out is not None else io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    font = {"font_name": "Arial", "font_size": 10, "valign": "top"}
    formats = {
        "title": book.add_format({**font, "bold": True, "font_size": 14}),
        "note": book.add_format({**font, "italic": True, "font_color": "#555555"}),
        "header": book.add_format(
            {
                **font,
                "bold": True,
                "bg_color": "#DCE6F1",
                "bottom": 1,
                "text_wrap": True,
            }
        ),
        "text": book.add_format(font),
        "wrap": book.add_format({**font, "text_wrap": True}),
        "date": book.add_format({**font, "num_format": DATE_FORMAT, "align": "left"}),
        "number": book.add_format({**font, "align": "center"}),
        "total": book.add_format({**font, "bold": True, "top": 1, "align": "center"}),
    }
    book.set_properties(
        {
            "title": _("Partnerships report"),
            "subject": report.describe(),
        }
    )
    title = _("Partnerships report, %(first)s to %(last)s") % {
        "first": report.first.isoformat(),
        "last": report.last.isoformat(),
    }
    generated = _("%(filters)s. Generated on %(today)s.") % {
        "filters": report.describe(),
        "today": today.isoformat(),
    }

    undated = undated_visits(report)
    if undated:
        generated += " " + ngettext(
            "%(count)s visit without dates is not counted.",
            "%(count)s visits without dates are not counted.",
            undated,
        ) % {"count": undated}

    agreement_list = list(agreements(report))
    counts = visit_counts(report)
    quiet_after = settings.PARTNERSHIPS_QUIET_AFTER_YEARS

    # Summary --------------------------------------------------------------------
    summary = Sheet(
        book,
        _("Summary"),
        formats,
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
        title_lines=[title, generated],
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
        quiet = agreement.status == AgreementStatus.ACTIVE and dates.has_gone_quiet(
            agreement.last_contact, report.last, quiet_after, since=agreement.signed_on
        )
        summary.append(
            [
                partner.name,
                partner.name_local,
                partner.name_zh,
                str(partner.country.name),
                agreement.home_party.name,
                agreement.get_kind_display(),
                agreement.get_status_display(),
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
        summary.write(summary.row, 0, _("Total"), formats["total"])
        for offset, value in enumerate(totals):
            summary.write(summary.row, 9 + offset, value, formats["total"])
        summary.row += 1
    summary.finish(autofilter=False)

    # Visits ---------------------------------------------------------------------
    visit_sheet = Sheet(
        book,
        _("Visits"),
        formats,
        [
            _("Start date"),
            _("End date"),
            _("Direction"),
            _("Partner city"),
            _("Home party"),
            _("Title"),
            _("Status"),
            _("Delegation"),
            _("Sectors"),
            _("Purpose"),
            _("Outcomes"),
            _("Public summary"),
        ],
    )
    for visit in visit_rows(report).iterator(chunk_size=2000):
        visit_sheet.append(
            [
                visit.start_date,
                visit.end_date,
                visit.get_direction_display(),
                visit.partner_city.name,
                visit.home_party.name,
                visit.display_title,
                visit.get_status_display(),
                "\n".join(member_line(m) for m in visit.members.all()),
                "; ".join(s.localized_name for s in visit.sectors.all()),
                visit.purpose,
                visit.outcomes,
                visit.public_summary,
            ]
        )
    visit_sheet.finish()

    # Collaborations -------------------------------------------------------------
    collaboration_sheet = Sheet(
        book,
        _("Collaborations"),
        formats,
        [
            _("Partner city"),
            _("Sector"),
            _("Title"),
            _("Status"),
            _("Started on"),
            _("Ended on"),
            _("Focus areas"),
            _("Home participants"),
            _("Partner participants"),
            _("Activities in the period"),
        ],
    )
    for collaboration in collaborations(report):
        collaboration_sheet.append(
            [
                collaboration.agreement.partner.name,
                collaboration.sector.localized_name,
                collaboration.title,
                collaboration.get_status_display(),
                collaboration.started_on,
                collaboration.ended_on,
                "; ".join(a.localized_name for a in collaboration.focus_areas.all()),
                participant_names(collaboration, Side.HOME),
                participant_names(collaboration, Side.PARTNER),
                collaboration.activities_in_period,
            ]
        )
    collaboration_sheet.finish()

    # Agreements: anniversaries and renewals -------------------------------------
    agreement_sheet = Sheet(
        book,
        _("Agreements"),
        formats,
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
                agreement.get_kind_display(),
                agreement.signed_on,
                agreement.renewal_due_on,
                agreement.get_status_display(),
            ]
        )
    agreement_sheet.finish()

    # Chart ----------------------------------------------------------------------
    chart_sheet = Sheet(
        book,
        _("Chart"),
        formats,
        [
            _("Partner city"),
            _("Inbound visits (completed)"),
            _("Outbound visits (completed)"),
        ],
    )
    ranked = sorted(
        per_partner.values(), key=lambda item: (-(item[1] + item[2]), item[0])
    )[:25]
    for name, inbound, outbound in ranked:
        chart_sheet.append([name, inbound, outbound])
    chart_sheet.finish(autofilter=False)
    if ranked:
        chart = book.add_chart({"type": "bar", "subtype": "stacked"})
        sheet_name = chart_sheet.sheet.get_name()
        first, last = chart_sheet.first_data_row, chart_sheet.row - 1
        for column, colour in ((1, "#4F81BD"), (2, "#C0504D")):
            chart.add_series(
                {
                    "name": [sheet_name, chart_sheet.header_row, column],
                    "categories": [sheet_name, first, 0, last, 0],
                    "values": [sheet_name, first, column, last, column],
                    "fill": {"color": colour},
                }
            )
        chart.set_title({"name": _("Visits per partner in the period")})
        most = max(inbound + outbound for _name, inbound, outbound in ranked)
        chart.set_x_axis(
            {
                "name": _("Visits"),
                "min": 0,
                "major_unit": max(1, -(-most // 10)),
                "num_format": "0",
                "major_gridlines": {"visible": True},
            }
        )
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": 720, "height": max(320, 28 * len(ranked) + 120)})
        chart_sheet.sheet.insert_chart(1, 4, chart)
    book.close()
    return out
