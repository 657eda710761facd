"""Natural keys: countries, choices, cities, people and sectors as files write them."""

import re
from functools import cache, lru_cache

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import Country

from ..models import (
    City,
    Person,
    PersonAlias,
    Position,
    Sector,
)
from ..models.known_names import keys_text
from ..models.people import position_held
from ..models.search import name_key

# Country names people write that are not django-countries' own names.
COUNTRY_ALIASES = {
    "russia": "RU",
    "china": "CN",
    "people's republic of china": "CN",
    "prc": "CN",
    "taiwan": "TW",
    "republic of china": "TW",
    "usa": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "kingdom of the netherlands": "NL",
    "the netherlands": "NL",
    "czech republic": "CZ",
    "south korea": "KR",
    "republic of korea": "KR",
    "north korea": "KP",
    "turkey": "TR",
    "vietnam": "VN",
    "iran": "IR",
    "syria": "SY",
    "moldova": "MD",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "palestine": "PS",
    "state of palestine": "PS",
    "ivory coast": "CI",
    "cape verde": "CV",
    "macedonia": "MK",
    "republic of macedonia": "MK",
    "swaziland": "SZ",
    "east timor": "TL",
    "vatican city": "VA",
    "holy see": "VA",
    "brunei": "BN",
    "the gambia": "GM",
    "the bahamas": "BS",
    "federated states of micronesia": "FM",
    "kingdom of denmark": "DK",
    "democratic republic of the congo": "CD",
    "republic of the congo": "CG",
    "people's republic of bangladesh": "BD",
    "sahrawi arab democratic republic": "EH",
    "kingdom of the netherlands (netherlands)": "NL",
}


# Lookups -------------------------------------------------------------------------


def site_languages():
    """English, then every language the site speaks: how a file may write."""
    return ["en", *(code for code, _name in settings.LANGUAGES)]


@cache
def country_lookup():
    """Every way of writing a country we accept, casefolded, to its ISO code."""
    table = {}
    for language in site_languages():
        with translation.override(language):
            for code, name in countries:
                table.setdefault(str(name).casefold(), code)
    for code, _name in countries:
        table[code.casefold()] = code
        alpha3 = countries.alpha3(code)
        if alpha3:
            table.setdefault(alpha3.casefold(), code)
    for alias, code in COUNTRY_ALIASES.items():
        table.setdefault(alias, code)
    return table


def country_code(value):
    """The ISO code for a country written as a code or a name; ``ValueError``."""
    if isinstance(value, Country):
        return value.code
    text = force_str(value or "").strip()
    if not text:
        return ""
    code = country_lookup().get(text.casefold())
    if code is None:
        raise ValueError(
            _("Unknown country “%(value)s”. Write its English name or ISO code.")
            % {"value": text}
        )
    return code


def country_name(code):
    return _country_name(code, translation.get_language()) if code else ""


@lru_cache(maxsize=2048)
def _country_name(code, language):
    return str(Country(code).name)


def choice_table(choices):
    """Codes and labels (in every site language) of ``choices``, casefolded, to the
    code: what a file may write for a choice."""
    table = {}
    for language in site_languages():
        with translation.override(language):
            for value, label in choices:
                table.setdefault(str(label).casefold(), value)
    for value, _label in choices:
        table[value.casefold()] = value
        table[value.replace("_", " ").casefold()] = value
        for alias in CHOICE_ALIASES.get(value, ()):
            table.setdefault(alias.casefold(), value)
    return table


#: What the office's own sheets write for a choice, beside its labels: 来访
#: (a visit received) and 出访 (a visit made).
CHOICE_ALIASES = {"inbound": ("来访",), "outbound": ("出访",)}


@cache
def choice_lookup(choices):
    """``choice_table`` of a ``TextChoices``, worked out once."""
    return choice_table(choices.choices)


