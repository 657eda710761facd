"""Only a Publisher decides what is public, in the admin."""

import tempfile

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from partnerships import dashboard
from partnerships.models import (
    AgreementStatusChange,
    Draft,
)
from tests.admin.helpers import (
    change_form_data,
    change_url,
    initial_data,
)
from tests.factories import (
    make_agreement,
    make_head,
    make_home,
    make_institution,
    make_user,
    make_visit,
)


class ClerkChangesArePublishedByAPublisherTests(TestCase):
    """A change by someone who may not publish waits as a draft; the published
    record stays live as approved."""

    @classmethod
    def setUpTestData(cls):
        from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles

        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        cls.home = make_home()
        cls.visit = make_visit(home_party=cls.home, public_summary="Talks.")
        make_head(cls.visit)
        cls.institution = make_institution(aliases=["VSU"])

    def save(self, user, obj, **changes):
        self.client.force_login(user)
        response = self.client.get(change_url(obj))
        data = change_form_data(response)
        data.update(changes)
        response = self.client.post(change_url(obj), data, follow=True)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("adminform", response.context or {})
        obj.refresh_from_db()
        return " ".join(str(m) for m in response.context["messages"])

    def test_a_clerks_change_to_public_content_waits_for_a_publisher(self):
        text = self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.assertTrue(self.visit.published)
        self.assertEqual(self.visit.public_summary, "Talks.")
        self.assertIn("waits for review", text)
        self.client.force_login(self.publisher)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "1 change waits for a Publisher")
        self.assertContains(response, f'href="{reverse("admin:review")}"')

    def test_the_change_page_tells_a_clerk_before_saving(self):
        notice = "waits as a draft for review"
        self.client.force_login(self.clerk)
        self.assertContains(self.client.get(change_url(self.visit)), notice)
        self.client.force_login(self.publisher)
        self.assertNotContains(self.client.get(change_url(self.visit)), notice)

    def test_a_clerks_new_alias_of_a_published_institution_waits_too(self):
        self.client.force_login(self.clerk)
        response = self.client.get(change_url(self.institution))
        data = change_form_data(response)
        data["aliases-TOTAL_FORMS"] = 2
        data["aliases-1-name"] = "Voronezh University"
        self.client.post(change_url(self.institution), data)
        self.institution.refresh_from_db()
        self.assertTrue(self.institution.published)
        self.assertEqual(self.institution.aliases.count(), 1)
        draft = Draft.objects.get()
        self.assertEqual(
            [row["name"] for row in draft.proposed["children"]["aliases"]],
            ["VSU", "Voronezh University"],
        )

    def test_internal_notes_alone_keep_the_record_published(self):
        self.save(self.clerk, self.visit, internal_notes="Ask about the gift.")
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_the_heads_level_is_the_offices_count_and_saves_at_once(self):
        self.save(self.clerk, self.visit, head_level="vice_mayor")
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)
        self.assertEqual(self.visit.head_level, "vice_mayor")
        self.assertFalse(Draft.objects.exists())

    @override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="publishing-test-"))
    def test_internal_fields_of_an_agreement_keep_it_published(self):
        """Its signed document, renewal date and status notes are the office's."""
        agreement = make_agreement(partner=self.visit.partner_city)
        AgreementStatusChange.objects.create(
            agreement=agreement, status=agreement.status
        )
        pdf = SimpleUploadedFile(
            "signed.pdf",
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n",
            content_type="application/pdf",
        )
        self.client.force_login(self.clerk)
        data = change_form_data(self.client.get(change_url(agreement)))
        data.update(
            {
                "renewal_due_on": "2028-10-20",
                "document": pdf,
                "status_changes-0-note": "Confirmed by letter.",
            }
        )
        response = self.client.post(change_url(agreement), data)
        self.assertEqual(response.status_code, 302)
        agreement.refresh_from_db()
        self.assertTrue(agreement.published)
        self.assertEqual(str(agreement.renewal_due_on), "2028-10-20")
        self.assertTrue(agreement.document)
        self.assertEqual(agreement.status_changes.get().note, "Confirmed by letter.")
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_a_publishers_change_stays_published(self):
        self.save(self.publisher, self.visit, public_summary_en="Talks on trade.")
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_approving_clears_the_waiting_list(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade and ports.")
        draft = Draft.objects.pending().get()
        self.assertEqual(
            draft.proposed["fields"], {"public_summary_en": "Talks on trade and ports."}
        )
        self.client.force_login(self.publisher)
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
        )
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)
        self.assertEqual(self.visit.public_summary, "Talks on trade and ports.")
        self.assertFalse(Draft.objects.pending().exists())

    def test_a_clerks_revert_of_a_published_record_waits_too(self):
        first = self.visit.history.earliest("history_date")
        self.visit.public_summary = "Later text."
        self.visit.save()
        self.client.force_login(self.clerk)
        revert = reverse(
            "admin:partnerships_visit_simple_history",
            args=[self.visit.pk, first.history_id],
        )
        data = initial_data(self.client.get(revert))
        self.assertEqual(self.client.post(revert, data).status_code, 302)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary, "Later text.")
        self.assertTrue(self.visit.published)
        self.assertEqual(
            Draft.objects.pending().get().proposed["fields"]["public_summary_en"],
            "Talks.",
        )
