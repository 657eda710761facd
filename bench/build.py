"""Build the benchmark database: clearly synthetic records at the office's scale.

The seed (Chongqing and Voronezh) plus ``partners`` partner cities named
"Benchmark City 0001" ..., each twinned with Chongqing; the EU registry's pairs as
cities and agreements between them; ``visits`` visits with three delegation members
each; ``collaborations`` collaborations with two participants each. Voronezh gets
its share of visits too, so its page is measured at scale.

Rows are written with PostgreSQL ``COPY`` (``bulk_create`` on SQLite) with primary
keys given here, then the sequences are reset: 100,000 visits take seconds, not
minutes. It refuses a database whose name does not contain "bench" unless forced,
since it deletes every partnership record first.
"""

import csv
import datetime
import io
import random
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django_countries import countries

from partnerships.models import (
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    DelegationMember,
    Institution,
    Person,
    Sector,
    Visit,
)
from partnerships.models.choices import (
    AgreementKind,
    AgreementStatus,
    CityRole,
    CollaborationStatus,
    DatePrecision,
    DelegationRole,
    Direction,
    InstitutionKind,
    Side,
    VisitStatus,
)
from partnerships.models.known_names import keys_text
from partnerships.spreadsheets.registry import REGISTRY_FILE as REGISTRY

FULL_SCALE = {
    "partners": 1000,
    "visits": 100_000,
    "collaborations": 20_000,
    "registry_rows": None,  # every row
}
# Registry labels that are not django-countries' English names (historical states
# are mapped to today's country: this is benchmark data, not records).
COUNTRY_ALIASES = {
    "cape verde": "CV",
    "czech republic": "CZ",
    "east timor": "TL",
    "ivory coast": "CI",
    "kingdom of hungary": "HU",
    "kingdom of the netherlands": "NL",
    "luhansk people's republic": "UA",
    "palestinian national authority": "PS",
    "palestinian territories": "PS",
    "people's republic of china": "CN",
    "prussia": "DE",
    "republic of macedonia": "MK",
    "republic of the congo": "CG",
    "sao tomé and príncipe": "ST",
    "swaziland": "SZ",
    "turkey": "TR",
    "kosovo": "XK",
}
PARTNER_COUNTRIES = ["RU", "DE", "FR", "IT", "US", "JP", "KR", "BR", "ZA", "EG"]
BATCH = 5000


def is_postgresql():
    return connection.vendor == "postgresql"


def check_database(force=False):
    name = str(connection.settings_dict["NAME"])
    if not force and "bench" not in name:
        raise SystemExit(
            f"Refusing to rebuild database {name!r}: its name does not contain "
            "'bench'. Point DATABASE_URL at a benchmark database (or pass --force)."
        )


def country_codes():
    with translation.override("en"):
        names = {str(name).casefold(): code for code, name in countries}
    names.update(COUNTRY_ALIASES)
    return names


def read_registry(limit=None):
    """Distinct cities and distinct pairs of the EU registry, in file order."""
    codes = country_codes()
    cities, pairs, skipped = {}, {}, 0
    with REGISTRY.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter="\t")
        for number, row in enumerate(reader):
            if limit is not None and number >= limit:
                break
            origin_code = codes.get(row["origincountry"].strip().casefold())
            sister_code = codes.get(row["destination_countryLabel"].strip().casefold())
            origin = (row["origincityLabel"].strip(), origin_code)
            sister = (row["sistercityLabel"].strip(), sister_code)
            if not origin_code or not sister_code or origin == sister:
                skipped += 1
                continue
            for key, lat, lon in (
                (origin, row["originlat"], row["originlong"]),
                (sister, row["destinationlat"], row["destinationlong"]),
            ):
                cities.setdefault(key, (coordinate(lat, 90), coordinate(lon, 180)))
            pairs.setdefault(frozenset((origin, sister)), (origin, sister))
    return cities, list(pairs.values()), skipped


def coordinate(text, bound):
    try:
        value = round(float(text), 6)
    except ValueError:
        return None
    return value if -bound <= value <= bound else None


