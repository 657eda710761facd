"""The visibility rules and derived facts, as the querysets and models state them."""

import datetime

from django.test import TestCase, override_settings

from partnerships.models import (
    Activity,
    Agreement,
    City,
    Collaboration,
    CollaborationParticipant,
    Institution,
    Visit,
)
from partnerships.models.choices import AgreementStatus, Direction, VisitStatus
from tests.factories import (
    make_activity,
    make_agreement,
    make_city,
    make_collaboration,
    make_district,
    make_home,
    make_institution,
    make_visit,
)

D = datetime.date


class PublishedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.public_city = make_city(name="Voronezh")
        cls.hidden_city = make_city(name="Hidden", published=False)
        cls.public_agreement = make_agreement(partner=cls.public_city)
        cls.draft_agreement = make_agreement(partner=make_city(), published=False)
        cls.hidden_city_agreement = make_agreement(partner=cls.hidden_city)
        cls.public_visit = make_visit(partner_city=cls.public_city)
        cls.draft_visit = make_visit(partner_city=cls.public_city, published=False)
        cls.hidden_city_visit = make_visit(partner_city=cls.hidden_city)
        cls.public_collaboration = make_collaboration(agreement=cls.public_agreement)
        cls.draft_collaboration = make_collaboration(
            agreement=cls.public_agreement, published=False
        )
        cls.under_draft_agreement = make_collaboration(agreement=cls.draft_agreement)
        cls.public_institution = make_institution(city=cls.public_city)
        cls.draft_institution = make_institution(city=cls.public_city, published=False)
        cls.hidden_city_institution = make_institution(city=cls.hidden_city)

    def test_cities(self):
        published = City.objects.published()
        self.assertIn(self.public_city, published)
        self.assertNotIn(self.hidden_city, published)

    def test_agreements_hide_with_either_city(self):
        self.assertEqual(set(Agreement.objects.published()), {self.public_agreement})

    def test_visits_hide_with_their_city(self):
        self.assertEqual(set(Visit.objects.published()), {self.public_visit})

    def test_collaborations_hide_with_their_agreement(self):
        self.assertEqual(
            set(Collaboration.objects.published()), {self.public_collaboration}
        )

    def test_institutions_hide_with_their_city(self):
        self.assertEqual(
            set(Institution.objects.published()), {self.public_institution}
        )

    def test_participants_name_only_published_institutions(self):
        collaboration = self.public_collaboration
        for institution in (self.public_institution, self.draft_institution):
            CollaborationParticipant.objects.create(
                collaboration=collaboration, institution=institution, side="partner"
            )
        CollaborationParticipant.objects.create(
            collaboration=collaboration, description="news agencies", side="partner"
        )
        shown = collaboration.participants.published()
        self.assertEqual(
            {str(participant) for participant in shown},
            {self.public_institution.name, "news agencies"},
        )

    def test_activities_hide_with_their_collaboration_or_visit(self):
        shown = make_activity(collaboration=self.public_collaboration)
        make_activity(collaboration=self.draft_collaboration)
        make_activity(visit=self.draft_visit)
        make_activity(collaboration=self.public_collaboration, published=False)
        make_activity(
            collaboration=self.public_collaboration, visit=self.hidden_city_visit
        )
        self.assertEqual(set(Activity.objects.published()), {shown})

    def test_partners_of_home(self):
        district = make_district(name="Yuzhong")
        by_district = make_city(name="Signed by a district")
        make_agreement(home_party=district, partner=by_district)
        # A pair between two foreign cities (e.g. from the EU registry) is not ours.
        make_agreement(home_party=make_city(), partner=make_city(name="Elsewhere"))
        self.assertEqual(
            set(City.objects.partners_of_home()), {self.public_city, by_district}
        )


class VisitQuerySetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.today = D(2026, 11, 28)
        cls.inbound = make_visit(direction=Direction.INBOUND)
        cls.outbound = make_visit(direction=Direction.OUTBOUND)
        cls.next_week = make_visit(
            status=VisitStatus.PLANNED, start_date=D(2026, 12, 5)
        )
        cls.today_visit = make_visit(status=VisitStatus.PLANNED, start_date=cls.today)
        cls.undated_plan = make_visit(status=VisitStatus.PLANNED, start_date=None)
        cls.cancelled = make_visit(
            status=VisitStatus.CANCELLED, start_date=D(2026, 12, 6)
        )

    def test_direction(self):
        self.assertIn(self.inbound, Visit.objects.inbound())
        self.assertNotIn(self.outbound, Visit.objects.inbound())
        self.assertIn(self.outbound, Visit.objects.outbound())
        self.assertNotIn(self.inbound, Visit.objects.outbound())

    def test_upcoming(self):
        self.assertEqual(
            set(Visit.objects.upcoming(self.today)), {self.next_week, self.today_visit}
        )

    def test_a_month_or_year_not_over_is_still_upcoming(self):
        this_month = make_visit(
            status=VisitStatus.PLANNED,
            start_date=D(2026, 11, 1),
            date_precision="month",
        )
        this_year = make_visit(
            status=VisitStatus.PLANNED, start_date=D(2026, 1, 1), date_precision="year"
        )
        last_month = make_visit(
            status=VisitStatus.PLANNED,
            start_date=D(2026, 10, 1),
            date_precision="month",
        )
        upcoming = set(Visit.objects.upcoming(self.today))
        self.assertLessEqual({this_month, this_year}, upcoming)
        self.assertNotIn(last_month, upcoming)

    def test_in_period(self):
        long_visit = make_visit(start_date=D(2020, 12, 30), end_date=D(2021, 1, 3))
        found = Visit.objects.in_period(D(2021, 1, 1), D(2021, 12, 31))
        self.assertEqual(set(found), {long_visit})

    def test_past_is_every_visit_not_upcoming(self):
        """A partner page's timeline: done, cancelled, undated plans, and plans
        for a day gone by; never what is still ahead."""
        overdue_plan = make_visit(status=VisitStatus.PLANNED, start_date=D(2026, 3, 1))
        past = set(Visit.objects.past(self.today))
        self.assertEqual(
            past,
            {
                self.inbound,
                self.outbound,
                self.undated_plan,
                self.cancelled,
                overdue_plan,
            },
        )
        self.assertEqual(
            past | set(Visit.objects.upcoming(self.today)), set(Visit.objects.all())
        )

    def test_of_partner_is_with_the_home_side(self):
        partner = make_city()
        ours = make_visit(partner_city=partner)
        make_visit(partner_city=partner, home_party=make_district())
        self.assertIn(ours, Visit.objects.of_partner(partner))
        self.assertEqual(Visit.objects.of_partner(partner).count(), 2)


