"""Great-circle distances between coordinates (``models/distances.py``)."""

from decimal import Decimal

from django.test import SimpleTestCase

from partnerships.models import City
from partnerships.models.distances import between, great_circle_km


class GreatCircleTests(SimpleTestCase):
    def test_chongqing_to_voronezh(self):
        # The seed's coordinates (Wikidata, to two decimals): about 5,950 km,
        # as any great-circle calculator gives for these points.
        km = great_circle_km(
            Decimal("29.56"), Decimal("106.55"), Decimal("51.67"), Decimal("39.21")
        )
        self.assertAlmostEqual(km, 5949, delta=2)

    def test_known_lengths(self):
        # Half the equator, and pole to pole: half the Earth's circumference.
        self.assertAlmostEqual(great_circle_km(0, 0, 0, 180), 20015, delta=1)
        self.assertAlmostEqual(great_circle_km(90, 0, -90, 0), 20015, delta=1)
        self.assertEqual(great_circle_km(10, 20, 10, 20), 0)
        # Across the antimeridian, the short way round.
        self.assertAlmostEqual(great_circle_km(0, 179.5, 0, -179.5), 111, delta=1)

    def test_unknown_coordinates_give_no_distance(self):
        self.assertIsNone(great_circle_km(None, 1, 2, 3))
        placed = City(latitude=Decimal("51.67"), longitude=Decimal("39.21"))
        unplaced = City(latitude=None, longitude=None)
        self.assertIsNone(between(placed, unplaced))
        self.assertIsNone(between(placed, None))
        self.assertEqual(between(placed, placed), 0)
