"""How far apart two places are: the great-circle distance between coordinates.

Cities keep their latitude and longitude in degrees (``City.latitude``,
``City.longitude``, decimals). A distance is only worked out when both places
have both; otherwise it is ``None``, never a guess.
"""

import math

#: The Earth's mean radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088


def great_circle_km(latitude_a, longitude_a, latitude_b, longitude_b):
    """The shortest distance over the Earth's surface, in kilometres (haversine,
    on a sphere: within 0.5 % of the ellipsoid's), or ``None`` if a coordinate
    is unknown."""
    if None in (latitude_a, longitude_a, latitude_b, longitude_b):
        return None
    phi_a, phi_b = math.radians(latitude_a), math.radians(latitude_b)
    delta_phi = phi_b - phi_a
    delta_lambda = math.radians(float(longitude_b) - float(longitude_a))
    half_chord = (
        math.sin(delta_phi / 2) ** 2
        + math.cos(phi_a) * math.cos(phi_b) * math.sin(delta_lambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half_chord)))


def between(city, other):
    """Kilometres between two cities, or ``None`` if either lacks coordinates."""
    if city is None or other is None:
        return None
    return great_circle_km(
        city.latitude, city.longitude, other.latitude, other.longitude
    )
