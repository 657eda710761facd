"""The officials' period report: one workbook for a period, sent up the hierarchy.

Sheets: a summary per partnership (kind, signed on, completed visits each way between
its two parties in the period, active collaborations, last contact, gone quiet), the
visits of the period with their delegations, the collaborations active in the period,
the agreements' anniversaries and renewals that fall in it, and a native chart of
completed visits per partner. A completed visit whose two parties have no agreement in
the list is counted on its own row, so the totals are the period's completed visits.

Written by the lists' own XLSX writer (``writing.XlsxBook``), in constant-memory
mode: text is always written as text (never a formula; formula-like text with Excel's
quote prefix), dates as real dates. Rows are read as tuples, not model instances:
visits in chunks with their people and sectors one query per chunk; collaborations
with their activities, focus areas and participants one query each. Internal notes
are not part of the report.
"""

import io
import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    Visit,
    dates,
    localized,
)
from ...models.choices import (
    HOME_ROLES,
    AgreementStatus,
    CollaborationStatus,
    Direction,
    Side,
)
from ..writing import XlsxBook, display_width, xlsx_text

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


# What the summary and the anniversaries read of an agreement and its two parties.
AGREEMENT_FIELDS = (
    "kind",
    "status",
    "signed_on",
    "renewal_due_on",
    "term_years",
    "home_party__name",
    "partner__name",
    "partner__name_local",
    "partner__name_zh",
    "partner__country",
)


def agreements(report):
    """The home parties' agreements the report is about, with active collaborations."""
    active = Collaboration.objects.filter(
        collaboration_overlap(report),
        agreement=OuterRef("pk"),
        status=CollaborationStatus.ACTIVE,
    )
    if report.sectors:
        active = active.filter(sector__in=report.sectors)
    # A count per agreement, not a join of every collaboration grouped back.
    active_count = active.order_by().values("agreement").annotate(n=Count("pk"))
    queryset = (
        Agreement.objects.of_home()
        .select_related("home_party", "partner")
        .only(*AGREEMENT_FIELDS)
        .annotate(
            active_collaborations=Coalesce(
                Subquery(active_count.values("n"), output_field=IntegerField()), 0
            ),
        )
        .order_by("partner__name", "home_party__name", "kind")
    )
    if report.partners:
        queryset = queryset.filter(partner__in=report.partners)
    return queryset


def last_contacts(report):
    """``{partner id: the last day of its latest completed visit}`` to the end."""
    contacts = Visit.objects.contacts().filter(contact_date__lte=report.last)
    if report.partners:
        contacts = contacts.filter(partner_city__in=report.partners)
    return dict(
        contacts.order_by()
        .values("partner_city")
        .annotate(latest=Max("contact_date"))
        .values_list("partner_city", "latest")
    )


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


VISIT_COLUMNS = (
    "pk",
    "start_date",
    "end_date",
    "direction",
    "partner_city_id",
    "partner_city__name",
    "home_party_id",
    "home_party__name",
    "title",
    "status",
    "purpose",
    "outcomes",
    "public_summary",
)
CHUNK = 2000


def visit_rows(report):
    """The period's visits as ``VISIT_COLUMNS`` tuples, in the sheet's order."""
    return (
        visits(report)
        .order_by("start_date", "partner_city__name", "pk")
        .values_list(*VISIT_COLUMNS)
    )


def chunks(queryset):
    """The rows of ``queryset`` in lists of ``CHUNK``, read with a cursor."""
    rows = queryset.iterator(chunk_size=CHUNK)
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def grouped(pairs):
    """``{key: [value, ...]}`` from ``(key, value)`` pairs, keeping their order."""
    groups = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


def delegations(visit_ids, roles):
    """``{visit id: "Head: name, title\n…"}`` for these visits."""
    members = (
        DelegationMember.objects.filter(visit_id__in=visit_ids)
        .order_by("position", "pk")
        .values_list("visit_id", "role", "person_id", "person__name", "title_at_time")
    )
    lines = grouped(
        (visit, member_line(roles.get(role, role), person, name, title))
        for visit, role, person, name, title in members
    )
    return {visit: "\n".join(found) for visit, found in lines.items()}


