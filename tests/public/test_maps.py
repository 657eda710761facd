"""The partner list's map (``public/maps.py``): home, partners, lines, the view."""

import re

from django.test import SimpleTestCase, TestCase

from partnerships.models import City
from partnerships.public import maps
from partnerships.public.maps import Place
from tests.factories import make_agreement, make_city, make_district, make_home

LIST = "/partners/"


def place(name, longitude, latitude, kind="partner"):
    return Place(name=name, x=longitude, y=-latitude, kind=kind)


class ViewBoxTests(SimpleTestCase):
    def test_fitted_to_the_cities_at_the_outlines_proportions(self):
        chongqing, voronezh = place("C", 106.55, 29.56), place("V", 39.21, 51.67)
        left, top, width, height = maps.view_box([chongqing, voronezh])
        self.assertAlmostEqual(width / height, maps.ASPECT, places=2)
        for city in (chongqing, voronezh):
            self.assertLessEqual(left + maps.MARGIN, city.x)
            self.assertLessEqual(city.x, left + width - maps.MARGIN)
            self.assertLess(top, city.y)
            self.assertLess(city.y, top + height)

    def test_a_city_alone_is_not_a_street_map(self):
        self.assertEqual(maps.view_box([place("V", 39.21, 51.67)])[2], maps.MIN_WIDTH)

    def test_cities_far_apart_show_the_whole_world(self):
        far = [place("Nome", -165.4, 64.5), place("Auckland", 174.76, -36.85)]
        self.assertEqual(maps.view_box(far), maps.WORLD)
        self.assertEqual(maps.view_box([]), maps.WORLD)

    def test_the_view_stays_within_the_outline(self):
        left, top, width, height = maps.view_box([place("Far north", 170, 80)])
        self.assertLessEqual(left + width, 180)
        self.assertGreaterEqual(top, -84)


class RouteTests(SimpleTestCase):
    def test_from_home_to_the_partner_bowed_north(self):
        home, partner = place("C", 106.55, 29.56), place("V", 39.21, 51.67)
        path = maps.route(home, partner)
        start, control, end = re.fullmatch(
            r"M(\S+ \S+)Q(\S+ \S+) (\S+ \S+)", path
        ).groups()
        self.assertEqual(start, f"{home.x} {home.y}")
        self.assertEqual(end, f"{partner.x} {partner.y}")
        control_y = float(control.split()[1])
        self.assertLess(control_y, (home.y + partner.y) / 2)  # north: smaller y

    def test_no_line_to_the_same_point(self):
        self.assertIsNone(maps.route(place("A", 1, 2), place("B", 1, 2)))


class LabelTests(SimpleTestCase):
    def test_names_that_would_cover_each_other_are_moved_or_left_out(self):
        box = maps.WORLD
        size, gap = 6, 2
        near = [place("Düsseldorf", 6.8, 51.2), place("Voronezh", 39.2, 51.7)]
        dots = [(city, 2.6) for city in near]
        anchors = maps.place_labels(near, dots, box, size, gap)
        self.assertEqual(len(anchors), 2)
        # Written to the right, Düsseldorf would run over Voronezh's dot.
        self.assertEqual(anchors[id(near[0])], "end")
        same_spot = [place("A", 10, 10), place("B", 10, 10.5), place("C", 10, 11)]
        anchors = maps.place_labels(
            same_spot, [(city, 0.5) for city in same_spot], box, size, gap
        )
        self.assertEqual(len(anchors), 2)  # right and left; the third is left out

    def test_home_is_named_first(self):
        home = place("Chongqing", 106.55, 29.56, "home")
        rival = place("Chengdu", 104.07, 30.67)
        anchors = maps.place_labels([rival, home], [], maps.WORLD, 6, 2)
        self.assertEqual(anchors[id(home)], "start")

    def test_chinese_names_are_measured_wider(self):
        self.assertGreater(maps.text_width("沃罗涅日", 10), maps.text_width("Voro", 10))

    def test_crowded_when_larger_names_would_meet(self):
        near = [place("Düsseldorf", 6.8, 51.2), place("Bonn", 7.1, 50.7)]
        anchors = {id(near[0]): "start", id(near[1]): "start"}
        self.assertFalse(maps.crowded(near, {id(near[0]): "start"}, maps.WORLD, 6, 2))
        self.assertTrue(maps.crowded(near, anchors, maps.WORLD, 6, 2))


class WorldMapTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home(latitude=29.56, longitude=106.55)
        cls.voronezh = make_city(name="Voronezh", latitude=51.67, longitude=39.21)
        make_agreement(partner=cls.voronezh)
        cls.by_district = make_city(
            name="Brisbane", country="AU", latitude=-27.47, longitude=153.03
        )
        make_agreement(partner=cls.by_district, home_party=make_district())
        make_agreement(partner=make_city(name="Unplaced"))

    def drawn(self):
        return maps.world_map(City.objects.partners_of_home())

    def test_home_and_each_placed_partner_with_a_line_from_home(self):
        drawn = self.drawn()
        kinds = {item["place"].name: item["place"].kind for item in drawn["places"]}
        self.assertEqual(
            kinds, {"Chongqing": "home", "Voronezh": "partner", "Brisbane": "district"}
        )
        routes = [item["route"] for item in drawn["places"]]
        self.assertEqual(sum(route is not None for route in routes), 2)
        for item in drawn["places"]:
            if item["route"]:
                self.assertTrue(item["route"].startswith("M106.55 -29.56Q"))
        self.assertEqual(drawn["partners"], 2)
        self.assertTrue(drawn["districts"])

    def test_a_partner_of_the_municipality_and_a_district_is_the_municipalitys(self):
        make_agreement(partner=self.by_district, kind="memorandum")
        kinds = {
            item["place"].name: item["place"].kind for item in self.drawn()["places"]
        }
        self.assertEqual(kinds["Brisbane"], "partner")

    def test_unpublished_home_is_not_drawn(self):
        City.objects.filter(pk=self.home.pk).update(published=False)
        # Its agreements are unpublished with it: only the district's partner.
        drawn = self.drawn()
        self.assertIsNone(drawn["home"])
        self.assertTrue(all(item["route"] is None for item in drawn["places"]))

    def test_the_list_page_draws_it(self):
        response = self.client.get(LIST)
        self.assertContains(response, 'class="map-dot map-dot--home" cx="106.55"')
        self.assertContains(response, 'class="map-dot map-dot--partner" cx="39.21"')
        self.assertContains(response, 'class="map-dot map-dot--district" cx="153.03"')
        self.assertContains(response, 'class="map-route map-route--district"')
        self.assertContains(response, '<text class="map-label map-label--home"')
        self.assertContains(response, "Chongqing, the home city")
        self.assertContains(
            response, "Partner city of one of its districts or counties"
        )
        self.assertContains(response, "1 city in this list has no recorded coordinates")

    def test_filtered_list_draws_only_its_cities_and_home(self):
        response = self.client.get(LIST, {"country": "AU"})
        content = response.content.decode()
        self.assertIn("map-dot--district", content)
        self.assertNotIn("map-dot--partner", content)
        self.assertIn("map-dot--home", content)
        self.assertNotIn("Partner city of Chongqing<", content.replace("</li>", "<"))
