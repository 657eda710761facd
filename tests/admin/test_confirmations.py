"""The Clerks' side of a partner's confirmation: the send page, the record's
panel, revoking and re-sending, deciding on each correction."""

import datetime

from django.core import mail
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from partnerships import confirmations
from partnerships.accounts.roles import CLERK, OFFICIAL, PUBLISHER, setup_roles
from partnerships.models import ConfirmationRequest, Draft, Visit
from partnerships.models.choices import ConfirmationStatus
from tests.factories import (
    make_agreement,
    make_city,
    make_collaboration,
    make_contact,
    make_home,
    make_user,
    make_visit,
)


@override_settings(LANGUAGE_CODE="en")
class ConfirmationAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("confirm-clerk", groups=[CLERK])
        cls.official = make_user("confirm-official", groups=[OFFICIAL])
        cls.publisher = make_user("confirm-publisher", groups=[PUBLISHER])
        home = make_home()
        cls.voronezh = make_city(name="Voronezh", slug="voronezh")
        cls.kazan = make_city(name="Kazan", slug="kazan")
        cls.agreement = make_agreement(home_party=home, partner=cls.voronezh)
        cls.visit = make_visit(
            partner_city=cls.voronezh,
            title="Duma delegation",
            members=[("Chairman of the Duma", "head")],
            internal_notes="Budget line 12",
        )
        cls.contact = make_contact(
            city=cls.voronezh, office="Voronezh international office"
        )
        cls.other = make_contact(city=cls.kazan, office="Kazan office")

    def setUp(self):
        self.client.force_login(self.clerk)

    def send_url(self, record=None, kind="visit"):
        record = record or self.visit
        return reverse(
            "admin:partnerships_confirmationrequest_send", args=[kind, record.pk]
        )

    def test_the_visits_page_offers_to_ask_the_partner(self):
        page = self.client.get(
            reverse("admin:partnerships_visit_change", args=[self.visit.pk])
        )
        self.assertContains(page, "Partner&#x27;s confirmation")
        self.assertContains(page, "Not sent to the partner yet.")
        self.assertContains(page, self.send_url())

    def test_send_offers_only_the_partners_contacts_and_sends(self):
        page = self.client.get(self.send_url())
        self.assertContains(page, "Voronezh international office")
        self.assertNotContains(page, "Kazan office")
        # Another city's contact is not a choice.
        refused = self.client.post(self.send_url(), {"contact": self.other.pk})
        self.assertEqual(refused.status_code, 200)
        self.assertFalse(ConfirmationRequest.objects.exists())
        response = self.client.post(
            self.send_url(), {"contact": self.contact.pk, "message": "Спасибо!"}
        )
        self.assertRedirects(
            response, reverse("admin:partnerships_visit_change", args=[self.visit.pk])
        )
        request = ConfirmationRequest.objects.get()
        self.assertEqual(request.message, "Спасибо!")
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("http://testserver/ru/confirm/", mail.outbox[0].body)
        page = self.client.get(response["Location"])
        self.assertContains(
            page, "Sent to Voronezh international office (Irina Petrova) on"
        )
        self.assertContains(page, "awaiting confirmation")

    def test_only_who_may_send(self):
        self.client.force_login(self.official)
        self.assertEqual(self.client.get(self.send_url()).status_code, 403)
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(self.send_url(kind="city")).status_code, 404)

    def test_a_collaboration_is_sent_to_its_agreements_partner(self):
        collaboration = make_collaboration(agreement=self.agreement)
        page = self.client.get(self.send_url(collaboration, "collaboration"))
        self.assertContains(page, "Voronezh international office")

    def test_no_contact_yet_says_how_to_add_one(self):
        visit = make_visit(partner_city=self.kazan)
        self.other.confirmation_requests.all().delete()
        from partnerships.models import PartnerContact

        PartnerContact.objects.filter(city=self.kazan).delete()
        page = self.client.get(
            reverse("admin:partnerships_visit_change", args=[visit.pk])
        )
        self.assertContains(page, "has no contact yet")

    def request_page(self, request):
        return reverse(
            "admin:partnerships_confirmationrequest_change", args=[request.pk]
        )

    def test_revoke_and_resend_from_the_requests_page(self):
        request = confirmations.send(self.visit, self.contact, self.clerk)
        page = self.client.get(self.request_page(request))
        self.assertContains(page, "Revoke the link")
        self.assertNotContains(page, request.token)
        self.client.post(self.request_page(request), {"action": "revoke"})
        request.refresh_from_db()
        self.assertEqual(request.status, ConfirmationStatus.REVOKED)
        response = self.client.post(self.request_page(request), {"action": "resend"})
        fresh = ConfirmationRequest.objects.exclude(pk=request.pk).get()
        self.assertRedirects(response, self.request_page(fresh))
        self.assertEqual(fresh.status, ConfirmationStatus.AWAITING)
        self.assertEqual(len(mail.outbox), 2)

    def test_an_official_reads_but_does_not_act(self):
        request = confirmations.send(self.visit, self.contact, self.clerk)
        self.client.force_login(self.official)
        page = self.client.get(self.request_page(request))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, "Revoke the link")
        response = self.client.post(self.request_page(request), {"action": "revoke"})
        self.assertEqual(response.status_code, 403)

    def answered(self):
        request = confirmations.send(self.visit, self.contact, self.clerk)
        member = self.visit.members.get()
        return confirmations.answer(
            request,
            "corrected",
            "Ирина Петрова",
            "Управление международных связей",
            comment="Уточнение должности",
            corrections={"title": "Делегация Думы"},
            members=[{"member": member.pk, "name": "", "title": "Председатель Думы"}],
        )

    def test_each_correction_beside_the_record_and_decided_one_by_one(self):
        request = self.answered()
        page = self.client.get(self.request_page(request))
        for text in (
            "Уточнение должности",
            "Ирина Петрова, Управление международных связей",
            "Duma delegation",
            "Делегация Думы",
            "Председатель Думы",
            'name="decision-title"',
            'name="decision-member:0"',
        ):
            self.assertContains(page, text)
        self.assertNotContains(page, "Budget line 12")
        # The visit is live and a Clerk may not publish: the title waits as a
        # draft, the member's title is rejected.
        self.client.post(
            self.request_page(request),
            {
                "action": "decide",
                "decision-title": "accepted",
                "decision-member:0": "rejected",
            },
        )
        request.refresh_from_db()
        self.assertEqual(
            request.decisions, {"title": "accepted", "member:0": "rejected"}
        )
        self.assertEqual(Visit.objects.get().title_ru, "")
        draft = Draft.objects.pending().get()
        self.assertEqual(draft.proposed["fields"], {"title_ru": "Делегация Думы"})
        page = self.client.get(self.request_page(request))
        self.assertNotContains(page, 'name="decision-title"')

    def test_the_panel_says_confirmed_by(self):
        request = confirmations.send(self.visit, self.contact, self.clerk)
        confirmations.answer(request, "confirmed", "Ирина", "Voronezh city hall")
        page = self.client.get(
            reverse("admin:partnerships_visit_change", args=[self.visit.pk])
        )
        self.assertContains(page, "Confirmed by Voronezh city hall")

    def test_requests_are_never_deleted_or_added_by_hand(self):
        confirmations.send(self.visit, self.contact, self.clerk)
        self.client.force_login(make_user("confirm-super", is_superuser=True))
        changelist = self.client.get(
            reverse("admin:partnerships_confirmationrequest_changelist")
        )
        self.assertEqual(changelist.status_code, 200)
        self.assertNotContains(
            changelist, reverse("admin:partnerships_confirmationrequest_add")
        )

    def test_the_dashboard_counts_and_the_list_filters_what_waits(self):
        old = confirmations.send(self.visit, self.contact, self.clerk)
        ConfirmationRequest.objects.filter(pk=old.pk).update(
            sent_at=timezone.now() - datetime.timedelta(days=15)
        )
        other = make_contact(city=self.voronezh, office="Voronezh mayor's office")
        fresh = confirmations.send(self.visit, other, self.clerk)
        page = self.client.get(reverse("admin:index"))
        card = page.content.decode().split('class="fa-card fa-confirmations"')[1]
        card = card.split("</div>")[0]
        self.assertIn('<span class="fa-number">2</span> awaiting the partner', card)
        self.assertIn('<span class="fa-number">1</span> for more than 14 days', card)
        changelist = reverse("admin:partnerships_confirmationrequest_changelist")
        overdue = self.client.get(changelist + "?waiting=overdue")
        self.assertEqual([r.pk for r in overdue.context["cl"].result_list], [old.pk])
        awaiting = self.client.get(changelist + "?waiting=awaiting")
        self.assertEqual(
            {r.pk for r in awaiting.context["cl"].result_list}, {old.pk, fresh.pk}
        )