def visit_sectors(visit_ids, names):
    """``{visit id: "Economy; Culture"}`` for these visits (sectors in their order)."""
    links = (
        Visit.sectors.through.objects.filter(visit_id__in=visit_ids)
        .order_by("sector__position", "sector__name")
        .values_list("visit_id", "sector__name", "sector__name_zh", "sector__name_ru")
    )
    found = grouped((visit, names(*name)) for visit, *name in links)
    return {visit: "; ".join(sectors) for visit, sectors in found.items()}


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


def collaboration_overlap(report):
    """Collaborations whose period overlaps the report's (unknown dates overlap)."""
    return (Q(started_on__isnull=True) | Q(started_on__lte=report.last)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gte=report.first)
    )


COLLABORATION_COLUMNS = (
    "pk",
    "agreement__partner__name",
    "sector__name",
    "sector__name_zh",
    "sector__name_ru",
    "title",
    "status",
    "started_on",
    "ended_on",
)


def collaborations(report):
    """The collaborations the report lists: active or completed in the period."""
    queryset = Collaboration.objects.filter(agreement__home_party__role__in=HOME_ROLES)
    queryset = queryset.filter(collaboration_overlap(report)).exclude(
        status=CollaborationStatus.PLANNED
    )
    if report.partners:
        queryset = queryset.filter(agreement__partner__in=report.partners)
    if report.sectors:
        queryset = queryset.filter(sector__in=report.sectors)
    return queryset


# The collaborations' own rows are read with a cursor; what each lists (activities,
# focus areas, participants) is read at once for all of them, one query each, since
# collaborations do not grow with the period the way visits do.


def collaboration_rows(report):
    """The collaborations as ``COLLABORATION_COLUMNS`` tuples, in the sheet's order."""
    return (
        collaborations(report)
        .order_by("agreement__partner__name", "sector__position", "title")
        .values_list(*COLLABORATION_COLUMNS)
    )


def activity_counts(report):
    """``{collaboration id: activities starting in the period}`` (none: absent)."""
    activities = Activity.objects.filter(
        collaboration__in=collaborations(report).values("pk"),
        start_date__lte=report.last,
        start_date__gte=report.first,
    )
    return dict(
        activities.order_by()
        .values("collaboration")
        .annotate(n=Count("pk"))
        .values_list("collaboration", "n")
    )


def focus_areas(report, names):
    """``{collaboration id: "Inland ports; Steel"}`` (focus areas by name)."""
    links = (
        Collaboration.focus_areas.through.objects.filter(
            collaboration__in=collaborations(report).values("pk")
        )
        .order_by("focusarea__name")
        .values_list(
            "collaboration_id",
            "focusarea__name",
            "focusarea__name_zh",
            "focusarea__name_ru",
        )
    )
    found = grouped((collaboration, names(*name)) for collaboration, *name in links)
    return {key: "; ".join(areas) for key, areas in found.items()}


def participants(report):
    """``{(collaboration id, side): "Institution\n…"}`` of the collaborations."""
    queryset = CollaborationParticipant.objects.all()
    if report.partners or report.sectors:
        queryset = queryset.filter(
            collaboration__in=collaborations(report).values("pk")
        )
    # Unfiltered, the report lists most collaborations: reading every participant
    # is cheaper than joining them to the home parties' agreements (one home city
    # has nearly all of them, which the planner cannot foresee). In key order
    # alone: grouped by side below, each side keeps that order, without a collated
    # sort of every row by the side's text.
    rows = queryset.order_by("pk").values_list(
        "collaboration_id", "side", "institution_id", "institution__name", "description"
    )
    found = grouped(
        ((collaboration, side), name if institution else description)
        for collaboration, side, institution, name, description in rows
    )
    return {key: "\n".join(names) for key, names in found.items()}


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


def member_line(role, person_id, person_name, title_at_time):
    """One member's line: “Head of delegation: Name, Title” (role in words)."""
    who = ", ".join(
        part for part in (person_name if person_id else "", title_at_time) if part
    )
    return f"{role}: {who}"


