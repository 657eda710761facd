"""The office on every public page: header, footer, and schema.org data."""

import json
import re

from django.test import TestCase, override_settings

from tests.factories import (
    make_agreement,
    make_city,
    make_home,
    make_request,
    make_site_settings,
)

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def structured_data(html):
    [found] = JSON_LD.findall(html)
    return json.loads(found)


class IdentityTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.voronezh = make_city(name="Voronezh", slug="voronezh")
        make_agreement(home_party=home, partner=cls.voronezh)

    def page(self, url):
        response = self.client.get(url)
        return response.content.decode()


class EveryPageTests(IdentityTestCase):
    PAGES = (
        "/partners/",
        "/partners/voronezh/",
        "/partners/no-such-city/",
        "/contact/",
        "/contact/sent/",
        "/privacy/",
    )

    def test_header_footer_and_structured_data_in_each_language(self):
        make_site_settings(
            office_name_ru="Канцелярия",
            telephone="+86 23 6000 0000",
            email="office@example.org",
            website="https://fao.example.org/",
            address_en="36 Renmin Road",
        )
        names = {
            "": ("Foreign Affairs Office of Chongqing Municipal People's Government"),
            "/zh-hans": "重庆市人民政府外事办公室",
            "/ru": "Канцелярия",
        }
        for prefix, name in names.items():
            for path in self.PAGES:
                with self.subTest(page=prefix + path):
                    html = self.page(prefix + path)
                    header = html.split('<header class="site-header">')[1]
                    header = header.split("</header>")[0]
                    self.assertIn(name.replace("'", "&#x27;"), header)
                    footer = html.split('<footer class="site-footer">')[1]
                    self.assertIn('href="tel:+862360000000"', footer)
                    self.assertIn(f'href="{prefix}/contact/"', footer)
                    self.assertIn(f'href="{prefix}/privacy/"', footer)
                    data = structured_data(html)
                    self.assertEqual(data["@type"], "GovernmentOrganization")
                    self.assertEqual(data["@context"], "https://schema.org")
                    self.assertEqual(data["name"], name)
                    self.assertNotIn(name, data["alternateName"])
                    self.assertEqual(len(data["alternateName"]), 2)
                    self.assertEqual(data["url"], "https://fao.example.org/")
                    self.assertEqual(data["telephone"], "+86 23 6000 0000")
                    self.assertEqual(data["email"], "office@example.org")
                    self.assertEqual(data["address"]["streetAddress"], "36 Renmin Road")
                    self.assertEqual(
                        data["contactPoint"]["url"],
                        f"http://testserver{prefix}/contact/",
                    )

    def test_without_saved_settings_the_setting_names_the_office(self):
        html = self.page("/partners/")
        data = structured_data(html)
        self.assertEqual(
            data["name"],
            "Foreign Affairs Office of Chongqing Municipal People's Government",
        )
        self.assertNotIn("address", data)
        self.assertIn("International partnerships</span>", html)

    def test_the_home_city_names_the_site(self):
        make_site_settings()
        html = self.page("/zh-hans/partners/")
        self.assertIn("<title>", html)
        data = structured_data(html)
        self.assertEqual(data["areaServed"], {"@type": "City", "name": "重庆"})
        site_name = re.search(r'class="site-name__site">([^<]*)<', html).group(1)
        self.assertIn("重庆", site_name)

    def test_nothing_in_the_settings_closes_the_script(self):
        make_site_settings(office_name_en='</script><script>alert("x")</script>')
        html = self.page("/partners/")
        self.assertEqual(html.count("<script"), 1)
        self.assertEqual(
            structured_data(html)["name"], '</script><script>alert("x")</script>'
        )


@override_settings(PARTNERSHIPS_PAGE_CACHE_SECONDS=600)
class RenewalTests(IdentityTestCase):
    def test_a_change_to_the_settings_renews_every_page(self):
        settings = make_site_settings()
        for url in ("/partners/", "/partners/voronezh/", "/ru/privacy/"):
            self.client.get(url)
            self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit", url)
        settings.telephone = "+86 23 6000 0000"
        settings.save()
        for url in ("/partners/", "/partners/voronezh/", "/ru/privacy/"):
            response = self.client.get(url)
            self.assertEqual(response["X-Page-Cache"], "miss", url)
            self.assertContains(response, "+86 23 6000 0000")

    def test_a_request_from_the_public_renews_nothing(self):
        self.client.get("/partners/")
        make_request(partner_city=self.voronezh)
        self.assertEqual(self.client.get("/partners/")["X-Page-Cache"], "hit")


class SitemapTests(IdentityTestCase):
    def test_the_contact_page_and_privacy_notice_in_every_language(self):
        make_request(message="XPRIVATEX")
        content = self.page("/sitemap.xml")
        for prefix in ("", "/zh-hans", "/ru"):
            for path in ("/contact/", "/privacy/"):
                self.assertIn(f"<loc>http://testserver{prefix}{path}</loc>", content)
        self.assertNotIn("/contact/sent/", content)
        self.assertNotIn("XPRIVATEX", content)
