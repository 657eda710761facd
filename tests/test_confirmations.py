"""A partner confirms a record through a signed link: sending, the token's
checks, answers, the clerk's decisions through the publication rule, the
history, the reminders and the dashboard's count."""

import datetime
from unittest import mock

from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import TestCase, override_settings
from django.utils import timezone

from partnerships import confirmations, dashboard, reminders
from partnerships.accounts.roles import CLERK, OFFICIAL, PUBLISHER, setup_roles
from partnerships.models import ConfirmationRequest, Draft, PartnerContact
from partnerships.models.choices import (
    ConfirmationAnswer,
    ConfirmationStatus,
    DatePrecision,
    DelegationRole,
)
from partnerships.publication import approve
from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_contact,
    make_home,
    make_site_settings,
    make_user,
    make_visit,
)


def later(days):
    """``timezone.now`` as it will be in ``days`` days."""
    moment = timezone.now() + datetime.timedelta(days=days)
    return mock.patch("django.utils.timezone.now", return_value=moment)


class ConfirmationTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        make_site_settings(email="office@example.cn")
        cls.clerk = make_user("clerk", groups=[CLERK], email="clerk@example.cn")
        cls.publisher = make_user("publisher", groups=[PUBLISHER])
        cls.voronezh = make_city(name="Voronezh", name_ru="Воронеж")
        cls.contact = make_contact(city=cls.voronezh, language="ru")
        cls.visit = make_visit(
            home_party=make_home(),
            partner_city=cls.voronezh,
            title="Voronezh delegation",
            title_ru="Делегация Воронежа",
            programme="Talks at the city hall.",
            internal_notes="SECRET-NOTE do not show",
            members=[("Deputy Mayor", DelegationRole.HEAD), ("Adviser", "member")],
        )

    def send(self, record=None, contact=None, **kwargs):
        return confirmations.send(
            record or self.visit, contact or self.contact, self.clerk, **kwargs
        )

    def reasons(self, record=None):
        record = record or self.visit
        return list(
            record.history.order_by("history_date", "history_id").values_list(
                "history_change_reason", flat=True
            )
        )


