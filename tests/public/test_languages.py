"""A partner page in each language: its own texts, or others' marked as such."""

import datetime
import re

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_home,
    make_person,
    make_visit,
)

LANGUAGES = {"en": "", "zh-hans": "/zh-hans", "ru": "/ru"}
FIELDS = {
    "city": ("description", "region"),
    "agreement": ("origin", "signed_place"),
    "visit": ("title", "public_summary", "date_note"),
    "collaboration": ("title", "summary"),
}


def planted(field, code):
    """A text that tells which field and which language it was written for."""
    return f"{field}-{code}-text"


def texts(fields, codes=("en", "zh_hans", "ru")):
    return {
        f"{field}_{code}": planted(field, code) for field in fields for code in codes
    }


class EveryLanguageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.voronezh = make_city(
            name="Voronezh",
            name_zh_hans="沃罗涅日",
            name_ru="Воронеж",
            slug="voronezh",
            **texts(FIELDS["city"]),
        )
        agreement = make_agreement(
            home_party=home, partner=cls.voronezh, **texts(FIELDS["agreement"])
        )
        make_visit(
            home_party=home,
            partner_city=cls.voronezh,
            start_date=datetime.date(2019, 5, 14),
            **texts(FIELDS["visit"]),
        )
        make_collaboration(agreement=agreement, **texts(FIELDS["collaboration"]))

    def page(self, language):
        response = self.client.get(f"{LANGUAGES[language]}/partners/voronezh/")
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_each_language_shows_its_own_texts_unmarked(self):
        for language, code in (("en", "en"), ("zh-hans", "zh_hans"), ("ru", "ru")):
            html = self.page(language)
            for fields in FIELDS.values():
                for field in fields:
                    with self.subTest(language, field=field):
                        self.assertIn(planted(field, code), html)
                        others = {"en", "zh_hans", "ru"} - {code}
                        for other in others:
                            self.assertNotIn(planted(field, other), html)
            self.assertNotIn('class="fallback', html)

    def test_the_name_is_the_readers(self):
        for language, name in (("zh-hans", "沃罗涅日"), ("ru", "Воронеж")):
            with self.subTest(language):
                html = self.page(language)
                self.assertIn(f"<h1>{name}</h1>", html)
                self.assertIn(f"<title>{name}", html)

    def test_the_query_count_is_the_same_in_every_language(self):
        counts = {}
        for language in LANGUAGES:
            with CaptureQueriesContext(connection) as captured:
                self.page(language)
            counts[language] = len(captured)
        self.assertEqual(len(set(counts.values())), 1, counts)


class MarkedFallbackTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        home = make_home()
        cls.voronezh = make_city(
            name="Voronezh",
            name_zh_hans="沃罗涅日",
            slug="voronezh",
            description="An industrial hub.",
            description_ru="Промышленный центр.",
        )
        make_agreement(home_party=home, partner=cls.voronezh, origin="Since 1993.")
        make_visit(
            home_party=home,
            partner_city=cls.voronezh,
            title="Trade talks",
            public_summary="Talks on trade.",
            start_date=datetime.date(2019, 5, 14),
            members=[
                {
                    "person": make_person(
                        name="Sergei Petrov", name_zh_hans="谢尔盖·彼得罗夫"
                    ),
                    "title_at_time": "Deputy Mayor",
                    "title_at_time_zh_hans": "副市长",
                    "role": "head",
                },
                {
                    "person": make_person(name="Anna Ivanova"),
                    "title_at_time": "Adviser",
                    "role": "member",
                },
            ],
        )

    def test_delegation_members_in_the_readers_language_or_marked(self):
        html = self.client.get("/zh-hans/partners/voronezh/").content.decode()
        self.assertIn("<dd>谢尔盖·彼得罗夫, 副市长</dd>", html)
        self.assertIn(
            '<li><span lang="en">Anna Ivanova</span>, '
            '<span lang="en" class="fallback">Adviser</span>',
            html,
        )

    def test_english_text_on_the_chinese_page_is_marked_and_noted(self):
        html = self.client.get("/zh-hans/partners/voronezh/").content.decode()
        self.assertIn('<div lang="en" class="fallback"><p>An industrial hub.</p>', html)
        self.assertIn('<div lang="en" class="fallback"><p>Since 1993.</p>', html)
        self.assertIn('<span lang="en" class="fallback">Trade talks</span>', html)
        # Told in Chinese that the text is not translated yet.
        self.assertIn("尚未翻译", html)
        self.assertIn("（英文）", html.replace("(", "（").replace(")", "）"))

    def test_russian_text_on_the_russian_page_is_not_marked(self):
        html = self.client.get("/ru/partners/voronezh/").content.decode()
        self.assertIn("<p>Промышленный центр.</p>", html)
        self.assertNotIn("An industrial hub.", html)
        self.assertIn('<div lang="en" class="fallback"><p>Since 1993.</p>', html)

    def test_a_name_in_another_script_carries_its_lang(self):
        html = self.client.get("/ru/partners/voronezh/").content.decode()
        self.assertIn('<h1><span lang="en">Voronezh</span></h1>', html)

    def test_the_english_page_has_no_fallback(self):
        html = self.client.get("/partners/voronezh/").content.decode()
        self.assertIsNone(re.search(r'class="fallback', html))
        self.assertIn("An industrial hub.", html)
