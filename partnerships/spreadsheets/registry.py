"""The EU sister-city registry (``data/eu-sister-cities.tsv``) as cities and agreements.

Each row names an origin city and a sister city with their countries, coordinates and
populations. The registry is as messy as real records: a pair listed from both sides
is one partnership, repeated rows are one, same-named cities in different countries
are different cities, and so are same-named cities of one country that lie far apart
(two communes called Ennery in France are twinned with each other). Such namesakes
are told apart by their coordinates, written into the region column.

A country label that is not a country (a registry glitch such as "t430222130") is
taken from another row naming the same city nearby; a row whose country still cannot
be told is set aside and listed, or refused with ``--strict``. Everything is written
in one transaction: any error and nothing is written.
"""

import csv
import decimal
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from ..models import Agreement, City
from ..models.choices import HOME_ROLES, AgreementKind, AgreementStatus, CityRole
from ..public.cache import invalidate_public_pages
from .bulk import create_with_history
from .lookups import country_lookup

COLUMNS = [
    "origincityLabel",
    "origincountry",
    "originlat",
    "originlong",
    "originpopulation",
    "sistercityLabel",
    "destinationlat",
    "destinationlong",
    "destinationpopulation",
    "destination_countryLabel",
]
# Registry labels that are not django-countries names.
REGISTRY_COUNTRIES = {
    "palestinian territories": "PS",
    "palestinian national authority": "PS",
    "sao tomé and príncipe": "ST",
    "kosovo": "XK",
}
# Places of one name and country farther apart than this are different cities.
SAME_PLACE_KM = 25
QUANTUM = decimal.Decimal("0.000001")


# The registry as the repository carries it (see data/README.md).
REGISTRY_FILE = Path(settings.BASE_DIR) / "data" / "eu-sister-cities.tsv"


class RegistryError(Exception):
    """The registry cannot be imported; the message says why. Nothing was written."""


def check_fields(model, values):
    """``values`` cleaned by their fields as ``clean_fields`` would, or an error."""
    cleaned, errors = {}, {}
    for name, value in values.items():
        field = model._meta.get_field(name)
        if field.blank and value in field.empty_values:
            cleaned[name] = value
            continue
        try:
            cleaned[name] = field.clean(value, None)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)
    return cleaned


