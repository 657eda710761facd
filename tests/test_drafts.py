"""A live record stays as approved; a change to what the public sees waits as a
draft for a Publisher, who approves it or sends it back."""

import io

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships import publication
from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles
from partnerships.models import DelegationMember, Draft, DraftStatus, Sector, Visit
from partnerships.models.partial_dates import iso
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import VisitResource
from tests.admin.helpers import change_form_data, change_url
from tests.factories import make_agreement, make_head, make_home, make_user, make_visit


class DraftTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK], email="clerk@example.org")
        cls.other_clerk = make_user("clerk2", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        cls.visit = make_visit(
            home_party=make_home(), public_summary="Talks.", title="Spring visit"
        )
        make_head(cls.visit)
        make_agreement(home_party=cls.visit.home_party, partner=cls.visit.partner_city)
        cls.page = cls.visit.partner_city.get_absolute_url()

    def save(self, user, obj, **changes):
        self.client.force_login(user)
        data = change_form_data(self.client.get(change_url(obj)))
        data.update(changes)
        response = self.client.post(change_url(obj), data, follow=True)
        self.assertNotIn("adminform", response.context or {}, "the form refused it")
        obj.refresh_from_db()
        return " ".join(str(m) for m in response.context["messages"])

    def public_page(self):
        self.client.logout()
        return self.client.get(self.page).content.decode()

    def test_a_clerks_change_waits_and_the_live_page_stays(self):
        said = self.save(
            self.clerk,
            self.visit,
            public_summary_en="Talks on trade.",
            internal_notes="Gift: a samovar.",
        )
        self.assertIn("waits for review", said)
        self.assertTrue(self.visit.published)
        self.assertEqual(self.visit.public_summary_en, "Talks.")
        # What needs no review saved at once.
        self.assertEqual(self.visit.internal_notes, "Gift: a samovar.")
        draft = Draft.objects.get()
        self.assertEqual(draft.status, DraftStatus.PENDING)
        self.assertEqual(
            draft.proposed["fields"], {"public_summary_en": "Talks on trade."}
        )
        page = self.public_page()
        self.assertIn("Talks.", page)
        self.assertNotIn("Talks on trade.", page)

    def test_a_second_edit_adds_to_the_same_draft_and_says_so(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.client.force_login(self.other_clerk)
        response = self.client.get(change_url(self.visit))
        self.assertContains(response, "A change by clerk waits for review")
        # The form shows the change waiting, not the live text beneath it.
        self.assertContains(response, "Talks on trade.")
        said = self.save(self.other_clerk, self.visit, title_en="Spring delegation")
        self.assertIn("Added to the change waiting for review", said)
        draft = Draft.objects.get()
        self.assertEqual(
            draft.proposed["fields"],
            {"public_summary_en": "Talks on trade.", "title_en": "Spring delegation"},
        )
        self.assertEqual(draft.contributors, [self.clerk.pk, self.other_clerk.pk])

    def test_a_publisher_approves_and_the_public_page_changes(self):
        self.save(
            self.clerk,
            self.visit,
            public_summary_en="Talks on trade.",
            sectors=[Sector.objects.get(code="economy").pk],
        )
        draft = Draft.objects.get()
        self.client.force_login(self.publisher)
        queue = self.client.get(reverse("admin:review"))
        self.assertContains(queue, reverse("admin:review_draft", args=[draft.pk]))
        self.assertContains(queue, "<td>Visit</td>")
        for query, listed in (
            ({"type": "visit"}, True),
            ({"type": "city"}, False),
            ({"author": self.clerk.pk}, True),
            ({"author": self.publisher.pk}, False),
        ):
            filtered = self.client.get(reverse("admin:review"), query)
            self.assertEqual(
                reverse("admin:review_draft", args=[draft.pk])
                in filtered.content.decode(),
                listed,
                query,
            )
        review = self.client.get(reverse("admin:review_draft", args=[draft.pk]))
        self.assertContains(review, "Talks on trade.")
        self.assertContains(review, "Approve")
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
        )
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary_en, "Talks on trade.")
        self.assertEqual(
            list(self.visit.sectors.values_list("code", flat=True)), ["economy"]
        )
        self.assertTrue(self.visit.published)
        draft.refresh_from_db()
        self.assertEqual(
            (draft.status, draft.reviewed_by), (DraftStatus.APPROVED, self.publisher)
        )
        latest = Visit.history.filter(id=self.visit.pk).latest("history_date")
        self.assertIn(
            f"Draft #{draft.pk} approved by publisher", latest.history_change_reason
        )
        self.assertIn("Talks on trade.", self.public_page())

    def test_a_clerk_may_read_but_not_decide(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        draft = Draft.objects.get()
        url = reverse("admin:review_draft", args=[draft.pk])
        self.client.force_login(self.other_clerk)
        self.assertNotContains(self.client.get(url), 'name="approve"')
        self.assertEqual(self.client.post(url, {"approve": "yes"}).status_code, 403)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary_en, "Talks.")

    def test_sent_back_with_a_comment_the_author_hears_of_it(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        draft = Draft.objects.get()
        self.client.force_login(self.publisher)
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]),
            {"send_back": "yes", "comment": "Say which trade fair."},
        )
        draft.refresh_from_db()
        self.assertEqual(draft.status, DraftStatus.SENT_BACK)
        self.assertEqual(len(mail.outbox), 1)
        self.assertIn("Say which trade fair.", mail.outbox[0].body)
        self.client.force_login(self.clerk)
        self.assertContains(
            self.client.get(reverse("admin:index")), "Say which trade fair."
        )
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary_en, "Talks.")

    def test_a_new_delegation_member_waits_too(self):
        self.client.force_login(self.clerk)
        data = change_form_data(self.client.get(change_url(self.visit)))
        data.update(
            {
                "members-TOTAL_FORMS": 2,
                "members-1-role": "member",
                "members-1-title_at_time_en": "Rector of Voronezh State University",
                "members-1-position": 2,
            }
        )
        self.client.post(change_url(self.visit), data)
        self.assertEqual(DelegationMember.objects.filter(visit=self.visit).count(), 1)
        draft = Draft.objects.get()
        self.assertEqual(len(draft.proposed["children"]["members"]), 2)
        self.client.force_login(self.publisher)
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
        )
        self.assertEqual(DelegationMember.objects.filter(visit=self.visit).count(), 2)

    def test_a_publishers_change_in_between_is_flagged(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.save(self.publisher, self.visit, public_summary_en="Talks on ports.")
        draft = Draft.objects.get()
        review = self.client.get(reverse("admin:review_draft", args=[draft.pk]))
        self.assertContains(review, "changed on the live record since this draft began")

    def test_save_as_new_makes_an_unpublished_copy_and_leaves_the_live_one(self):
        self.client.force_login(self.clerk)
        data = change_form_data(self.client.get(change_url(self.visit)))
        data.update(
            {
                "public_summary_en": "Talks on trade.",
                "_saveasnew": "yes",
                "different_visit": "on",
            }
        )
        for key in [k for k in data if k.startswith("members-") and k.endswith("-id")]:
            data[key] = ""
        self.client.post(change_url(self.visit), data)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary_en, "Talks.")
        copy = Visit.objects.exclude(pk=self.visit.pk).get()
        self.assertEqual(copy.public_summary_en, "Talks on trade.")
        self.assertFalse(copy.published)
        self.assertFalse(Draft.objects.exists())

    def test_an_unpublished_record_is_edited_freely(self):
        Visit.objects.filter(pk=self.visit.pk).update(published=False)
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.assertEqual(self.visit.public_summary_en, "Talks on trade.")
        self.assertFalse(Draft.objects.exists())

    def test_a_record_with_a_change_waiting_is_not_deleted(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.client.force_login(self.publisher)
        url = reverse("admin:partnerships_visit_delete", args=[self.visit.pk])
        response = self.client.post(url, {"post": "yes"}, follow=True)
        self.assertContains(response, "waiting for review")
        self.assertTrue(Visit.objects.filter(pk=self.visit.pk).exists())

    def test_mark_completed_by_a_clerk_waits_too(self):
        Visit.objects.filter(pk=self.visit.pk).update(status="planned")
        self.client.force_login(self.clerk)
        response = self.client.post(
            reverse("admin:partnerships_visit_changelist"),
            {"action": "mark_completed", "_selected_action": [self.visit.pk]},
            follow=True,
        )
        self.assertContains(response, "the change waits for review")
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.status, "planned")
        draft = Draft.objects.get()
        self.assertEqual(draft.proposed["fields"], {"status": "completed"})