class ActivityQuerySetTests(TestCase):
    def test_upcoming_is_dated_and_still_ahead(self):
        today = D(2026, 11, 28)
        ahead = make_activity(start_date=D(2027, 5, 1), date_precision="month")
        this_month = make_activity(start_date=D(2026, 11, 1), date_precision="month")
        make_activity(start_date=D(2026, 10, 1), date_precision="month")
        make_activity(start_date=None)
        self.assertEqual(set(Activity.objects.upcoming(today)), {ahead, this_month})

    def test_of_partner_by_collaboration_or_visit(self):
        partner = make_city()
        agreement = make_agreement(partner=partner)
        under_collaboration = make_activity(
            collaboration=make_collaboration(agreement=agreement)
        )
        during_visit = make_activity(visit=make_visit(partner_city=partner))
        make_activity()
        self.assertEqual(
            set(Activity.objects.of_partner(partner)),
            {under_collaboration, during_visit},
        )


class DerivedFactsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(partner=cls.partner, signed_on=D(1993, 10, 20))
        make_visit(partner_city=cls.partner, start_date=None)  # undated: no contact
        make_visit(
            partner_city=cls.partner,
            start_date=D(2022, 6, 1),
            end_date=D(2022, 6, 5),
        )
        make_visit(partner_city=cls.partner, start_date=D(2018, 1, 1))
        make_visit(
            partner_city=cls.partner,
            status=VisitStatus.CANCELLED,
            start_date=D(2024, 1, 1),
        )
        make_visit(
            partner_city=cls.partner,
            status=VisitStatus.PLANNED,
            start_date=D(2027, 1, 1),
        )
        make_visit(start_date=D(2025, 1, 1))  # another partner

    def test_years_since_signing(self):
        self.assertEqual(self.agreement.years_since_signing(D(2024, 3, 20)), 30)
        self.assertEqual(self.agreement.years_since_signing(D(2023, 10, 19)), 29)

    def test_next_round_anniversary(self):
        self.assertEqual(
            self.agreement.next_round_anniversary(D(2024, 3, 20)),
            (D(2028, 10, 20), 35),
        )

    @override_settings(PARTNERSHIPS_ROUND_ANNIVERSARY_STEP=10)
    def test_round_step_is_a_setting(self):
        self.assertEqual(
            self.agreement.next_round_anniversary(D(2024, 3, 20)),
            (D(2033, 10, 20), 40),
        )

    def test_last_contact_is_the_last_day_of_the_latest_completed_visit(self):
        self.assertEqual(self.agreement.get_last_contact(), D(2022, 6, 5))

    def test_annotation_agrees_with_the_method(self):
        annotated = Agreement.objects.with_last_contact().get(pk=self.agreement.pk)
        self.assertEqual(annotated.last_contact, D(2022, 6, 5))
        with self.assertNumQueries(0):
            self.assertEqual(annotated.get_last_contact(), D(2022, 6, 5))

    def test_gone_quiet(self):
        self.assertFalse(self.agreement.has_gone_quiet(D(2025, 6, 5)))
        self.assertTrue(self.agreement.has_gone_quiet(D(2025, 6, 6)))

    @override_settings(PARTNERSHIPS_QUIET_AFTER_YEARS=5)
    def test_quiet_period_is_a_setting(self):
        self.assertFalse(self.agreement.has_gone_quiet(D(2026, 6, 6)))

    def test_only_undated_visits_count_as_no_contact(self):
        partner = make_city()
        agreement = make_agreement(partner=partner, signed_on=D(2000, 2, 29))
        make_visit(partner_city=partner, start_date=None)
        self.assertIsNone(agreement.get_last_contact())
        self.assertTrue(agreement.has_gone_quiet(D(2026, 11, 28)))

    def test_unknown_signing_date(self):
        agreement = make_agreement(signed_on=None)
        self.assertIsNone(agreement.years_since_signing(D(2026, 1, 1)))
        self.assertIsNone(agreement.next_round_anniversary(D(2026, 1, 1)))

    def test_ended_or_suspended_agreement_is_not_quiet(self):
        agreement = make_agreement(status=AgreementStatus.SUSPENDED)
        self.assertFalse(agreement.has_gone_quiet(D(2026, 11, 28)))

    def test_active(self):
        ended = make_agreement(
            status=AgreementStatus.ENDED,
            ended_on=D(2010, 1, 1),
            end_reason="Not renewed",
        )
        self.assertIn(self.agreement, Agreement.objects.active())
        self.assertNotIn(ended, Agreement.objects.active())
