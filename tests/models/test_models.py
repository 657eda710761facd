"""Model rules: database constraints, validation, PROTECT on delete, names."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import TestCase
from django.utils import timezone, translation

from partnerships.models import (
    Activity,
    Agreement,
    City,
    CollaborationParticipant,
    DelegationMember,
    Sector,
    Visit,
)
from partnerships.models.choices import (
    AgreementKind,
    AgreementStatus,
    CityRole,
    DelegationRole,
    Direction,
    Side,
    VisitStatus,
)
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_district,
    make_home,
    make_institution,
    make_person,
    make_visit,
)

D = datetime.date


class ConstraintTestCase(TestCase):
    def assertRefused(self, create):
        """The database itself refuses the write."""
        with self.assertRaises(IntegrityError), transaction.atomic():
            create()


class CityConstraintTests(ConstraintTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()

    def test_only_one_home_municipality(self):
        self.assertRefused(
            lambda: make_city(name="Chengdu", country="CN", role=CityRole.HOME)
        )

    def test_district_needs_its_municipality(self):
        self.assertRefused(
            lambda: make_city(name="Yuzhong", country="CN", role=CityRole.DISTRICT)
        )
        district = make_district(name="Yuzhong")
        self.assertEqual(district.parent, self.home)
        self.assertIn(district, self.home.districts.all())

    def test_same_name_in_another_country_is_another_city(self):
        make_city(name="Toledo", country="ES")
        make_city(name="Toledo", country="US")
        self.assertEqual(City.objects.filter(name="Toledo").count(), 2)

    def test_same_name_country_and_region_is_refused(self):
        make_city(name="Brest", country="FR")
        self.assertRefused(lambda: make_city(name="Brest", country="FR"))

    def test_wikidata_id_unique_when_given(self):
        make_city(wikidata_id="Q14886")
        make_city(wikidata_id="")
        make_city(wikidata_id="")
        self.assertRefused(lambda: make_city(wikidata_id="Q14886"))

    def test_coordinates_in_range(self):
        self.assertRefused(lambda: make_city(latitude=91, longitude=0))
        self.assertRefused(lambda: make_city(latitude=0, longitude=-181))

    def test_validation_messages(self):
        city = City(name="X", slug="x", country="RU", role=CityRole.DISTRICT)
        with self.assertRaises(ValidationError) as caught:
            city.full_clean()
        self.assertIn("parent", caught.exception.message_dict)
        city = City(name="X", slug="x", country="RU", latitude=10)
        with self.assertRaises(ValidationError) as caught:
            city.full_clean()
        self.assertIn("latitude and longitude", str(caught.exception))
        city = City(name="X", slug="x", country="RU", wikidata_id="14886")
        with self.assertRaises(ValidationError) as caught:
            city.full_clean()
        self.assertIn("wikidata_id", caught.exception.message_dict)

    def test_country_is_iso_3166(self):
        city = City(name="X", slug="x", country="XX")
        with self.assertRaises(ValidationError) as caught:
            city.full_clean()
        self.assertIn("country", caught.exception.message_dict)
        self.assertEqual(make_city(country="RU").country.name, "Russia")


class AgreementConstraintTests(ConstraintTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.voronezh = make_city(name="Voronezh")
        cls.agreement = make_agreement(partner=cls.voronezh)

    def test_parties_differ(self):
        self.assertRefused(lambda: make_agreement(partner=self.home))

    def test_one_agreement_per_pair_and_kind(self):
        self.assertRefused(lambda: make_agreement(partner=self.voronezh))

    def test_pair_is_unordered(self):
        self.assertRefused(
            lambda: make_agreement(home_party=self.voronezh, partner=self.home)
        )

    def test_another_kind_for_the_same_pair_is_allowed(self):
        memorandum = make_agreement(
            partner=self.voronezh, kind=AgreementKind.MEMORANDUM
        )
        self.assertEqual(memorandum.home_party, self.home)

    def test_cannot_end_before_signing(self):
        self.assertRefused(
            lambda: make_agreement(
                signed_on=D(2000, 1, 1),
                ended_on=D(1999, 1, 1),
                status=AgreementStatus.ENDED,
            )
        )

    def test_validation(self):
        agreement = Agreement(
            home_party=self.home,
            partner=make_city(),
            status=AgreementStatus.ENDED,
            signed_on=D(2000, 1, 1),
            ended_on=D(1999, 1, 1),
        )
        with self.assertRaises(ValidationError) as caught:
            agreement.full_clean()
        errors = caught.exception.message_dict
        self.assertIn("end_reason", errors)
        self.assertIn("ended_on", errors)

    def test_future_signing_refused(self):
        agreement = Agreement(
            home_party=self.home,
            partner=make_city(),
            signed_on=timezone.localdate() + datetime.timedelta(days=1),
        )
        with self.assertRaises(ValidationError) as caught:
            agreement.full_clean()
        self.assertIn("signed_on", caught.exception.message_dict)

    def test_unique_pair_message_in_validation(self):
        duplicate = Agreement(home_party=self.voronezh, partner=self.home)
        with self.assertRaises(ValidationError) as caught:
            duplicate.full_clean()
        self.assertIn("already have an agreement of this kind", str(caught.exception))


class VisitConstraintTests(ConstraintTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.visit = make_visit()

    def test_end_before_start_refused(self):
        self.assertRefused(
            lambda: make_visit(start_date=D(2020, 5, 2), end_date=D(2020, 5, 1))
        )

    def test_end_without_start_refused(self):
        self.assertRefused(lambda: make_visit(start_date=None, end_date=D(2020, 5, 1)))

    def test_undated_visit_allowed(self):
        visit = make_visit(start_date=None, date_note="The source gives no dates.")
        self.assertIsNone(visit.contact_day)

    def test_one_head_per_delegation(self):
        DelegationMember.objects.create(
            visit=self.visit, title_at_time="Mayor", role=DelegationRole.HEAD
        )
        self.assertRefused(
            lambda: DelegationMember.objects.create(
                visit=self.visit, title_at_time="Deputy", role=DelegationRole.HEAD
            )
        )

    def test_member_known_by_person_or_title(self):
        self.assertRefused(
            lambda: DelegationMember.objects.create(visit=self.visit, title_at_time="")
        )
        member = DelegationMember.objects.create(
            visit=self.visit, title_at_time="Vice Chairman of the Voronezh City Duma"
        )
        self.assertEqual(str(member), "Vice Chairman of the Voronezh City Duma")
        person = make_person(name="Ivan Petrov")
        member = DelegationMember.objects.create(
            visit=self.visit, person=person, title_at_time="Deputy Mayor"
        )
        self.assertEqual(str(member), "Ivan Petrov, Deputy Mayor")

    def test_validation_messages(self):
        visit = Visit(
            direction=Direction.INBOUND,
            partner_city=self.visit.partner_city,
            home_party=self.visit.home_party,
            start_date=D(2020, 5, 2),
            end_date=D(2020, 5, 1),
        )
        with self.assertRaises(ValidationError) as caught:
            visit.full_clean()
        self.assertIn("end_date", caught.exception.message_dict)

    def test_future_visit_cannot_be_completed(self):
        visit = Visit(
            direction=Direction.OUTBOUND,
            partner_city=self.visit.partner_city,
            home_party=self.visit.home_party,
            status=VisitStatus.COMPLETED,
            start_date=timezone.localdate() + datetime.timedelta(days=10),
        )
        with self.assertRaises(ValidationError) as caught:
            visit.full_clean()
        self.assertIn("status", caught.exception.message_dict)
        visit.status = VisitStatus.PLANNED
        visit.full_clean()

    def test_display_title_says_who_went_where(self):
        home = make_home()
        partner = make_city(name="Voronezh")
        inbound = make_visit(partner_city=partner, start_date=D(2019, 5, 14))
        self.assertEqual(
            str(inbound), "Delegation from Voronezh to Chongqing, 14 May 2019"
        )
        in_may = make_visit(
            partner_city=partner, start_date=D(2027, 5, 1), date_precision="month"
        )
        self.assertEqual(str(in_may), "Delegation from Voronezh to Chongqing, May 2027")
        with translation.override("zh-hans"):
            self.assertTrue(str(in_may).endswith("2027年5月"))
        with translation.override("ru"):
            self.assertTrue(str(in_may).endswith("май 2027 г."))
        outbound = make_visit(
            partner_city=partner, direction=Direction.OUTBOUND, start_date=None
        )
        self.assertEqual(str(outbound), f"Delegation from {home.name} to Voronezh")


class CollaborationConstraintTests(ConstraintTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.collaboration = make_collaboration()

    def test_participant_is_an_institution_or_described(self):
        self.assertRefused(
            lambda: CollaborationParticipant.objects.create(
                collaboration=self.collaboration, side=Side.PARTNER
            )
        )
        described = CollaborationParticipant.objects.create(
            collaboration=self.collaboration,
            side=Side.PARTNER,
            description="Voronezh news agencies",
        )
        self.assertEqual(str(described), "Voronezh news agencies")

    def test_institution_on_the_wrong_side_is_invalid(self):
        hospital = make_institution(city=self.home)
        participant = CollaborationParticipant(
            collaboration=self.collaboration, institution=hospital, side=Side.PARTNER
        )
        with self.assertRaises(ValidationError) as caught:
            participant.full_clean()
        self.assertIn("side", caught.exception.message_dict)

    def test_end_before_start_refused(self):
        self.assertRefused(
            lambda: make_collaboration(started_on=D(2020, 1, 1), ended_on=D(2019, 1, 1))
        )

    def test_activity_belongs_somewhere(self):
        self.assertRefused(
            lambda: Activity.objects.create(kind="exhibition", title="Floating")
        )


class ProtectTests(TestCase):
    """Deleting a record others depend on is refused, never cascaded."""

    @classmethod
    def setUpTestData(cls):
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(partner=cls.partner)
        cls.hospital = make_institution(city=cls.partner)
        cls.collaboration = make_collaboration(
            agreement=cls.agreement, participants=[cls.hospital]
        )
        cls.person = make_person(city=cls.partner)
        cls.visit = make_visit(
            partner_city=cls.partner, members=[{"person": cls.person}]
        )
        cls.activity = make_activity(visit=cls.visit, collaboration=cls.collaboration)

    def assertProtected(self, obj):
        with self.assertRaises(ProtectedError), transaction.atomic():
            obj.delete()
        self.assertTrue(type(obj).objects.filter(pk=obj.pk).exists())

    def test_city_with_agreements_visits_and_institutions(self):
        self.assertProtected(self.partner)

    def test_home_municipality(self):
        self.assertProtected(make_home())

    def test_agreement_with_collaborations(self):
        self.assertProtected(self.agreement)

    def test_institution_in_a_collaboration(self):
        self.assertProtected(self.hospital)

    def test_collaboration_with_activities(self):
        self.assertProtected(self.collaboration)

    def test_visit_with_activities(self):
        self.assertProtected(self.visit)

    def test_person_in_a_delegation(self):
        self.assertProtected(self.person)

    def test_sector_in_use(self):
        self.assertProtected(Sector.objects.get(code="economy"))


class NameTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.voronezh = make_city(
            name="Voronezh", name_local="Воронеж", name_zh_hans="沃罗涅日", country="RU"
        )
        cls.toulouse = make_city(name="Toulouse", name_local="Toulouse", country="FR")

    def test_name_follows_the_reader(self):
        with translation.override("zh-hans"):
            self.assertEqual(self.voronezh.name, "沃罗涅日")
            self.assertEqual(self.toulouse.name, "Toulouse")
        with translation.override("ru"):
            # No Russian name recorded: English, not the local script.
            self.assertEqual(self.voronezh.name, "Voronezh")
        with translation.override("en"):
            self.assertEqual(self.voronezh.name, "Voronezh")

    def test_recorded_russian_name_wins(self):
        self.toulouse.name_ru = "Тулуза"
        with translation.override("ru"):
            self.assertEqual(self.toulouse.name, "Тулуза")

    def test_without_english_any_recorded_language_serves(self):
        city = City(name_zh_hans="沃罗涅日", name_ru="Воронеж")
        with translation.override("en"):
            self.assertEqual(city.name, "沃罗涅日")
        with translation.override("ru"):
            self.assertEqual(city.name, "Воронеж")

    def test_sector_names_are_translated(self):
        health = Sector.objects.get(code="healthcare")
        with translation.override("zh-hans"):
            self.assertEqual(str(health), "医疗卫生")
        with translation.override("ru"):
            self.assertEqual(str(health), "Здравоохранение")

    def test_reference_sectors(self):
        self.assertEqual(
            list(Sector.objects.values_list("code", flat=True)),
            [
                "economy",
                "healthcare",
                "education",
                "culture",
                "media",
                "science",
                "tourism",
                "sport",
                "youth",
                "government",
            ],
        )

    def test_city_url(self):
        self.voronezh.slug = "voronezh"
        self.assertEqual(self.voronezh.get_absolute_url(), "/partners/voronezh/")


class VisitSidesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")

    def test_sides_cannot_be_swapped(self):
        visit = Visit(
            direction=Direction.INBOUND,
            home_party=self.partner,
            partner_city=self.home,
        )
        with self.assertRaises(ValidationError) as caught:
            visit.full_clean()
        errors = caught.exception.message_dict
        self.assertIn("home_party", errors)
        self.assertIn("partner_city", errors)

    def test_a_district_may_host(self):
        visit = Visit(
            direction=Direction.INBOUND,
            home_party=make_district(name="Yuzhong"),
            partner_city=self.partner,
        )
        visit.full_clean()
