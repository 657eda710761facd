"""Three languages: English unprefixed, /zh-hans/ and /ru/, names in the reader's."""

import re
from contextlib import ExitStack
from html.parser import HTMLParser
from unittest import mock

from django.template.loader import render_to_string
from django.test import TestCase
from django.utils import translation
from django.utils.translation import get_language_info, trans_real

from partnerships.models import FocusArea, Sector, SiteSettings
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_source,
    make_visit,
)

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


# Every record value in the test data starts with this, so what remains on a page
# once translated strings and record values are taken out is untranslatable text.
DATA = "\u00a7"
MARKED = re.compile("\u27ea[^\u27ea\u27eb]*\u27eb")
RECORD = re.compile(DATA + r"[\w-]*")
ALLOWED = re.compile(r"[\s\d.,:;·›–()?=&/\-]+|CSV|JSON")
CHECKED_ATTRIBUTES = {"aria-label", "alt", "title", "placeholder"}


def marked(function):
    """``function`` with its result wrapped in marks, to spot translated text."""

    def wrapper(*args):
        return "\u27ea" + function(*args) + "\u27eb"

    return wrapper


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.texts = []
        self.in_description = False
        self.in_data_block = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # The office's schema.org JSON-LD is for machines, not readers.
        self.in_data_block = tag == "script"
        for name in CHECKED_ATTRIBUTES & attrs.keys():
            self.texts.append(attrs[name])
        if tag == "meta" and attrs.get("name") == "description":
            self.texts.append(attrs["content"])

    def handle_data(self, data):
        if not self.in_data_block:
            self.texts.append(data)

    def handle_endtag(self, tag):
        self.in_data_block = False


def untranslated(html):
    """Text on the page that is neither marked for translation nor a record value."""
    own_names = [get_language_info(code)["name_local"] for code in ("en", "ru")]
    own_names.append(get_language_info("zh-hans")["name_local"])
    collector = TextCollector()
    collector.feed(html)
    leftovers = []
    for text in collector.texts:
        previous = None
        while previous != text:
            previous, text = text, MARKED.sub(" ", text)
        text = RECORD.sub(" ", text)
        for name in own_names:
            text = text.replace(name, " ")
        text = ALLOWED.sub(" ", text).strip()
        if text:
            leftovers.append(text)
    return leftovers


class InterfaceStringsMarkedTests(TestCase):
    """Every interface string goes through gettext, so the translator can reach it."""

    @classmethod
    def setUpTestData(cls):
        for sector in Sector.objects.all():
            sector.name = DATA + sector.code
            sector.save()
        # The office in every header and footer (names in all three languages).
        SiteSettings.objects.create(
            **{
                f"{field}_{code}": f"{DATA}{field}-{code}"
                for field in ("office_name", "home_city_name", "address")
                for code in ("en", "zh_hans", "ru")
            },
            opening_hours_en=DATA + "hours",
            telephone=DATA + "telephone",
            email=DATA + "email",
            website=DATA + "website",
        )
        home = make_home(
            name=DATA + "Home", name_local=DATA + "h", name_zh_hans=DATA + "h"
        )
        city = make_city(
            name=DATA + "Kazan",
            name_local=DATA + "Kazan-local",
            slug="kazan",
            description=DATA + "description",
            founded_year=1005,
            region=DATA + "region",
            latitude=55.79,
            longitude=49.12,
            photo="cities/kazan.jpg",
            photo_caption=DATA + "caption",
            photo_credit=DATA + "credit",
        )
        agreement = make_agreement(
            home_party=home, partner=city, origin=DATA + "origin"
        )
        visit = make_visit(
            home_party=home,
            partner_city=city,
            title=DATA + "visit",
            date_note=DATA + "note",
            public_summary=DATA + "summary",
            sectors=["economy"],
            members=[(DATA + "member", "member")],
        )
        make_head(visit, title=DATA + "mayor", person=make_person(name=DATA + "p"))
        make_visit(home_party=home, partner_city=city, start_date=None, title=DATA)
        home_side = make_institution(city=home, name=DATA + "inst", aliases=[DATA])
        collaboration = make_collaboration(
            agreement=agreement,
            title=DATA + "collab",
            summary=DATA + "csummary",
            participants=[home_side],
        )
        collaboration.focus_areas.add(FocusArea.objects.create(name=DATA + "focus"))
        make_activity(
            collaboration=collaboration,
            title=DATA + "activity",
            description=DATA + "adesc",
            date_note=DATA + "anote",
        )
        make_activity(visit=visit, title=DATA + "vactivity")
        city.sources.add(
            make_source(
                title=DATA + "source",
                publisher=DATA + "publisher",
                author=DATA + "author",
                credit=DATA + "credit",
                url="https://example.org/article",
            )
        )

    def render(self, url, status=200):
        translation.gettext("x")  # resolve the lazy translation functions first
        translation.ngettext("x", "y", 1)
        translation.pgettext("c", "x")
        with ExitStack() as stack:
            for name in ("gettext", "ngettext", "pgettext", "npgettext"):
                real = getattr(trans_real, name)
                stack.enter_context(
                    mock.patch.object(translation._trans, name, marked(real))
                )
            if url == "500":
                return render_to_string("500.html")
            response = self.client.get(url)
            self.assertEqual(response.status_code, status)
            return response.content.decode()

    def test_pages_have_no_unmarked_interface_text(self):
        pages = {
            "/partners/": 200,
            "/partners/?country=ZZ&q=k&page=1": 200,
            "/partners/kazan/": 200,
            "/partners/nowhere/": 404,
            "/contact/": 200,
            "/contact/sent/": 200,
            "/privacy/": 200,
            "500": None,
        }
        for url, status in pages.items():
            with self.subTest(url=url):
                html = self.render(url, status)
                self.assertIn("\u27ea", html)
                self.assertEqual(untranslated(html), [])
