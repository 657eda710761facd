"""Only a Publisher decides what is public, in the admin."""

from django.test import TestCase
from django.urls import reverse

from partnerships import dashboard
from partnerships.models import (
    Visit,
)
from tests.admin.helpers import (
    change_form_data,
    change_url,
    changelist,
    initial_data,
)
from tests.factories import (
    make_head,
    make_home,
    make_institution,
    make_user,
    make_visit,
)


class ClerkChangesArePublishedByAPublisherTests(TestCase):
    """A change by someone who may not publish takes a published record offline."""

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
        self.assertFalse(self.visit.published)
        self.assertEqual(self.visit.public_summary, "Talks on trade.")
        self.assertIn("Unpublished until a Publisher reviews it", text)
        self.client.force_login(self.publisher)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Awaiting a Publisher")
        self.assertContains(response, f'href="{change_url(self.visit)}"')

    def test_the_change_page_tells_a_clerk_before_saving(self):
        notice = "it comes off the site until a Publisher publishes it again"
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
        self.assertFalse(self.institution.published)
        self.assertEqual(self.institution.aliases.count(), 2)

    def test_internal_notes_alone_keep_the_record_published(self):
        self.save(self.clerk, self.visit, internal_notes="Ask about the gift.")
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_a_publishers_change_stays_published(self):
        self.save(self.publisher, self.visit, public_summary_en="Talks on trade.")
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

    def test_publishing_again_clears_the_waiting_list(self):
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade.")
        self.save(self.clerk, self.visit, public_summary_en="Talks on trade and ports.")
        self.assertEqual(
            [item["record"] for item in dashboard.awaiting_publication()],
            [self.visit],
        )
        self.client.force_login(self.publisher)
        self.client.post(
            changelist(Visit),
            {"action": "publish_selected", "_selected_action": [self.visit.pk]},
        )
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)
        self.assertEqual(dashboard.awaiting_publication(), [])

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
        self.assertEqual(self.visit.public_summary, "Talks.")
        self.assertFalse(self.visit.published)