class ImportDraftTests(TestCase):
    """An import by someone who may not publish leaves a live record live."""

    HEADER = (
        "Direction,Home party,Partner city,Partner country,Start date,Title,"
        "Public summary\n"
    )

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.visit = make_visit(
            home_party=make_home(), title="Spring visit", public_summary="Talks."
        )
        make_head(cls.visit)
        cls.partner = cls.visit.partner_city

    def run_import(self, summary, dry_run=False):
        rows = (
            f"inbound,Chongqing,{self.partner.name},{self.partner.country.name},"
            f"{iso(self.visit.start_date, self.visit.date_precision)},"
            f"Spring visit,{summary}\n"
        )
        return VisitResource(user=self.clerk).import_data(
            read_table((self.HEADER + rows).encode(), "visits.csv"), dry_run=dry_run
        )

    def test_the_preview_says_which_rows_wait_and_the_import_makes_a_draft(self):
        preview = self.run_import("Talks on trade.", dry_run=True)
        self.assertEqual(preview.held_for_review, [2])
        self.assertFalse(Draft.objects.exists())
        result = self.run_import("Talks on trade.")
        self.assertFalse(result.has_validation_errors())
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.public_summary, "Talks.")
        self.assertTrue(self.visit.published)
        self.assertEqual(
            Draft.objects.pending().get().proposed["fields"],
            {"public_summary_en": "Talks on trade."},
        )


