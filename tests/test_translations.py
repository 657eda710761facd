"""The Chinese and Russian catalogs: complete, well-formed, compiled and in use."""

import re

import polib
from django.conf import settings
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from partnerships.models.choices import AgreementKind
from tests.factories import make_user

PLURAL_FORMS = {
    "zh_Hans": "nplurals=1; plural=0;",
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
}
# Python %-format placeholders: %(name)s, %(count)d, %s, %d (and %% is no placeholder).
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]")


def catalog_path(locale, extension="po"):
    return settings.LOCALE_PATHS[0] / locale / "LC_MESSAGES" / f"django.{extension}"


def catalog(locale):
    return polib.pofile(str(catalog_path(locale)))


def entries(locale):
    return [entry for entry in catalog(locale) if not entry.obsolete]


def translations(entry):
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def placeholders(text):
    return sorted(set(PLACEHOLDER.findall(text.replace("%%", ""))))


class CatalogTests(SimpleTestCase):
    """Each language's django.po: every entry translated, none fuzzy, compiled."""

    def test_every_entry_is_translated_and_none_is_fuzzy(self):
        for locale in PLURAL_FORMS:
            with self.subTest(locale=locale):
                found = entries(locale)
                self.assertGreater(len(found), 100)
                untranslated = [e.msgid for e in found if not all(translations(e))]
                fuzzy = [e.msgid for e in found if "fuzzy" in e.flags]
                self.assertEqual(untranslated, [])
                self.assertEqual(fuzzy, [])

    def test_plural_forms_header_and_one_translation_per_form(self):
        for locale, header in PLURAL_FORMS.items():
            with self.subTest(locale=locale):
                po = catalog(locale)
                self.assertEqual(po.metadata["Plural-Forms"], header)
                self.assertFalse(po.metadata_is_fuzzy)
                count = int(re.search(r"nplurals=(\d+)", header).group(1))
                for entry in po:
                    if entry.msgid_plural and not entry.obsolete:
                        self.assertEqual(
                            sorted(entry.msgstr_plural), list(range(count)), entry.msgid
                        )

    def test_translations_keep_every_placeholder(self):
        for locale in PLURAL_FORMS:
            for entry in entries(locale):
                # A plural form is used for many counts (21 in Russian takes the
                # singular), so each form keeps the placeholders of both msgids.
                wanted = set(placeholders(entry.msgid))
                wanted |= set(placeholders(entry.msgid_plural or ""))
                for text in translations(entry):
                    with self.subTest(locale=locale, msgid=entry.msgid, text=text):
                        self.assertEqual(set(placeholders(text)), wanted)

    def test_compiled_catalog_matches_the_po_file(self):
        """The committed .mo holds exactly the .po's translations (recompiled)."""
        for locale in PLURAL_FORMS:
            with self.subTest(locale=locale):
                compiled = {
                    (e.msgctxt, e.msgid): tuple(translations(e))
                    for e in polib.mofile(str(catalog_path(locale, "mo")))
                    if e.msgid
                }
                source = {
                    (e.msgctxt, e.msgid): tuple(translations(e))
                    for e in entries(locale)
                }
                self.assertEqual(compiled, source)


class TranslationInUseTests(SimpleTestCase):
    def test_agreement_kinds(self):
        expected = {
            "zh-hans": ("友好城市", "友好交流城市", "合作备忘录"),
            "ru": (
                "Город-побратим",
                "Город дружественного обмена",
                "Меморандум о сотрудничестве",
            ),
        }
        kinds = (
            AgreementKind.SISTER_CITY,
            AgreementKind.FRIENDLY_EXCHANGE,
            AgreementKind.MEMORANDUM,
        )
        for language, labels in expected.items():
            with translation.override(language):
                self.assertEqual(tuple(str(kind.label) for kind in kinds), labels)

    def test_russian_plural_forms(self):
        with translation.override("ru"):
            counted = {
                n: translation.ngettext(
                    "%(counter)s partner city", "%(counter)s partner cities", n
                )
                % {"counter": n}
                for n in (1, 2, 5, 11, 21, 22, 112)
            }
        self.assertEqual(
            counted,
            {
                1: "1 город-партнёр",
                2: "2 города-партнёра",
                5: "5 городов-партнёров",
                11: "11 городов-партнёров",
                21: "21 город-партнёр",
                22: "22 города-партнёра",
                112: "112 городов-партнёров",
            },
        )

    def test_chinese_has_one_form(self):
        with translation.override("zh-hans"):
            for n in (1, 2, 5):
                self.assertEqual(
                    translation.ngettext(
                        "%(counter)s partner city", "%(counter)s partner cities", n
                    )
                    % {"counter": n},
                    f"{n} 个伙伴城市",
                )


class TranslatedPagesTests(TestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        cls.superuser = make_user(username="translator", is_superuser=True)

    def test_partner_list_heading(self):
        for prefix, heading in (
            ("", "Partner cities"),
            ("/zh-hans", "伙伴城市"),
            ("/ru", "Города-партнёры"),
        ):
            with self.subTest(prefix=prefix):
                response = self.client.get(f"{prefix}/partners/")
                self.assertContains(response, f"<h1>{heading}</h1>", html=True)

    def test_partner_page_in_chinese(self):
        response = self.client.get("/zh-hans/partners/voronezh/")
        self.assertContains(response, "友好城市")
        self.assertContains(response, "代表团访问")
        # The seed names no head of delegation (the line is left out); its
        # members are named by title.
        self.assertContains(response, "<dt>成员</dt>")
        self.assertNotContains(response, "Delegation visits")
        self.assertNotContains(response, "Sister city")

    def test_partner_page_in_russian(self):
        response = self.client.get("/ru/partners/voronezh/")
        self.assertContains(response, "Город-побратим")
        self.assertContains(response, "Визиты делегаций")
        self.assertContains(response, "<dt>Члены делегации</dt>")
        self.assertNotContains(response, "Delegation visits")
        self.assertNotContains(response, "Sister city")

    def test_admin_index_names_the_models_in_the_readers_language(self):
        self.client.force_login(self.superuser)
        chinese = self.client.get("/zh-hans/admin/")
        self.assertContains(chinese, "国际伙伴关系档案")
        self.assertContains(chinese, "合作项目")
        self.assertContains(chinese, "外事办公室")
        russian = self.client.get("/ru/admin/")
        self.assertContains(russian, "Реестр партнёрств")
        self.assertContains(russian, "Проекты сотрудничества")
        self.assertNotContains(russian, ">Collaborations<")
        english = self.client.get("/admin/")
        self.assertContains(english, ">Collaborations<")
