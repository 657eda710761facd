"""Three languages: English unprefixed, /zh-hans/ and /ru/, names in the reader's."""

import re

from django.test import TestCase

PAGES = ("/partners/", "/partners/voronezh/")


class LanguageTests(TestCase):
    fixtures = ["seed"]

    def test_each_language_has_its_urls_and_html_lang(self):
        for prefix, lang in (("", "en"), ("/zh-hans", "zh-Hans"), ("/ru", "ru")):
            for page in PAGES:
                response = self.client.get(prefix + page)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f'<html lang="{lang}">')

    def test_city_name_in_the_readers_language(self):
        headings = {}
        for prefix in ("", "/zh-hans", "/ru"):
            content = self.client.get(f"{prefix}/partners/voronezh/").content.decode()
            headings[prefix] = re.search(r"<h1>(.*?)</h1>", content).group(1)
        self.assertEqual(
            headings, {"": "Voronezh", "/zh-hans": "沃罗涅日", "/ru": "Воронеж"}
        )

    def test_country_sector_and_date_in_the_readers_language(self):
        chinese = self.client.get("/zh-hans/partners/voronezh/")
        self.assertContains(chinese, "俄罗斯")
        self.assertContains(chinese, "1993年10月20日")
        self.assertContains(chinese, "医疗卫生")
        russian = self.client.get("/ru/partners/voronezh/")
        self.assertContains(russian, "Россия")
        self.assertContains(russian, "20 октября 1993")
        self.assertContains(russian, "Здравоохранение")

    def test_hreflang_alternates_and_canonical(self):
        response = self.client.get("/ru/partners/voronezh/")
        for lang, url in (
            ("en", "/partners/voronezh/"),
            ("zh-Hans", "/zh-hans/partners/voronezh/"),
            ("ru", "/ru/partners/voronezh/"),
            ("x-default", "/partners/voronezh/"),
        ):
            self.assertContains(
                response,
                f'<link rel="alternate" hreflang="{lang}" href="http://testserver{url}">',
            )
        self.assertContains(
            response,
            '<link rel="canonical" href="http://testserver/ru/partners/voronezh/">',
        )

    def test_language_switch_links_to_the_same_page(self):
        response = self.client.get("/partners/voronezh/")
        switch = response.content.decode().split('class="language-switch"')[1]
        switch = switch.split("</nav>")[0]
        self.assertIn('href="/zh-hans/partners/voronezh/"', switch)
        self.assertIn('href="/ru/partners/voronezh/"', switch)
        self.assertIn(
            'href="/partners/voronezh/" hreflang="en" lang="en" aria-current="true"',
            switch,
        )

    def test_language_switch_keeps_the_filters(self):
        response = self.client.get("/zh-hans/partners/", {"country": "RU"})
        self.assertContains(response, 'href="/ru/partners/?country=RU"')
        self.assertContains(response, 'href="/partners/?country=RU"')

    def test_not_found_page_links_to_the_list_in_each_language(self):
        response = self.client.get("/ru/partners/unknown-place/")
        self.assertEqual(response.status_code, 404)
        self.assertContains(response, 'href="/zh-hans/partners/"', status_code=404)
        self.assertNotContains(response, "unknown-place", status_code=404)

    def test_unprefixed_urls_are_english_whatever_the_browser_says(self):
        response = self.client.get("/partners/", headers={"accept-language": "ru"})
        self.assertContains(response, '<html lang="en">')
