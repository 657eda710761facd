"""What the report reads: rows as tuples, and the words their values are shown in.

Visits and collaborations are read with a cursor as ``values_list`` tuples; visits in
chunks, with their people and sectors one query per chunk; the collaborations'
activities, focus areas and participants one query each. The query count does not
grow with the rows.
"""

from collections import defaultdict

from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from ...models import (
    Activity,
    Agreement,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    Visit,
    localized_paths,
)
from ...models.choices import (
    HOME_ROLES,
    SENIOR_LEVELS,
    CollaborationStatus,
    ConfirmationAnswer,
    ConfirmationStatus,
    DatePrecision,
    DelegationLevel,
)
from ..exports import reader_values

# What the summary and the anniversaries read of an agreement and its two parties.
AGREEMENT_FIELDS = (
    "kind",
    "status",
    "signed_on",
    "renewal_due_on",
    "ended_on",
    "term_years",
    *localized_paths("home_party"),
    *localized_paths("partner"),
    "partner__name_local",
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
        .order_by("partner__name_en", "home_party__name_en", "kind")
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


def agreements_with_contacts(report):
    """The agreements as a list, each with its partner's ``last_contact`` day."""
    agreement_list = list(agreements(report))
    contacts = last_contacts(report)
    for agreement in agreement_list:
        agreement.last_contact = contacts.get(agreement.partner_id)
    return agreement_list


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
    "date_precision",
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


def visit_rows(report):
    """The period's visits as ``VISIT_COLUMNS`` tuples, in the sheet's order."""
    queryset = visits(report).order_by("start_date", "partner_city__name_en", "pk")
    return reader_values(queryset, *VISIT_COLUMNS)


def grouped(pairs):
    """``{key: [value, ...]}`` from ``(key, value)`` pairs, keeping their order."""
    groups = defaultdict(list)
    for key, value in pairs:
        groups[key].append(value)
    return groups


def delegations(visit_ids, roles):
    """``{visit id: "Head: name, title\n…"}`` for these visits."""
    members = reader_values(
        DelegationMember.objects.filter(visit_id__in=visit_ids).order_by(
            "position", "pk"
        ),
        *("visit_id", "role", "person_id", "person__name", "title_at_time"),
    )
    lines = grouped(
        (visit, member_line(roles.get(role, role), person, name, title))
        for visit, role, person, name, title in members
    )
    return {visit: "\n".join(found) for visit, found in lines.items()}


def visit_sectors(visit_ids):
    """``{visit id: "Economy; Culture"}`` for these visits (sectors in their order)."""
    links = reader_values(
        Visit.sectors.through.objects.filter(visit_id__in=visit_ids).order_by(
            "sector__position", "sector__name_en"
        ),
        *("visit_id", "sector__name"),
    )
    found = grouped(links)
    return {visit: "; ".join(sectors) for visit, sectors in found.items()}


def completed_visits(report):
    """The period's completed visits counted per home party, partner and direction."""
    # Rows: (home party, partner, direction, visits, led at vice-mayor level or
    # above, with the head's level recorded, confirmed by the partner's office).
    return list(
        visits(report)
        .completed()
        .order_by()
        .values("home_party", "partner_city", "direction")
        .annotate(
            n=Count("pk", distinct=True),
            senior=Count("pk", filter=Q(head_level__in=SENIOR_LEVELS), distinct=True),
            recorded=Count(
                "pk",
                filter=~Q(head_level=DelegationLevel.NOT_RECORDED),
                distinct=True,
            ),
            confirmed=Count(
                "pk",
                filter=Q(
                    confirmation_requests__status=ConfirmationStatus.ANSWERED,
                    confirmation_requests__answer=ConfirmationAnswer.CONFIRMED,
                ),
                distinct=True,
            ),
        )
        .values_list(
            "home_party",
            "partner_city",
            "direction",
            "n",
            "senior",
            "recorded",
            "confirmed",
        )
    )


def visit_counts(groups):
    """``{(home_party_id, partner_id, direction): count}`` of ``completed_visits``."""
    return {(home, partner, way): n for home, partner, way, n, *_rest in groups}


def collaboration_overlap(report):
    """Collaborations whose period overlaps the report's (unknown dates overlap).

    An end known only to the month or year may be its last day: "ended March
    2024" (kept as 1 March) overlaps a period starting on 10 March.
    """
    first = report.first
    ended_since = (
        Q(ended_precision=DatePrecision.DAY, ended_on__gte=first)
        | Q(ended_precision=DatePrecision.MONTH, ended_on__gte=first.replace(day=1))
        | Q(
            ended_precision=DatePrecision.YEAR,
            ended_on__gte=first.replace(month=1, day=1),
        )
    )
    return (Q(started_on__isnull=True) | Q(started_on__lte=report.last)) & (
        Q(ended_on__isnull=True) | ended_since
    )


COLLABORATION_COLUMNS = (
    "pk",
    "agreement__partner__name",
    "sector__name",
    "title",
    "status",
    "started_on",
    "started_precision",
    "ended_on",
    "ended_precision",
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
    return reader_values(
        collaborations(report).order_by(
            "agreement__partner__name_en", "sector__position", "title_en"
        ),
        *COLLABORATION_COLUMNS,
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


def focus_areas(report):
    """``{collaboration id: "Inland ports; Steel"}`` (focus areas by name)."""
    links = reader_values(
        Collaboration.focus_areas.through.objects.filter(
            collaboration__in=collaborations(report).values("pk")
        ).order_by("focusarea__name_en"),
        *("collaboration_id", "focusarea__name"),
    )
    found = grouped(links)
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
    rows = reader_values(
        queryset.order_by("pk"),
        *("collaboration_id", "side", "institution_id", "institution__name"),
        "description",
    )
    found = grouped(
        ((collaboration, side), name if institution else description)
        for collaboration, side, institution, name, description in rows
    )
    return {key: "\n".join(names) for key, names in found.items()}


# Words ----------------------------------------------------------------------------


def member_line(role, person_id, person_name, title_at_time):
    """One member's line: “Head of delegation: Name, Title” (role in words)."""
    who = ", ".join(
        part for part in (person_name if person_id else "", title_at_time) if part
    )
    return f"{role}: {who}"


def choice_labels(model, name):
    """``{value: label}`` of a field's choices, translated once, not per row."""
    return {
        value: str(label) for value, label in model._meta.get_field(name).flatchoices
    }