class SendTests(ConfirmationTestCase):
    def test_the_contact_gets_a_link_in_their_language(self):
        request = self.send(message="Просим проверить.")
        [email] = mail.outbox
        self.assertEqual(email.to, ["relations@example.ru"])
        self.assertEqual(email.reply_to, ["office@example.cn"])
        self.assertIn(f"http://localhost:8000/ru/confirm/{request.token}/", email.body)
        self.assertIn("Просим проверить.", email.body)
        self.assertIn("Делегация Воронежа", email.subject)
        # Only the hash is kept.
        self.assertEqual(request.token_hash, confirmations.token_hash(request.token))
        self.assertFalse(
            ConfirmationRequest.objects.filter(token_hash=request.token).exists()
        )
        self.assertEqual(request.language, "ru")
        self.assertEqual(request.status, ConfirmationStatus.AWAITING)
        self.assertEqual(
            (request.expires_at - request.sent_at), datetime.timedelta(days=30)
        )

    def test_a_link_from_the_admin_starts_with_its_address(self):
        request = self.send(base_url="https://partners.example.org/")
        self.assertIn(
            f"https://partners.example.org/ru/confirm/{request.token}/",
            mail.outbox[0].body,
        )

    @override_settings(PARTNERSHIPS_CONFIRMATION_DAYS=3)
    def test_the_expiry_is_a_setting(self):
        request = self.send()
        self.assertEqual(request.expires_at - request.sent_at, datetime.timedelta(3))

    def test_another_citys_contact_is_refused(self):
        other = make_contact(city=make_city(name="Kazan"))
        with self.assertRaises(ValidationError) as refused:
            self.send(contact=other)
        self.assertIn(
            "only a contact of the record's partner city", str(refused.exception)
        )
        self.assertFalse(ConfirmationRequest.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_collaborations_partner_is_its_agreements(self):
        agreement = make_agreement(partner=self.voronezh)
        collaboration = make_collaboration(agreement=agreement)
        request = self.send(record=collaboration)
        self.assertEqual(request.collaboration, collaboration)
        with self.assertRaises(ValidationError):
            self.send(record=make_collaboration())

    def test_sending_again_revokes_the_earlier_link(self):
        first = self.send()
        second = self.send()
        first.refresh_from_db()
        self.assertEqual(first.status, ConfirmationStatus.REVOKED)
        self.assertEqual(second.status, ConfirmationStatus.AWAITING)
        with self.assertRaises(confirmations.LinkRevoked):
            confirmations.open_token(first.token)

    def test_one_awaiting_request_per_record_and_contact(self):
        request = self.send()
        with self.assertRaises(IntegrityError), transaction.atomic():
            ConfirmationRequest.objects.create(
                visit=self.visit,
                contact=self.contact,
                language="ru",
                sent_by=self.clerk,
                sent_at=request.sent_at,
                expires_at=request.expires_at,
                token_hash="x" * 64,
            )

    def test_a_record_or_contact_with_requests_is_not_deleted(self):
        self.send()
        with self.assertRaises(ProtectedError):
            self.visit.delete()
        with self.assertRaises(ProtectedError):
            self.contact.delete()

    def test_revoke_and_resend(self):
        request = self.send()
        confirmations.revoke(request, self.clerk)
        with self.assertRaises(ValidationError):
            confirmations.revoke(request, self.clerk)
        fresh = confirmations.resend(request, self.clerk)
        self.assertNotEqual(fresh.token, request.token)
        self.assertEqual(confirmations.open_token(fresh.token), fresh)

    def test_contacts_keep_their_history(self):
        contact = make_contact(city=self.voronezh)
        contact.language = "en"
        contact.save()
        self.assertEqual(contact.history.count(), 2)
        self.assertEqual(PartnerContact.objects.filter(city=self.voronezh).count(), 2)


class TokenTests(ConfirmationTestCase):
    def test_a_good_token_opens_its_request(self):
        request = self.send()
        opened = confirmations.open_token(request.token)
        self.assertEqual(opened, request)
        self.assertIsNotNone(opened.opened_at)

    def test_one_character_changed_in_the_signature(self):
        token = self.send().token
        last = "A" if token[-1] != "A" else "B"
        with self.assertRaises(confirmations.LinkTampered):
            confirmations.open_token(token[:-1] + last)

    def test_garbage(self):
        for token in ("", "abc", "a:b:c", "x" * 500):
            with (
                self.subTest(token=token),
                self.assertRaises(confirmations.LinkTampered),
            ):
                confirmations.open_token(token)

    def test_another_requests_id_in_the_payload(self):
        mine = self.send()
        other_visit = make_visit(partner_city=self.voronezh, home_party=make_home())
        theirs = self.send(record=other_visit)
        payload = signing.loads(mine.token, salt=confirmations.SALT)
        # Swapped without the key: the signature no longer matches.
        swapped = {**payload, "r": theirs.pk, "o": other_visit.pk}
        forged = signing.dumps(swapped, salt="not-ours")
        with self.assertRaises(confirmations.LinkTampered):
            confirmations.open_token(forged)
        # Swapped with the key (a leaked secret): no request has that hash.
        resigned = signing.dumps(swapped, salt=confirmations.SALT)
        with self.assertRaises(confirmations.LinkUnknown):
            confirmations.open_token(resigned)

    def test_a_stored_hash_with_other_ids_is_refused(self):
        request = self.send()
        other = make_visit(partner_city=self.voronezh, home_party=make_home())
        ConfirmationRequest.objects.filter(pk=request.pk).update(visit=other)
        with self.assertRaises(confirmations.LinkTampered):
            confirmations.open_token(request.token)

    def test_expired(self):
        request = self.send()
        with later(31), self.assertRaises(confirmations.LinkExpired):
            confirmations.open_token(request.token)
        with later(29):
            self.assertEqual(confirmations.open_token(request.token), request)

    def test_revoked(self):
        request = self.send()
        confirmations.revoke(request, self.clerk)
        with self.assertRaises(confirmations.LinkRevoked):
            confirmations.open_token(request.token)

    def test_used_once(self):
        request = self.send()
        confirmations.answer(request, ConfirmationAnswer.CONFIRMED, "Irina", "Office")
        with self.assertRaises(confirmations.LinkUsed):
            confirmations.open_token(request.token)
        with self.assertRaises(confirmations.LinkUsed):
            confirmations.answer(request, ConfirmationAnswer.CONFIRMED, "I", "O")


class AnswerTests(ConfirmationTestCase):
    def test_a_confirmation_marks_the_record(self):
        self.assertIsNone(confirmations.confirmation_of(self.visit))
        request = self.send()
        confirmations.answer(
            request, ConfirmationAnswer.CONFIRMED, "Irina Petrova", "Voronezh IRD"
        )
        confirmation = confirmations.confirmation_of(self.visit)
        self.assertEqual(confirmation.respondent_office, "Voronezh IRD")
        self.assertIsNotNone(confirmation.used_at)
        with self.assertNumQueries(1):
            found = confirmations.confirmations_of([self.visit])
        self.assertEqual(found, {self.visit.pk: confirmation})

    def test_name_and_office_go_with_every_answer(self):
        request = self.send()
        for name, office in (("", "Office"), ("Irina", ""), ("  ", "  ")):
            with (
                self.subTest(name=name, office=office),
                self.assertRaises(ValidationError),
            ):
                confirmations.answer(request, ConfirmationAnswer.NOT_OURS, name, office)
        request.refresh_from_db()
        self.assertEqual(request.status, ConfirmationStatus.AWAITING)

    def test_a_correction_changes_nothing_until_decided(self):
        request = self.send()
        confirmations.answer(
            request,
            ConfirmationAnswer.CORRECTED,
            "Irina",
            "Voronezh IRD",
            comment="See below.",
            corrections={"programme": "Переговоры в мэрии."},
            members=[{"member": None, "name": "Иван Иванов", "title": "Советник"}],
        )
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.programme_en, "Talks at the city hall.")
        self.assertEqual(self.visit.programme_ru, "")
        self.assertEqual(self.visit.members.count(), 2)
        self.assertIsNone(confirmations.confirmation_of(self.visit))

    def test_internal_fields_cannot_be_corrected(self):
        request = self.send()
        with self.assertRaises(ValidationError):
            confirmations.answer(
                request,
                ConfirmationAnswer.CORRECTED,
                "Irina",
                "Office",
                corrections={"internal_notes": "x"},
            )

    def test_a_member_of_another_visit_cannot_be_corrected(self):
        other = make_visit(members=[("Mayor", DelegationRole.HEAD)])
        request = self.send()
        with self.assertRaises(ValidationError):
            confirmations.answer(
                request,
                ConfirmationAnswer.CORRECTED,
                "Irina",
                "Office",
                members=[{"member": other.members.get().pk, "title": "x"}],
            )

    def test_every_step_is_in_the_records_history_without_the_token(self):
        first = self.send()
        confirmations.revoke(first, self.clerk)
        request = confirmations.resend(first, self.clerk)
        confirmations.answer(request, ConfirmationAnswer.NOT_OURS, "Irina", "Office")
        reasons = [reason for reason in self.reasons() if reason]
        self.assertEqual(len(reasons), 4)
        for reason in reasons:
            self.assertIn(f"contact #{self.contact.pk}", reason)
            self.assertNotIn(first.token, reason)
            self.assertNotIn(request.token, reason)
        self.assertIn(f"request #{first.pk}", reasons[0])
        self.assertIn(f"request #{request.pk}", reasons[3])
        self.assertIn("Not their delegation", reasons[3])
        latest = self.visit.history.latest("history_date")
        self.assertIsNone(latest.history_user)