class DraftDigestTests(TestCase):
    """Publishers hear once a day of the drafts waiting for them."""

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        make_user("publisher", groups=[PUBLISHER], email="publisher@example.org")
        make_user("official", groups=["Official"], email="official@example.org")
        cls.visit = make_visit(home_party=make_home(), title="Spring visit")

    def test_a_daily_digest_to_publishers_only(self):
        publication.propose(
            self.visit, self.clerk, {"fields": {"title_en": "Spring delegation"}}
        )
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        to_publishers = [m for m in mail.outbox if "waiting for review" in m.subject]
        self.assertEqual(len(to_publishers), 1)
        self.assertEqual(to_publishers[0].to, ["publisher@example.org"])
        self.assertIn("Spring visit, by clerk", to_publishers[0].body)
        draft = Draft.objects.get()
        self.assertIn(f"/admin/review/{draft.pk}/", to_publishers[0].body)
        call_command("send_reminders", stdout=io.StringIO())
        self.assertEqual(
            len([m for m in mail.outbox if "waiting for review" in m.subject]), 1
        )


class QueueQueryCountTests(TestCase):
    """The review queue reads the drafts' records once per kind, however many."""

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        cls.home = make_home()

    def queue_queries(self):
        self.client.force_login(self.publisher)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("admin:review"))
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def draft(self, number):
        visit = make_visit(home_party=self.home, title=f"Visit {number}")
        publication.propose(visit, self.clerk, {"fields": {"title_en": "New"}})

    def test_the_count_does_not_grow_with_the_drafts(self):
        self.draft(1)
        one = self.queue_queries()
        self.draft(2)
        self.draft(3)
        self.assertEqual(self.queue_queries(), one)
