"""The partner list's map: the home city, each partner, and a line between them.

Drawn by the page itself, as SVG over the world outline
(``static/partnerships/world.svg``: equirectangular, x = longitude, y = -latitude,
from 84° N to 60° S), with no map service. The view is fitted to the cities
drawn, so two cities on one continent are not lost in a whole world; partners
of a district (and no agreement with the municipality itself) are drawn in
their own colour. The list under the map names every city: the map is its
picture, not the only way to read it.
"""

import math
import unicodedata
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from ..models import Agreement, City
from ..models.choices import CityRole

#: The world outline's own box: left, top, width, height.
WORLD = (-180.0, -84.0, 360.0, 144.0)
ASPECT = WORLD[2] / WORLD[3]
#: Degrees kept around the cities, and the narrowest view (a city alone is not
#: blown up to a street map).
MARGIN = 12.0
MIN_WIDTH = 70.0
#: Cities named on the map itself; with more, names would cover one another
#: (each still has its tooltip, and the list below).
MAX_LABELS = 12
# Sizes in parts of the view's width: on a page 830 px wide, a dot of 6 px and
# labels of 13 px, whatever the zoom.
DOT, HOME_DOT, LABEL = 1 / 140, 1 / 95, 1 / 64
# How far a line bows from the straight path, in parts of its length.
BOW = 0.18
#: How much larger names are drawn on a phone (``site.css``).
PHONE = 1.9


@dataclass
class Place:
    name: str
    x: float
    y: float
    kind: str  # "home", "partner" or "district"

    @classmethod
    def of(cls, row, kind):
        return cls(
            name=row["name"],
            x=round(float(row["longitude"]), 2),
            y=round(-float(row["latitude"]), 2),
            kind=kind,
        )


def home_place():
    """The home municipality, if published and placed."""
    row = (
        City.objects.home_municipality()
        .published()
        .filter(latitude__isnull=False, longitude__isnull=False)
        .values("name", "latitude", "longitude")
        .first()
    )
    return Place.of(row, "home") if row else None


def partner_places(partners):
    """The partners in ``partners`` that have coordinates, in one query."""
    with_municipality = Agreement.objects.published().filter(
        partner=OuterRef("pk"), home_party__role=CityRole.HOME
    )
    rows = (
        partners.filter(latitude__isnull=False, longitude__isnull=False)
        .annotate(of_municipality=Exists(with_municipality))
        .order_by()
        .values("name", "latitude", "longitude", "of_municipality")
    )
    return [
        Place.of(row, "partner" if row["of_municipality"] else "district")
        for row in rows
    ]


def view_box(places):
    """``(left, top, width, height)`` showing every place with a margin, at the
    outline's proportions and within it."""
    if not places:
        return WORLD
    xs, ys = [p.x for p in places], [p.y for p in places]
    width = max(
        max(xs) - min(xs) + 2 * MARGIN,
        (max(ys) - min(ys) + 2 * MARGIN) * ASPECT,
        MIN_WIDTH,
    )
    if width >= WORLD[2]:
        return WORLD
    height = width / ASPECT
    left = (min(xs) + max(xs) - width) / 2
    top = (min(ys) + max(ys) - height) / 2
    left = min(max(left, WORLD[0]), WORLD[0] + WORLD[2] - width)
    top = min(max(top, WORLD[1]), WORLD[1] + WORLD[3] - height)
    return tuple(round(value, 2) for value in (left, top, width, height))


def route(home, place):
    """An SVG path from home to ``place``, bowed northwards like a flight's."""
    dx, dy = place.x - home.x, place.y - home.y
    length = math.hypot(dx, dy)
    if length == 0:
        return None
    # The unit normal that points north (up: a smaller y).
    nx, ny = -dy / length, dx / length
    if ny > 0:
        nx, ny = -nx, -ny
    cx = (home.x + place.x) / 2 + nx * length * BOW
    cy = (home.y + place.y) / 2 + ny * length * BOW
    return f"M{home.x} {home.y}Q{cx:.2f} {cy:.2f} {place.x} {place.y}"


def text_width(text, size):
    """About how wide ``text`` is at font ``size``: CJK a square, others 0.62."""
    return sum(
        size if unicodedata.east_asian_width(char) in "WF" else size * 0.62
        for char in text
    )


def label_box(place, anchor, size, gap):
    """The box a name takes beside its dot: ``(left, top, right, bottom)``."""
    width = text_width(place.name, size)
    left = place.x + gap if anchor == "start" else place.x - gap - width
    return (left, place.y - size * 0.7, left + width, place.y + size * 0.35)


def overlaps(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def dot_box(place, radius):
    return (place.x - radius, place.y - radius, place.x + radius, place.y + radius)


def place_labels(places, dots, box, size, gap):
    """``{id(place): anchor}`` for the names that fit: each right of its dot,
    else left of it, inside the view and clear of every other dot and of the
    names placed before (home's first); a name that fits neither way is left to
    its tooltip. ``dots`` is ``[(place, radius)]``."""
    left, _top, width, _height = box
    taken, anchors = [], {}
    for place in sorted(places, key=lambda place: place.kind != "home"):
        others = [dot_box(dot, radius) for dot, radius in dots if dot is not place]
        for anchor in ("start", "end"):
            area = label_box(place, anchor, size, gap)
            inside = left <= area[0] and area[2] <= left + width
            if inside and not any(overlaps(area, other) for other in taken + others):
                taken.append(area)
                anchors[id(place)] = anchor
                break
    return anchors


def crowded(places, anchors, box, size, gap):
    """Whether the names placed would cover one another, or leave the view,
    drawn at ``size``."""
    left, _top, width, _height = box
    areas = [
        label_box(place, anchors[id(place)], size, gap)
        for place in places
        if id(place) in anchors
    ]
    return any(area[0] < left or area[2] > left + width for area in areas) or any(
        overlaps(a, b) for number, a in enumerate(areas) for b in areas[number + 1 :]
    )


def world_map(partners):
    """Everything the map's template draws, for the partners of the list."""
    home = home_place()
    places = partner_places(partners)
    everyone = [*places, *([home] if home else [])]
    box = view_box(everyone)
    width = box[2]
    dot, home_dot = round(width * DOT, 2), round(width * HOME_DOT, 2)
    label_size = round(width * LABEL, 2)
    gap = round(dot * 1.8, 2)
    radius = {
        id(place): home_dot if place.kind == "home" else dot for place in everyone
    }
    dots = [(place, radius[id(place)]) for place in everyone]
    named = everyone if len(places) <= MAX_LABELS else [home] if home else []
    anchors = place_labels(named, dots, box, label_size, gap)
    drawn = []
    for place in everyone:
        anchor = anchors.get(id(place))
        drawn.append(
            {
                "place": place,
                "r": radius[id(place)],
                "route": route(home, place) if home and place is not home else None,
                "label": anchor is not None,
                "anchor": anchor,
                "label_x": round(place.x + (gap if anchor == "start" else -gap), 2),
                "label_y": round(place.y + label_size * 0.35, 2),
            }
        )
    return {
        "view_box": " ".join(str(value) for value in box),
        "world": WORLD,
        "home": home,
        "places": drawn,
        "partners": len(places),
        "municipal": any(place.kind == "partner" for place in places),
        "districts": any(place.kind == "district" for place in places),
        "label_size": label_size,
        # On a phone names are drawn PHONE times as large (site.css): where
        # they would cover one another, only the home city is named there.
        "crowded": crowded(named, anchors, box, label_size * PHONE, gap * PHONE),
    }