class DecideTests(ConfirmationTestCase):
    def answered(self, **kwargs):
        request = self.send()
        kwargs.setdefault("corrections", {"programme": "Переговоры в мэрии."})
        return confirmations.answer(
            request, ConfirmationAnswer.CORRECTED, "Irina", "Voronezh IRD", **kwargs
        )

    def test_on_a_live_visit_a_clerk_makes_a_draft(self):
        head = self.visit.members.get(role=DelegationRole.HEAD)
        request = self.answered(
            corrections={
                "programme": "Переговоры в мэрии.",
                "start_date": "май 2019",
                "outcomes": "rejected text",
            },
            members=[{"member": head.pk, "name": "", "title": "Первый заместитель"}],
        )
        draft, by_hand = confirmations.decide(
            request, self.clerk, ["programme", "start_date", "member:0"], ["outcomes"]
        )
        self.assertIsInstance(draft, Draft)
        self.assertEqual(by_hand, [])
        self.visit.refresh_from_db()
        head.refresh_from_db()
        # The live record is unchanged.
        self.assertEqual(self.visit.programme_ru, "")
        self.assertEqual(self.visit.start_date, datetime.date(2019, 5, 14))
        self.assertEqual(head.title_at_time_ru, "")
        self.assertEqual(
            draft.proposed["fields"]["programme_ru"], "Переговоры в мэрии."
        )
        self.assertEqual(
            draft.proposed["fields"]["date_precision"], DatePrecision.MONTH
        )
        self.assertNotIn("outcomes_ru", draft.proposed["fields"])
        request.refresh_from_db()
        self.assertEqual(
            request.decisions,
            {
                "programme": "accepted",
                "start_date": "accepted",
                "member:0": "accepted",
                "outcomes": "rejected",
            },
        )
        # A Publisher's approval makes it live.
        approve(draft, self.publisher)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.programme_ru, "Переговоры в мэрии.")
        self.assertEqual(
            self.visit.members.get(role=DelegationRole.HEAD).title_at_time_ru,
            "Первый заместитель",
        )

    def test_a_member_whose_row_was_replaced_since_is_changed_by_hand(self):
        head = self.visit.members.get(role=DelegationRole.HEAD)
        change = {"member": head.pk, "name": "", "title": "Первый заместитель"}
        first = self.answered(members=[change])
        second_request = confirmations.send(self.visit, self.contact, self.clerk)
        second = confirmations.answer(
            second_request,
            "corrected",
            "Irina Petrova",
            "Voronezh IRD",
            members=[{**change, "title": "Заместитель мэра"}],
        )
        # The first answer's change, approved, rewrites the delegation's rows.
        draft, _by_hand = confirmations.decide(first, self.clerk, ["member:0"], [])
        approve(draft, self.publisher)
        self.assertFalse(self.visit.members.filter(pk=head.pk).exists())
        # The second answer names a row that is gone: no crash, no guess.
        draft, by_hand = confirmations.decide(second, self.clerk, ["member:0"], [])
        self.assertIsNone(draft)
        self.assertEqual(by_hand, ["member:0"])
        second.refresh_from_db()
        self.assertEqual(second.decisions, {"member:0": "accepted"})
        self.assertEqual(
            self.visit.members.get(role=DelegationRole.HEAD).title_at_time_ru,
            "Первый заместитель",
        )

    def test_a_publisher_changes_the_record_at_once(self):
        request = self.answered(
            members=[{"member": None, "name": "Иван Иванов", "title": "Советник"}]
        )
        draft, _by_hand = confirmations.decide(
            request, self.publisher, ["programme", "member:0"], []
        )
        self.assertIsNone(draft)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.programme_ru, "Переговоры в мэрии.")
        added = self.visit.members.get(person__name_ru="Иван Иванов")
        self.assertEqual(added.title_at_time_ru, "Советник")
        self.assertEqual(added.person.city, self.voronezh)

    def test_an_unpublished_visit_is_changed_by_a_clerk(self):
        self.visit.published = False
        self.visit.save()
        request = self.answered()
        draft, _by_hand = confirmations.decide(request, self.clerk, ["programme"], [])
        self.assertIsNone(draft)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.programme_ru, "Переговоры в мэрии.")
        self.assertEqual(self.visit.internal_notes, "SECRET-NOTE do not show")

    def test_sectors_are_changed_by_hand(self):
        request = self.answered(corrections={"sectors": "Education"})
        draft, by_hand = confirmations.decide(request, self.clerk, ["sectors"], [])
        self.assertEqual((draft, by_hand), (None, ["sectors"]))

    def test_unknown_or_repeated_decisions_are_refused(self):
        request = self.answered()
        with self.assertRaises(ValidationError):
            confirmations.decide(request, self.clerk, ["internal_notes"], [])
        with self.assertRaises(ValidationError):
            confirmations.decide(request, self.clerk, ["programme"], ["programme"])
        confirmations.decide(request, self.clerk, [], ["programme"])
        with self.assertRaises(ValidationError):
            confirmations.decide(request, self.clerk, ["programme"], [])

    def test_the_decision_is_in_the_history(self):
        request = self.answered()
        confirmations.decide(request, self.clerk, ["programme"], [])
        latest = self.visit.history.latest("history_date")
        self.assertIn("1 accepted, 0 rejected", latest.history_change_reason)
        self.assertEqual(latest.history_user, self.clerk)


class RemindersTests(ConfirmationTestCase):
    def test_awaiting_longer_than_fourteen_days(self):
        request = self.send()
        self.assertEqual(list(confirmations.awaiting_longer_than(14)), [])
        with later(15):
            self.assertEqual(list(confirmations.awaiting_longer_than(14)), [request])
            self.assertEqual(confirmations.counts(), {"awaiting": 1, "overdue": 1})
        with later(31):
            # Expired: no longer awaited (it can be re-sent).
            self.assertEqual(list(confirmations.awaiting_longer_than(14)), [])
        self.assertEqual(
            dashboard.build()["confirmations"], {"awaiting": 1, "overdue": 0}
        )

    def test_the_digest_lists_them_once(self):
        make_user("official", groups=[OFFICIAL], email="official@example.cn")
        self.send()
        today = timezone.localdate() + datetime.timedelta(days=15)
        digest = reminders.prepare(today)
        self.assertIn("Awaiting the partner's confirmation", digest.body)
        self.assertIn("Voronezh delegation", digest.body)
        reminders.send(digest)
        again = reminders.prepare(today)
        self.assertTrue(again is None or "Voronezh delegation" not in again.body)
