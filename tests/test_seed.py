"""The seed records what the source article states, and nothing more."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from partnerships.models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    DelegationMember,
    FocusArea,
    Institution,
    InstitutionAlias,
    Source,
    Visit,
)
from partnerships.models.choices import (
    AgreementKind,
    AgreementStatus,
    CityRole,
    Direction,
    Side,
)

ARTICLE = (
    Path(settings.BASE_DIR) / "fixtures/sources/chongqing-voronezh-article.txt"
).read_text(encoding="utf-8")


def in_article(text):
    return re.sub(r"\s+", " ", text).lower() in re.sub(r"\s+", " ", ARTICLE).lower()


class SeedTests(TestCase):
    fixtures = ["seed"]

    def test_home_municipality_and_partner(self):
        chongqing = City.objects.get(role=CityRole.HOME)
        self.assertEqual(chongqing.name, "Chongqing")
        self.assertEqual(chongqing.country.code, "CN")
        voronezh = City.objects.get(slug="voronezh")
        self.assertEqual(voronezh.role, CityRole.PARTNER)
        self.assertEqual(voronezh.country.code, "RU")
        self.assertEqual(voronezh.founded_year, 1586)
        self.assertTrue(in_article("Voronezh, founded in 1586"))
        # The names in local script and Chinese are the ones the domain gives.
        self.assertEqual(
            (voronezh.name_local, voronezh.name_zh_hans), ("Воронеж", "沃罗涅日")
        )
        self.assertTrue(in_article(voronezh.description))
        self.assertTrue(in_article("one of the earliest centers of Slavic culture"))
        self.assertTrue(in_article(voronezh.photo_caption))
        self.assertTrue(in_article(f"(Photo/{voronezh.photo_credit})"))

    def test_sister_city_agreement_of_20_october_1993(self):
        agreement = Agreement.objects.get()
        self.assertEqual(agreement.home_party.name, "Chongqing")
        self.assertEqual(agreement.partner.name, "Voronezh")
        self.assertEqual(agreement.kind, AgreementKind.SISTER_CITY)
        self.assertEqual(agreement.status, AgreementStatus.ACTIVE)
        self.assertEqual(agreement.signed_on, datetime.date(1993, 10, 20))
        self.assertTrue(
            in_article("On October 20, 1993, Chongqing established sister city")
        )
        self.assertIn(agreement, Agreement.objects.published())
        history = list(agreement.status_changes.values_list("status", "changed_on"))
        self.assertEqual(history, [("active", datetime.date(1993, 10, 20))])

    def test_visits_are_reciprocal_and_undated(self):
        visits = Visit.objects.all()
        self.assertEqual(
            sorted(visits.values_list("direction", flat=True)),
            [Direction.INBOUND, Direction.OUTBOUND],
        )
        for visit in visits:
            self.assertIsNone(visit.start_date)
            self.assertIsNone(visit.end_date)
            self.assertEqual(visit.date_precision, "unknown")
            # The note says what the article says, in the public's words; that
            # the dates are unknown is the record's own (no date, "unknown").
            self.assertTrue(in_article(visit.date_note), visit.date_note)
            self.assertNotIn("source", visit.date_note.lower())
            # The article names no head of either delegation; the record says so.
            self.assertTrue(visit.head_unrecorded)
            self.assertEqual(
                set(visit.sectors.values_list("code", flat=True)),
                {"economy", "healthcare", "education", "culture"},
            )
        self.assertTrue(in_article("economic, medical, educational, and cultural"))
        self.assertTrue(in_article("Leadership delegations from Chongqing"))

    def test_voronezh_delegation_known_by_title(self):
        members = DelegationMember.objects.filter(visit__direction=Direction.INBOUND)
        self.assertEqual(
            list(members.values_list("title_at_time", flat=True)),
            [
                "Chairman of the Voronezh City Duma",
                "Vice Chairman of the Voronezh City Duma",
                "Deputy Mayors of Voronezh",
            ],
        )
        self.assertFalse(members.filter(person__isnull=False).exists())
        self.assertTrue(
            in_article("Voronezh's Duma Chairman, Vice Chairman, and Deputy Mayors")
        )

    def test_every_institution_the_article_names(self):
        expected = {
            "Chongqing": {
                "Chongqing Third People's Hospital",
                "Sichuan International Studies University",
                "Chongqing University of Technology",
                "Chongqing Vocational Institute of Arts",
                "Chongqing No. 8 Middle School",
                "Chongqing Daily",
                "Chongqing Television",
            },
            "Voronezh": {
                "Voronezh Eighth Hospital",
                "Voronezh State University",
                "Voronezh Technical University",
                "Voronezh Dance Academy",
            },
        }
        for city, names in expected.items():
            self.assertEqual(
                set(
                    Institution.objects.filter(city__name=city).values_list(
                        "name", flat=True
                    )
                ),
                names,
            )
            for name in names:
                self.assertTrue(in_article(name), name)
        # Sichuan International Studies University is in Chongqing.
        self.assertEqual(
            Institution.objects.get(
                name="Sichuan International Studies University"
            ).city.name,
            "Chongqing",
        )

    def test_hospitals_alternate_names(self):
        aliases = dict(
            InstitutionAlias.objects.values_list("institution__name", "name")
        )
        self.assertEqual(
            aliases,
            {
                "Chongqing Third People's Hospital": (
                    "Chongqing China-Russia Friendship Hospital"
                ),
                "Voronezh Eighth Hospital": "Russia-China Friendship Hospital",
            },
        )
        self.assertTrue(
            in_article(
                "Chongqing Third People's Hospital "
                "(Chongqing China-Russia Friendship Hospital)"
            )
        )
        self.assertTrue(
            in_article("Voronezh Eighth Hospital (Russia-China Friendship Hospital)")
        )

    def test_collaborations_by_sector(self):
        by_sector = {
            c.sector.code: c for c in Collaboration.objects.select_related("sector")
        }
        self.assertEqual(
            set(by_sector), {"economy", "healthcare", "education", "media", "culture"}
        )

        def sides(code):
            collaboration = by_sector[code]
            return {
                side: {
                    str(p)
                    for p in collaboration.participants.filter(
                        side=side
                    ).select_related("institution")
                }
                for side in Side.values
            }

        self.assertEqual(
            sides("healthcare"),
            {
                "home": {"Chongqing Third People's Hospital"},
                "partner": {"Voronezh Eighth Hospital"},
            },
        )
        self.assertEqual(len(sides("education")["home"]), 4)
        self.assertEqual(
            sides("education")["partner"],
            {
                "Voronezh State University",
                "Voronezh Technical University",
                "Voronezh Dance Academy",
            },
        )
        self.assertEqual(
            sides("media"),
            {
                "home": {"Chongqing Daily", "Chongqing Television"},
                "partner": {"Voronezh news agencies"},
            },
        )
        self.assertTrue(in_article("with Voronezh news agencies"))
        for collaboration in by_sector.values():
            self.assertIsNone(collaboration.started_on)
            self.assertIsNone(collaboration.ended_on)

    def test_focus_areas(self):
        names = set(FocusArea.objects.values_list("name", flat=True))
        self.assertEqual(len(names), 3)
        for name in names:
            self.assertTrue(in_article(name), name)
        economy = Collaboration.objects.get(sector__code="economy")
        self.assertEqual(set(economy.focus_areas.values_list("name", flat=True)), names)

    def test_activities_are_undated(self):
        kinds = set(Activity.objects.values_list("kind", flat=True))
        self.assertEqual(
            kinds, {"trade_promotion", "exhibition", "training", "academic_exchange"}
        )
        self.assertFalse(Activity.objects.filter(start_date__isnull=False).exists())
        for activity in Activity.objects.all():
            # Public words: what the article says, not how the office records it.
            self.assertNotIn("source", activity.date_note.lower())
            if activity.date_note:
                self.assertTrue(in_article(activity.date_note), activity.date_note)
        self.assertTrue(
            in_article("trade promotion events and exhibitions in Voronezh")
        )
        self.assertTrue(in_article("expert training programs"))
        self.assertTrue(in_article("academic exchanges"))

    def test_the_article_is_the_source_of_every_record(self):
        source = Source.objects.get(publisher="iChongqing")
        self.assertEqual(source.author, "Yan Deng")
        self.assertEqual(source.published_on, datetime.date(2024, 3, 20))
        self.assertTrue(in_article(source.title))
        self.assertTrue(in_article("By YAN DENG|Mar 20,2024"))
        self.assertTrue(in_article(source.credit))
        for model in (Agreement, Visit, Institution, Collaboration, Activity):
            for record in model.objects.all():
                self.assertEqual(list(record.sources.all()), [source], record)
        # A city's coordinates come from its Wikidata item, credited beside.
        for city in City.objects.all():
            self.assertEqual(
                list(city.sources.exclude(publisher="Wikidata")), [source], city
            )

    def test_coordinates_come_from_the_wikidata_items_named(self):
        """Chongqing (Q11725) and Voronezh (Q18190), to two decimals (about a
        kilometre), each with a source naming its item (Wikidata is CC0)."""
        expected = {
            "chongqing": ("Q11725", Decimal("29.56"), Decimal("106.55")),
            "voronezh": ("Q18190", Decimal("51.67"), Decimal("39.21")),
        }
        for slug, (item, latitude, longitude) in expected.items():
            city = City.objects.get(slug=slug)
            self.assertEqual(
                (city.wikidata_id, city.latitude, city.longitude),
                (item, latitude, longitude),
            )
            source = city.sources.get(publisher="Wikidata")
            self.assertEqual(source.url, f"https://www.wikidata.org/wiki/{item}")
            self.assertIn(f"{city.name_en} ({item})", source.title)
            self.assertIn("CC0", source.credit)

    def test_every_public_record_is_published(self):
        for model in (City, Agreement, Visit, Institution, Collaboration, Activity):
            self.assertFalse(model.objects.filter(published=False).exists(), model)
        self.assertEqual(
            set(City.objects.partners_of_home()), {City.objects.get(slug="voronezh")}
        )


class NothingInventedTests(TestCase):
    """No date, number or coordinate that the article does not give."""

    def test_no_invented_facts(self):
        seed = json.loads(
            (Path(settings.BASE_DIR) / "fixtures/seed.json").read_text(encoding="utf-8")
        )
        allowed_dates = {"1993-10-20", "2024-03-20"}
        wikidata = {
            record["pk"]: record["fields"]["url"].rpartition("/")[2]
            for record in seed
            if record["model"] == "partnerships.source"
            and record["fields"]["publisher"] == "Wikidata"
        }
        for record in seed:
            fields = record["fields"]
            if record["pk"] in wikidata and record["model"] == "partnerships.source":
                continue  # its URL names the item (test above)
            # Coordinates and a Wikidata id only with the source that names it.
            items = {wikidata.get(pk) for pk in fields.get("sources", ())}
            if fields.get("wikidata_id") in items - {None}:
                fields = {
                    name: value
                    for name, value in fields.items()
                    if name not in ("latitude", "longitude", "wikidata_id")
                }
            for name in ("population", "latitude", "longitude", "term_years"):
                self.assertIsNone(fields.get(name), (record["model"], name))
            for name, value in fields.items():
                if name in {"created_at", "updated_at"}:
                    continue
                if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    self.assertIn(value, allowed_dates, (record["model"], name))
            for name in ("wikidata_id", "url", "signed_place", "internal_notes"):
                self.assertFalse(fields.get(name), (record["model"], name))
