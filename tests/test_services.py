import datetime

import pytest
from django.test import TestCase
from django.utils import translation

from partnerships import services
from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles
from partnerships.models import City, Visit
from partnerships.models.choices import AgreementStatus, VisitStatus
from tests.factories import make_agreement, make_city, make_user, make_visit


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English texts, whatever an earlier test activated."""
    with translation.override("en"):
        yield


TODAY = datetime.date(2026, 6, 1)


class PublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[PUBLISHER])

    def test_set_published_changes_only_what_differs_and_keeps_history(self):
        hidden = make_city(published=False)
        shown = make_city(published=True)
        changed = services.set_published(
            City.objects.filter(pk__in=[hidden.pk, shown.pk]), True
        )
        self.assertEqual(changed, 1)
        hidden.refresh_from_db()
        self.assertTrue(hidden.published)
        self.assertEqual(hidden.history.count(), 2)

    def test_still_hidden_names_records_whose_city_is_unpublished(self):
        city = make_city(published=False)
        hidden = make_visit(partner_city=city, published=True)
        shown = make_visit(published=True)
        self.assertEqual(
            services.still_hidden(Visit.objects.filter(pk__in=[hidden.pk, shown.pk])),
            [hidden],
        )

    def test_keep_published_undoes_a_change_by_someone_who_may_not_publish(self):
        city = make_city(published=False)
        city.published = True
        services.keep_published(city, self.clerk)
        self.assertFalse(city.published)
        city.published = True
        services.keep_published(city, self.publisher)
        self.assertTrue(city.published)

    def test_a_new_record_by_someone_who_may_not_publish_starts_hidden(self):
        city = City(name="New", published=True)
        services.keep_published(city, self.clerk)
        self.assertFalse(city.published)


class MarkCompletedTests(TestCase):
    def test_future_and_cancelled_visits_are_refused(self):
        past = make_visit(status=VisitStatus.PLANNED, start_date=TODAY)
        undated = make_visit(status=VisitStatus.PLANNED, start_date=None)
        future = make_visit(
            status=VisitStatus.PLANNED, start_date=TODAY + datetime.timedelta(1)
        )
        cancelled = make_visit(status=VisitStatus.CANCELLED)
        done = make_visit(status=VisitStatus.COMPLETED)
        completed, refused, _drafted = services.mark_visits_completed(
            Visit.objects.all(), TODAY
        )
        self.assertCountEqual(completed, [past, undated])
        self.assertCountEqual(refused, [future, cancelled])
        self.assertEqual(
            set(Visit.objects.completed().values_list("pk", flat=True)),
            {past.pk, undated.pk, done.pk},
        )


class StatusHistoryTests(TestCase):
    def test_a_status_is_added_to_the_history_once(self):
        agreement = make_agreement()
        step = services.record_status_change(agreement, TODAY)
        self.assertEqual(
            (step.status, step.changed_on), (AgreementStatus.ACTIVE, TODAY)
        )
        self.assertIsNone(services.record_status_change(agreement, TODAY))
        self.assertEqual(agreement.status_changes.count(), 1)

    def test_an_ended_agreement_is_dated_by_its_end(self):
        agreement = make_agreement(
            status=AgreementStatus.ENDED,
            ended_on=datetime.date(2015, 1, 1),
            end_reason="Lapsed",
        )
        step = services.record_status_change(agreement)
        self.assertEqual(step.changed_on, datetime.date(2015, 1, 1))

    def test_a_newly_entered_agreement_is_active_from_its_signing(self):
        agreement = make_agreement(signed_on=datetime.date(1993, 10, 20))
        step = services.record_status_change(agreement, new=True)
        self.assertEqual(step.changed_on, datetime.date(1993, 10, 20))

    def test_a_newly_entered_proposal_is_left_undated(self):
        agreement = make_agreement(status=AgreementStatus.PROPOSED, signed_on=None)
        step = services.record_status_change(agreement, new=True)
        self.assertIsNone(step.changed_on)
