"""Every ``aria-describedby`` points at an element that exists (axe and the
HTML validator flagged the public filter form and the sign-in's code field)."""

import re

from django.test import TestCase

from tests.factories import make_agreement, make_city, make_home

DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')
IDS = re.compile(r'\bid="([^"]+)"')


class DescribedByTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_agreement(home_party=make_home(), partner=make_city(name="Kazan"))

    def assert_targets_exist(self, response):
        page = response.content.decode()
        ids = set(IDS.findall(page))
        described = [ref for refs in DESCRIBED.findall(page) for ref in refs.split()]
        self.assertTrue(described, "nothing is described on this page")
        self.assertEqual([ref for ref in described if ref not in ids], [])

    def test_the_public_filter_form_with_and_without_errors(self):
        for query in ("", "?signed_from=abc&country=ZZ"):
            with self.subTest(query=query):
                self.assert_targets_exist(self.client.get(f"/partners/{query}"))

    def test_the_sign_in_with_and_without_errors(self):
        self.assert_targets_exist(self.client.get("/admin/login/"))
        self.assert_targets_exist(
            self.client.post("/admin/login/", {"username": "x", "password": "y"})
        )