def choice_labels(model, name):
    """``{value: label}`` of a field's choices, translated once per report."""
    return {
        value: str(label) for value, label in model._meta.get_field(name).flatchoices
    }


class Names(tuple):
    """A name with its translations, as ``localized`` reads it."""

    __slots__ = ()
    name = property(lambda self: self[0])
    name_zh = property(lambda self: self[1])
    name_ru = property(lambda self: self[2])


def localizer():
    """``names(name, name_zh, name_ru)`` in the reader's language, remembered."""
    cache = {}

    def names(*fields):
        if fields not in cache:
            cache[fields] = localized(Names(fields))
        return cache[fields]

    return names


def visit_title(title, direction, start_date, partner, home):
    """The visit's own title, or the one it is shown under when it has none."""
    if title:
        return title
    return Visit(
        title=title,
        direction=direction,
        start_date=start_date,
        partner_city=City(pk=partner[0], name=partner[1]),
        home_party=City(pk=home[0], name=home[1]),
    ).display_title


WRAP_AT = 45


def text_lines(value):
    """How many lines a cell's text takes once wrapped at the column width."""
    if not isinstance(value, str) or not value:
        return 1
    return sum(
        max(1, -(-display_width(line) // WRAP_AT)) for line in value.splitlines()
    )


def text_measure(text):
    """``(width of its longest line, lines once wrapped, wrapped?)`` of a text."""
    total = display_width(text)
    parts = text.splitlines()
    if len(parts) == 1 and len(parts[0]) == len(text):
        # One line, the common case: its width is the text's.
        return total, max(1, -(-total // WRAP_AT)), total > WRAP_AT
    widths = [display_width(line) for line in parts]
    lines = sum(max(1, -(-width // WRAP_AT)) for width in widths) if text else 1
    return max(widths, default=0), lines, "\n" in text or total > WRAP_AT


# Every cell's look: the workbook's default format, so an empty cell needs no writing.
REPORT_FONT = {"font_name": "Arial", "font_size": 10, "valign": "top"}
STYLES = {
    "title": {"bold": True, "font_size": 14},
    "note": {"italic": True, "font_color": "#555555"},
    "header": {"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "text_wrap": True},
    "text": {},
    "wrap": {"text_wrap": True},
    "date": {"num_format": DATE_FORMAT, "align": "left"},
    "number": {"align": "center"},
    "total": {"bold": True, "top": 1, "align": "center"},
}


class Sheet:
    """A worksheet of ``book`` written row by row, tracking its columns' widths."""

    def __init__(self, book, title, headers, title_lines=()):
        self.styles, self.write_text = book.styles, book.write_text
        self.yes, self.no = _("yes"), _("no")
        self.sheet = book.add_sheet(title)
        self.widths = [display_width(str(h)) for h in headers]
        self.row = 0
        for line_number, line in enumerate(title_lines):
            style = self.styles["title" if line_number == 0 else "note"]
            self.write_text(self.sheet, self.row, 0, line, style)
            self.row += 1
        if title_lines:
            self.row += 1
        self.header_row = self.row
        for column, header in enumerate(headers):
            self.write_text(
                self.sheet, self.row, column, str(header), self.styles["header"]
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
        row, lines = self.row, 1
        for column, value in enumerate(values):
            lines = max(lines, self.write(row, column, value))
        if lines > 1:
            # Spreadsheets do not grow a row for wrapped text written this way.
            # (The row is still open in constant-memory mode: it is written out
            # when the next one starts.)
            self.sheet.set_row(row, 13 * min(lines, 30))
        self.row += 1

    def write(self, row, column, value, style=None):
        """Write one cell, widen its column; return the lines its text takes."""
        styles = self.styles
        lines = 1
        if value is None or value == "":
            # The workbook's default format is the text style: only an empty cell
            # with a style of its own (a total's border) is written.
            if style is not None:
                self.sheet.write_blank(row, column, None, style)
            return lines
        if isinstance(value, str):
            if value.isprintable():
                # The common case: one line, nothing XLSX cannot hold.
                text, width = value, display_width(value)
                lines, wrap = max(1, -(-width // WRAP_AT)), width > WRAP_AT
            else:
                text = xlsx_text(value)
                width, lines, wrap = text_measure(text)
                if len(text) != len(value):
                    # Characters XLSX cannot hold were dropped; they broke lines.
                    lines = text_lines(value)
            self.write_text(
                self.sheet,
                row,
                column,
                text,
                style or styles["wrap" if wrap else "text"],
            )
        elif hasattr(value, "isoformat"):
            self.sheet.write_datetime(row, column, value, style or styles["date"])
            width = 10
        elif isinstance(value, bool):
            text = self.yes if value else self.no
            self.write_text(self.sheet, row, column, text, style or styles["text"])
            width = 3
        elif isinstance(value, int | float):
            self.sheet.write_number(row, column, value, style or styles["number"])
            width = len(str(value))
        else:
            text = xlsx_text(str(value))
            width, _lines, wrap = text_measure(text)
            self.write_text(
                self.sheet,
                row,
                column,
                text,
                style or styles["wrap" if wrap else "text"],
            )
        if column < len(self.widths) and width > self.widths[column]:
            self.widths[column] = width
        return lines

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
    book = XlsxBook(
        out,
        {name: {**REPORT_FONT, **properties} for name, properties in STYLES.items()},
        default_style=REPORT_FONT,
    )
    formats = book.styles
    book.workbook.set_properties(
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
    contacts = last_contacts(report)
    for agreement in agreement_list:
        agreement.last_contact = contacts.get(agreement.partner_id)
    counts = visit_counts(report)
    kinds = choice_labels(Agreement, "kind")
    agreement_statuses = choice_labels(Agreement, "status")
    names = localizer()
    quiet_after = settings.PARTNERSHIPS_QUIET_AFTER_YEARS

    # Summary --------------------------------------------------------------------
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
                kinds.get(agreement.kind, agreement.kind),
                agreement_statuses.get(agreement.status, agreement.status),
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
    directions = choice_labels(Visit, "direction")
    visit_statuses = choice_labels(Visit, "status")
    roles = choice_labels(DelegationMember, "role")
    for chunk in chunks(visit_rows(report)):
        ids = [row[0] for row in chunk]
        members, sectors = delegations(ids, roles), visit_sectors(ids, names)
        for (
            pk,
            start_date,
            end_date,
            direction,
            partner_id,
            partner,
            home_id,
            home,
            title,
            status,
            purpose,
            outcomes,
            public_summary,
        ) in chunk:
            visit_sheet.append(
                [
                    start_date,
                    end_date,
                    directions.get(direction, direction),
                    partner,
                    home,
                    visit_title(
                        title,
                        direction,
                        start_date,
                        (partner_id, partner),
                        (home_id, home),
                    ),
                    visit_statuses.get(status, status),
                    members.get(pk, ""),
                    sectors.get(pk, ""),
                    purpose,
                    outcomes,
                    public_summary,
                ]
            )
    visit_sheet.finish()

    # Collaborations -------------------------------------------------------------
    collaboration_sheet = Sheet(
        book,
        _("Collaborations"),
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
    collaboration_statuses = choice_labels(Collaboration, "status")
    activities = activity_counts(report)
    areas, sides = focus_areas(report, names), participants(report)
    for (
        pk,
        partner,
        *sector,
        title,
        status,
        started_on,
        ended_on,
    ) in collaboration_rows(report).iterator(chunk_size=CHUNK):
        collaboration_sheet.append(
            [
                partner,
                names(*sector),
                title,
                collaboration_statuses.get(status, status),
                started_on,
                ended_on,
                areas.get(pk, ""),
                sides.get((pk, Side.HOME), ""),
                sides.get((pk, Side.PARTNER), ""),
                activities.get(pk, 0),
            ]
        )
    collaboration_sheet.finish()

    # Agreements: anniversaries and renewals -------------------------------------
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
                agreement_statuses.get(agreement.status, agreement.status),
            ]
        )
    agreement_sheet.finish()

    # Chart ----------------------------------------------------------------------
    chart_sheet = Sheet(
        book,
        _("Chart"),
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
        chart = book.workbook.add_chart({"type": "bar", "subtype": "stacked"})
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