class LookupCache:
    """Per-import memo of natural-key lookups, so each name is queried once."""

    def __init__(self):
        self.cities = {}
        self.chosen = {}  # (name, country, region) -> the cities that fit
        # city id (None: no city) -> name key -> people (keys, or new records)
        self.people = {}
        self.names = {}  # person key -> every name recorded, casefolded
        self.found = {}  # (name, city id) -> ``person``'s answer, until one is added
        self.titles = {}  # person key -> current title
        self.positions = {}  # person key -> the positions they held
        self.new_people = []
        self._sectors = None

    def sectors(self):
        """Every sector by its code and its names in each language, casefolded."""
        if self._sectors is None:
            self._sectors = sector_table()
        return self._sectors

    def preload_people(self, cities):
        """The people of ``cities`` and of no city, in one query."""
        self.load_people({city.pk for city in cities} | {None})

    def people_of(self, city_id):
        """``{name key: [people]}`` of one city (``None``: of no city).

        A person is found by each of their names, in every language and in
        their own script, and by their other spellings, compared as
        ``name_key`` writes them (``Person.name_keys``).
        """
        if city_id not in self.people:
            self.load_people({city_id})
        return self.people[city_id]

    def load_people(self, city_ids):
        """Read the people of the cities (``None``: of no city) not read yet."""
        city_ids = set(city_ids) - set(self.people)
        if not city_ids:
            return
        for city_id in city_ids:
            self.people[city_id] = {}
        condition = Q(city_id__in=city_ids - {None})
        if None in city_ids:
            condition |= Q(city__isnull=True)
        # Their keys are all the rows to write need: no instances.
        people = Person.objects.filter(condition).order_by("pk")
        columns = ("pk", "city_id", "current_title", "name_keys", *Person.NAMES)
        others = {}
        aliases = PersonAlias.objects.filter(person__in=people)
        for pk, name in aliases.values_list("person_id", "name"):
            others.setdefault(pk, []).append(name)
        for position in Position.objects.filter(person__in=people):
            self.positions.setdefault(position.person_id, []).append(position)
        for pk, city_id, title, keys, *names in people.values_list(*columns):
            self.titles[pk] = title
            self.names[pk] = {
                name.casefold() for name in (*names, *others.get(pk, ())) if name
            }
            bucket = self.people[city_id]
            for key in keys.split():
                bucket.setdefault(key, []).append(pk)

    def preload_cities(self, names):
        names = {force_str(n).strip() for n in names if force_str(n or "").strip()}
        missing = [n for n in names if n.casefold() not in self.cities]
        if not missing:
            return
        for name in missing:
            self.cities[name.casefold()] = []
        found = City.objects.filter(City.any_name("in", missing))
        for city in found:
            for own in {getattr(city, name) for name in City.NAMES}:
                if own and own.casefold() in self.cities:
                    bucket = self.cities[own.casefold()]
                    if city not in bucket:
                        bucket.append(city)
        # A name not written exactly as recorded ("voronezh") is looked up
        # case-insensitively by ``cities_named``, as it always was.
        for name in missing:
            if not self.cities[name.casefold()]:
                del self.cities[name.casefold()]

    def cities_named(self, name):
        key = name.casefold()
        if key not in self.cities:
            self.cities[key] = list(City.objects.filter(City.any_name("iexact", name)))
        return self.cities[key]

    def forget_city(self, *names):
        self.chosen.clear()
        for name in names:
            if name:
                self.cities.pop(name.casefold(), None)

    def candidates(self, name, country, region):
        candidates = self.cities_named(name)
        english = [c for c in candidates if c.name.casefold() == name.casefold()]
        candidates = english or candidates
        if country:
            candidates = [c for c in candidates if c.country.code == country]
        if region is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.region == region]
        return candidates

    def city(self, name, country="", region=None, column=None):
        """The one city so named (in ``country`` and ``region`` when given)."""
        # A file names the same few cities on every row: choose each once.
        key = (name.casefold(), country, region)
        if key not in self.chosen:
            self.chosen[key] = self.candidates(name, country, region)
        candidates = self.chosen[key]
        where = ""
        if len(candidates) != 1 and country:
            where = f" ({country_name(country)})"
        if not candidates:
            raise ValueError(
                _(
                    "No city named “%(name)s”%(where)s is recorded. Import or add "
                    "the city first, or check the spelling and the country."
                )
                % {"name": name, "where": where}
            )
        if len(candidates) > 1:
            places = ", ".join(
                sorted(
                    " / ".join(filter(None, [country_name(c.country.code), c.region]))
                    for c in candidates
                )
            )
            raise ValueError(
                _(
                    "Several cities are named “%(name)s” (%(places)s); give the "
                    "country in the column next to it."
                )
                % {"name": name, "places": places}
            )
        return candidates[0]

    def person(self, name, city=None):
        """The person so named of ``city`` (or, failing that, the one of no city):
        a recorded person's key, or a person made in this import.

        A namesake of another city is a different person: ``None`` then, and the
        caller records a new one. Two people of the city who both go by the name
        are a ``ValueError`` naming both, unless only one of them is recorded
        under exactly that name.
        """
        # Each delegation line is asked after twice (checked, then written), and
        # a file names the same people on many rows.
        asked = (name, city.pk if city is not None else None)
        if asked not in self.found:
            try:
                self.found[asked] = self.find_person(name, asked[1])
            except ValueError as error:
                self.found[asked] = error
        answer = self.found[asked]
        if isinstance(answer, ValueError):
            raise answer
        return answer

    def find_person(self, name, city_id):
        key = name_key(name)
        own = self.people_of(city_id).get(key)
        if own:
            return self.the_one(name, own)
        cityless = self.people_of(None).get(key, [])
        if len(cityless) == 1:
            return cityless[0]
        return None

    def the_one(self, name, people):
        if len(people) == 1:
            return people[0]
        exact = [p for p in people if name.casefold() in self.names_of(p)]
        if len(exact) == 1:
            return exact[0]
        raise ValueError(
            which(
                name,
                [
                    (p.pk if isinstance(p, Person) else p, self.title_of(p))
                    for p in people
                ],
            )
        )

    def names_of(self, person):
        if isinstance(person, Person):
            return {person.name.casefold()}
        return self.names.get(person, set())

    def title_of(self, person):
        if isinstance(person, Person):
            return person.current_title
        return self.titles.get(person, "")

    def proposed_title(self, name, city, visit):
        """The title ``name``'s recorded position gives for the visit's dates
        (in English, as a file writes it); "" if none does."""
        person = self.person(name, city)
        if person is None or isinstance(person, Person):
            return ""
        position = position_held(
            self.positions.get(person, ()),
            visit.start_date,
            visit.end_date,
            visit.date_precision,
        )
        return position.title_en if position else ""

    def person_or_new(self, name, city=None):
        """``person``, or a new person (unsaved until written, and remembered)."""
        person = self.person(name, city)
        if person is None:
            person = Person(name=name, city=city, name_keys=keys_text([name]))
            self.add_person(person)
            self.new_people.append(person)
        return person

    def unsaved_people(self):
        """The people ``person_or_new`` made that are not written yet."""
        return [person for person in self.new_people if person.pk is None]

    def add_person(self, person):
        self.found.clear()
        self.people_of(person.city_id).setdefault(name_key(person.name), []).append(
            person
        )


def which(name, choices):
    """The error for a name two records or more go by: "Which Anna Ivanova: #12
    (Deputy Mayor) or #40 (Interpreter)?"; ``choices`` are ``(id, detail)``."""
    named = [f"#{pk}" + (f" ({detail})" if detail else "") for pk, detail in choices]
    return _(
        "Which %(name)s: %(choices)s? Write the name as one of them is "
        "recorded, or tell them apart in the admin first."
    ) % {"name": name, "choices": _(" or ").join(named)}


def sector_table():
    table = {}
    for sector in Sector.objects.all():
        for key in (sector.code, *(getattr(sector, name) for name in Sector.NAMES)):
            if key:
                table.setdefault(key.casefold(), sector)
    return table


def split_list(value):
    text = force_str(value if value is not None else "")
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def split_lines(value):
    text = force_str(value if value is not None else "")
    return [line.strip() for line in text.splitlines() if line.strip()]