def insert(model, objects):
    """Write ``objects`` (with their pks set) in batches: COPY or bulk_create."""
    objects = list(objects)
    if not objects:
        return 0
    if not is_postgresql():
        model.objects.bulk_create(objects, batch_size=BATCH)
        return len(objects)
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for obj in objects:
            copy.write_row(
                [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
            )
    return len(objects)


def copy_rows(table, columns, rows):
    """COPY tuples into ``table`` (the anchors use this); executemany on SQLite."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if is_postgresql():
            with cursor.cursor.copy(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) "
                f"VALUES ({marks})",
                list(rows),
            )


def next_pk(model):
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def wipe():
    """Delete every partnership record except the sectors (reference data)."""
    keep = {Sector, Sector.history.model}
    models = [
        model
        for model in apps.get_app_config("partnerships").get_models(
            include_auto_created=True
        )
        if model not in keep
    ]
    if is_postgresql():
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY")
        return
    # Foreign keys are checked at commit, so the order does not matter here.
    for model in models:
        model.objects.all()._raw_delete(connection.alias)


def reset_sequences():
    models = [
        City,
        Agreement,
        Person,
        Visit,
        DelegationMember,
        Collaboration,
        Institution,
        CollaborationParticipant,
        Visit.sectors.through,
        Collaboration.focus_areas.through,
    ]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def build(scale=None, force=False, log=print, seed=2026, migrate=True):
    """Rebuild the benchmark data at ``scale`` (defaults: FULL_SCALE); return counts."""
    scale = {**FULL_SCALE, **(scale or {})}
    check_database(force)
    started = time.monotonic()
    if migrate:
        call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(seed)
    counts = {}
    with transaction.atomic():
        wipe()
        call_command("loaddata", "seed", verbosity=0)
        home = City.objects.get(role=CityRole.HOME)
        voronezh = City.objects.get(slug="voronezh")
        sectors = list(Sector.objects.order_by("pk"))
        now = timezone.now()

        # Partner cities, each with a published sister-city agreement.
        pk = next_pk(City)
        partners = []
        for i in range(1, scale["partners"] + 1):
            partners.append(
                City(
                    pk=pk,
                    name=f"Benchmark City {i:04d}",
                    name_local=f"Benchmark City {i:04d} (local)",
                    slug=f"benchmark-city-{i:04d}",
                    role=CityRole.PARTNER,
                    country=PARTNER_COUNTRIES[i % len(PARTNER_COUNTRIES)],
                    description="Synthetic partner city for the benchmark.",
                    latitude=round(rng.uniform(-60, 70), 6),
                    longitude=round(rng.uniform(-180, 180), 6),
                    published=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            pk += 1
        counts["partner cities"] = insert(City, partners)

        agreements = []
        agreement_pk = next_pk(Agreement)
        for i, partner in enumerate(partners):
            agreements.append(
                Agreement(
                    pk=agreement_pk,
                    home_party=home,
                    partner=partner,
                    kind=AgreementKind.SISTER_CITY,
                    status=AgreementStatus.ACTIVE,
                    signed_on=datetime.date(1980 + i % 45, 1 + i % 12, 1 + i % 28),
                    published=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            agreement_pk += 1

        # The EU registry: cities and agreements between them (not the office's).
        registry_cities, pairs, skipped = read_registry(scale["registry_rows"])
        city_pk, slugs = pk, set(City.objects.values_list("slug", flat=True))
        # A registry city the seed already has (Chongqing) is that city.
        registry = {(c.name, c.country.code): c for c in City.objects.all()}
        existing = set(registry)
        for (name, code), (lat, lon) in registry_cities.items():
            if (name, code) in existing:
                continue
            slug = f"{slugify(name)[:180] or 'city'}-{code.lower()}"
            while slug in slugs:
                slug += "-x"
            slugs.add(slug)
            has_point = lat is not None and lon is not None
            registry[(name, code)] = City(
                pk=city_pk,
                name=name[:200],
                slug=slug,
                role=CityRole.PARTNER,
                country=code,
                latitude=lat if has_point else None,
                longitude=lon if has_point else None,
                published=True,
                created_at=now,
                updated_at=now,
            )
            city_pk += 1
        counts["registry cities"] = insert(
            City, [c for key, c in registry.items() if key not in existing]
        )
        for origin, sister in pairs:
            agreements.append(
                Agreement(
                    pk=agreement_pk,
                    home_party=registry[origin],
                    partner=registry[sister],
                    kind=AgreementKind.SISTER_CITY,
                    status=AgreementStatus.ACTIVE,
                    published=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            agreement_pk += 1
        counts["agreements"] = insert(Agreement, agreements)
        counts["registry pairs"] = len(pairs)
        counts["registry rows set aside"] = skipped

        # People who lead and join delegations.
        person_pk = next_pk(Person)
        people = [
            Person(
                pk=person_pk + i,
                name=f"Benchmark Person {i + 1:05d}",
                # Written by save(), which COPY does not call.
                name_keys=keys_text([f"Benchmark Person {i + 1:05d}"]),
                current_title="Deputy Mayor",
                created_at=now,
                updated_at=now,
            )
            for i in range(max(10, scale["visits"] // 20))
        ]
        counts["people"] = insert(Person, people)

        # Visits: 1 in 100 with Voronezh, the rest spread over the partners.
        visit_pk, member_pk = next_pk(Visit), next_pk(DelegationMember)
        sector_through = Visit.sectors.through
        through_pk = next_pk(sector_through)
        visits, members, visit_sectors = [], [], []
        first_day = datetime.date(1994, 1, 1)
        span = (datetime.date(2025, 12, 31) - first_day).days
        for i in range(scale["visits"]):
            partner = voronezh if i % 100 == 0 else partners[i % len(partners)]
            start = first_day + datetime.timedelta(days=rng.randrange(span))
            visits.append(
                Visit(
                    pk=visit_pk,
                    direction=Direction.OUTBOUND if i % 2 else Direction.INBOUND,
                    partner_city=partner,
                    home_party=home,
                    title=f"Benchmark visit {i + 1:06d}",
                    status=VisitStatus.COMPLETED,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=i % 5),
                    date_precision=DatePrecision.DAY,
                    purpose="Synthetic visit for the benchmark: talks on trade.",
                    public_summary="A synthetic delegation visit.",
                    internal_notes="Benchmark internal note.",
                    published=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            for position, (role, person, title) in enumerate(
                (
                    (DelegationRole.HEAD, people[i % len(people)], "Mayor"),
                    (DelegationRole.DEPUTY, None, "Deputy Mayor"),
                    (DelegationRole.MEMBER, people[(i * 7 + 3) % len(people)], ""),
                )
            ):
                members.append(
                    DelegationMember(
                        pk=member_pk,
                        visit_id=visit_pk,
                        person=person,
                        title_at_time=title,
                        role=role,
                        position=position,
                    )
                )
                member_pk += 1
            visit_sectors.append(
                sector_through(
                    pk=through_pk,
                    visit_id=visit_pk,
                    sector_id=sectors[i % len(sectors)].pk,
                )
            )
            through_pk += 1
            visit_pk += 1
        counts["visits"] = insert(Visit, visits)
        counts["delegation members"] = insert(DelegationMember, members)
        insert(sector_through, visit_sectors)

        # Institutions (two per partner) and collaborations with two participants.
        institution_pk = next_pk(Institution)
        institutions = []
        for i, partner in enumerate(partners):
            for k, kind in enumerate(
                (InstitutionKind.UNIVERSITY, InstitutionKind.HOSPITAL)
            ):
                institutions.append(
                    Institution(
                        pk=institution_pk,
                        name=f"Benchmark Institution {i + 1:04d}-{k + 1}",
                        name_keys=keys_text(
                            [f"Benchmark Institution {i + 1:04d}-{k + 1}"]
                        ),
                        kind=kind,
                        city=partner,
                        published=True,
                        created_at=now,
                        updated_at=now,
                    )
                )
                institution_pk += 1
        counts["institutions"] = insert(Institution, institutions)
        collaboration_pk = next_pk(Collaboration)
        participant_pk = next_pk(CollaborationParticipant)
        collaborations, participants = [], []
        home_agreements = agreements[: len(partners)]
        for i in range(scale["collaborations"]):
            agreement = home_agreements[i % len(home_agreements)]
            collaborations.append(
                Collaboration(
                    pk=collaboration_pk,
                    agreement=agreement,
                    sector=sectors[i % len(sectors)],
                    title=f"Benchmark collaboration {i + 1:05d}",
                    summary="A synthetic collaboration.",
                    started_on=datetime.date(2000 + i % 25, 1 + i % 12, 1),
                    started_precision=DatePrecision.DAY,
                    status=CollaborationStatus.ACTIVE,
                    published=True,
                    created_at=now,
                    updated_at=now,
                )
            )
            participants.append(
                CollaborationParticipant(
                    pk=participant_pk,
                    collaboration_id=collaboration_pk,
                    side=Side.HOME,
                    description="Chongqing benchmark participant",
                )
            )
            participants.append(
                CollaborationParticipant(
                    pk=participant_pk + 1,
                    collaboration_id=collaboration_pk,
                    side=Side.PARTNER,
                    institution=institutions[
                        2 * (i % len(home_agreements)) + (i // len(home_agreements)) % 2
                    ],
                )
            )
            participant_pk += 2
            collaboration_pk += 1
        counts["collaborations"] = insert(Collaboration, collaborations)
        counts["participants"] = insert(CollaborationParticipant, participants)
        reset_sequences()

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username="bench-admin",
        defaults={"is_staff": True, "is_superuser": True, "email": "bench@localhost"},
    )
    if is_postgresql():
        # As autovacuum leaves a settled table: statistics, and the visibility
        # map that lets index-only scans skip the table (VACUUM needs autocommit).
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            )
    counts["seconds"] = round(time.monotonic() - started, 1)
    log(
        "Built the benchmark database: "
        + ", ".join(f"{value} {key}" for key, value in counts.items())
    )
    return counts


def database_is_built(visits):
    try:
        return (
            Visit.objects.filter(title__startswith="Benchmark visit").count() >= visits
        )
    except Exception:  # noqa: BLE001 - no tables yet
        return False


def rows_as_text(rows):
    """Tab-separated text of ``rows`` (for sizes in the report)."""
    out = io.StringIO()
    csv.writer(out, delimiter="\t").writerows(rows)
    return out.getvalue()