def distance_km(a, b):
    """Great-circle distance between two (lat, lon) pairs."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(min(1, math.sqrt(h)))


@dataclass
class Place:
    """One city as the registry describes it (possibly on many rows)."""

    name: str
    code: str
    point: tuple | None
    population: int | None = None
    region: str = ""
    rows: list = field(default_factory=list)

    @property
    def key(self):
        return (self.name.casefold(), self.code, self.region)


def parse_number(text, kind, row_number, column, errors, warnings):
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = decimal.Decimal(text)
    except decimal.InvalidOperation:
        errors.append(f"Line {row_number}, {column}: “{text}” is not a number.")
        return None
    if kind is int:
        if value != value.to_integral_value() or value < 0:
            # "411.5 people" is a registry glitch: leave the population unknown.
            warnings.append(f"Line {row_number}, {column}: “{text}” left empty.")
            return None
        return int(value)
    return value


class Silent:
    """No progress shown (the command passes its progress bar instead)."""

    def update(self, done):
        pass

    def done(self):
        pass


def silent(total, label):
    return Silent()


def read(path):
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RegistryError(f"Cannot read {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryError(f"{path} is not UTF-8.") from None
    reader = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None:
        raise RegistryError(f"{path} is empty.")
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise RegistryError(
            f"{path} lacks the column(s): {', '.join(missing)}. "
            "Is it the EU sister-city registry?"
        )
    index = {column: header.index(column) for column in COLUMNS}
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < len(header):
            raise RegistryError(f"Line {number} has too few cells.")
        rows.append((number, {c: cells[i].strip() for c, i in index.items()}))
    if not rows:
        raise RegistryError(f"{path} has no rows.")
    return rows


def plan(rows, strict=False, progress=None):
    """Cities and pairs from the rows, before anything touches the database."""
    progress = progress or silent
    errors, warnings = [], []
    sides = []  # (line, name, country label, point, population) per city mention
    for number, row in rows:
        for prefix, name_col, country_col in (
            ("origin", "origincityLabel", "origincountry"),
            ("destination", "sistercityLabel", "destination_countryLabel"),
        ):
            lat_col = "originlat" if prefix == "origin" else "destinationlat"
            lon_col = "originlong" if prefix == "origin" else "destinationlong"
            pop_col = (
                "originpopulation" if prefix == "origin" else "destinationpopulation"
            )
            name = row[name_col]
            if not name:
                errors.append(f"Line {number}: a city has no name.")
            lat = parse_number(row[lat_col], float, number, lat_col, errors, warnings)
            lon = parse_number(row[lon_col], float, number, lon_col, errors, warnings)
            point = None
            if lat is not None and lon is not None:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    errors.append(f"Line {number}: coordinates out of range.")
                point = (float(lat), float(lon))
            population = parse_number(
                row[pop_col], int, number, pop_col, errors, warnings
            )
            sides.append((number, name, row[country_col], point, population))
    if errors:
        raise RegistryError("Nothing was imported:\n" + "\n".join(errors[:50]))

    lookup = {**country_lookup(), **REGISTRY_COUNTRIES}
    # Each mention's country code as its label gives it (None for a glitch).
    codes = [lookup.get(label.casefold()) for _n, _name, label, _p, _pop in sides]
    known = {}
    for (_number, name, _label, point, _population), code in zip(
        sides, codes, strict=True
    ):
        if code:
            known.setdefault(name.casefold(), []).append((code, point))

    places = {}  # (name, code) -> [Place] (one per cluster of nearby points)
    unresolved = []
    mention_place = []
    bar = progress(len(sides), "Reading rows")
    for done, ((number, name, label, point, population), code) in enumerate(
        zip(sides, codes, strict=True), 1
    ):
        if not code:
            # The same city named nearby on another row gives its country.
            near = {
                c
                for c, p in known.get(name.casefold(), [])
                if point is None or p is None or distance_km(point, p) < SAME_PLACE_KM
            }
            code = near.pop() if len(near) == 1 else None
        if not code:
            unresolved.append((number, name, label))
            mention_place.append(None)
            continue
        clusters = places.setdefault((name.casefold(), code), [])
        place = next(
            (
                p
                for p in clusters
                if p.point is None
                or point is None
                or distance_km(p.point, point) < SAME_PLACE_KM
            ),
            None,
        )
        if place is None:
            place = Place(name=name, code=code, point=point)
            clusters.append(place)
        if place.point is None:
            place.point = point
        if place.population is None:
            place.population = population
        place.rows.append(number)
        mention_place.append(place)
        bar.update(done)
    bar.done()

    if unresolved and strict:
        raise RegistryError(
            "Nothing was imported: the country of these rows cannot be told:\n"
            + "\n".join(f"Line {n}: {name} ({label})" for n, name, label in unresolved)
        )

    namesakes = 0
    for clusters in places.values():
        if len(clusters) > 1:
            namesakes += len(clusters)
            for place in clusters:
                lat, lon = place.point
                place.region = (
                    f"at {abs(lat):.2f}°{'N' if lat >= 0 else 'S'}, "
                    f"{abs(lon):.2f}°{'E' if lon >= 0 else 'W'}"
                )

    pairs = {}
    repeated = both_sides = self_pairs = 0
    seen_rows = set()
    for index in range(0, len(mention_place), 2):
        origin, sister = mention_place[index], mention_place[index + 1]
        if origin is None or sister is None:
            continue
        number = sides[index][0]
        ordered = (origin.key, sister.key)
        if ordered in seen_rows:
            repeated += 1
            continue
        seen_rows.add(ordered)
        if origin is sister:
            self_pairs += 1
            continue
        pair = frozenset(ordered)
        if pair in pairs:
            both_sides += 1
            continue
        pairs[pair] = (origin, sister, number)
    skipped_rows = sorted({n for n, _name, _label in unresolved})
    return {
        "rows": len(rows),
        "places": [p for clusters in places.values() for p in clusters],
        "pairs": list(pairs.values()),
        "repeated": repeated,
        "both_sides": both_sides,
        "self_pairs": self_pairs,
        "namesakes": namesakes,
        "unresolved": unresolved,
        "skipped_rows": skipped_rows,
        "warnings": warnings,
    }


def write(plan, user=None, publish=False, progress=None):
    """Write the new cities and agreements and their history; what was written."""
    progress = progress or silent
    places = plan["places"]
    existing = {}
    # The home municipality and its districts by name and country alone: the
    # registry writes no region, and they must never be made again as partners.
    home_parties = {}
    names = {p.name for p in places}
    for city in City.objects.filter(name_en__in=names).only(
        "id", "name_en", "country", "region_en", "role"
    ):
        existing[(city.name_en.casefold(), city.country.code, city.region_en)] = city
        if city.role in HOME_ROLES:
            home_parties[(city.name_en.casefold(), city.country.code)] = city
    taken = set(City.objects.values_list("slug", flat=True))

    # Rows are validated field by field as full_clean would (the fields every
    # new city shares, once), then written as plain values, not model instances.
    # City.clean has nothing to refuse here: a partner with no parent, and both
    # coordinates or neither.
    fixed = {"role": CityRole.PARTNER, "published": publish}
    check_fields(City, fixed)
    new_cities, new_places = [], []
    bar = progress(len(places), "Checking cities")
    for done, place in enumerate(places, 1):
        bar.update(done)
        city = existing.get(place.key) or home_parties.get(place.key[:2])
        if city is not None:
            # Recorded cities are the office's; the registry does not edit them.
            place.city_id, place.role = city.pk, city.role
            continue
        lat, lon = (
            (decimal.Decimal(str(v)).quantize(QUANTUM) for v in place.point)
            if place.point
            else (None, None)
        )
        # The country code comes from django-countries itself; checking it
        # against the 250 choices per city would dominate the run.
        row = check_fields(
            City,
            {
                # The registry is in English; the original columns too, so
                # they hold what a form saving in English would leave there.
                "name": place.name,
                "name_en": place.name,
                "region": place.region,
                "region_en": place.region,
                "population": place.population,
                "latitude": lat,
                "longitude": lon,
                "slug": unique_slug(place, taken),
            },
        )
        row.update(fixed, country=place.code)
        new_cities.append(row)
        new_places.append(place)
        place.role = CityRole.PARTNER
    bar.done()
    # On PostgreSQL the keys come from the sequence before the rows are
    # written: agreements refer to the new cities without reading them back.
    ids = create_with_history(City, new_cities, user=user)
    for place, pk in zip(new_places, ids, strict=True):
        place.city_id = pk

    recorded = set()
    for home, partner in Agreement.objects.filter(
        kind=AgreementKind.SISTER_CITY
    ).values_list("home_party_id", "partner_id"):
        recorded.add(frozenset((home, partner)))
    fixed = {
        "kind": AgreementKind.SISTER_CITY,
        "status": AgreementStatus.ACTIVE,
        "published": publish,
    }
    check_fields(Agreement, fixed)
    new_agreements = []
    bar = progress(len(plan["pairs"]), "Checking agreements")
    for done, (origin, sister, _number) in enumerate(plan["pairs"], 1):
        bar.update(done)
        pair = frozenset((origin.city_id, sister.city_id))
        if pair in recorded:
            continue
        recorded.add(pair)
        home, partner = origin, sister
        if partner.role in HOME_ROLES and home.role not in HOME_ROLES:
            # "Toulouse → Chongqing": the registry lists pairs from either side.
            home, partner = partner, home
        row = {
            **fixed,
            "home_party_id": home.city_id,
            "partner_id": partner.city_id,
        }
        if home.city_id == partner.city_id:
            # Two places of the registry that are one recorded city: the
            # agreement's own check refuses it, as it always did.
            Agreement(**row).full_clean(
                exclude=["home_party", "partner"],
                validate_unique=False,
                validate_constraints=False,
            )
        new_agreements.append(row)
    bar.done()
    create_with_history(Agreement, new_agreements, user=user)
    return {
        "cities_new": len(new_cities),
        "cities_existing": len(places) - len(new_cities),
        "agreements_new": len(new_agreements),
        "agreements_existing": len(plan["pairs"]) - len(new_agreements),
        "no_population": sum(1 for c in new_cities if c["population"] is None),
    }


def unique_slug(place, taken):
    base = slugify(place.name) or "city"
    base = f"{base}-{place.code.lower()}"[:190]
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    taken.add(slug)
    return slug


def import_registry(
    path, *, strict=False, publish=False, user=None, dry_run=False, progress=None
):
    """Read, plan and write the registry in one transaction: ``(plan, stats)``.

    Any error and nothing is written; a dry run writes nothing either.
    """
    started = time.monotonic()
    rows = read(Path(path))
    planned = plan(rows, strict=strict, progress=progress)
    try:
        with transaction.atomic():
            stats = write(planned, user=user, publish=publish, progress=progress)
            if dry_run:
                transaction.set_rollback(True)
            else:
                # COPY and bulk_create send no signal: renew the cached pages.
                transaction.on_commit(invalidate_public_pages)
    except ValidationError as error:
        raise RegistryError(
            "Nothing was imported: " + "; ".join(error.messages)
        ) from None
    stats["seconds"] = time.monotonic() - started
    return planned, stats
