"""The clerk's journey: log a visit in the admin, be refused publishing it, and see
it on the public page once a Publisher has published it."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles
from partnerships.models import City, DelegationMember, Person, Visit
from partnerships.models.choices import DelegationRole
from tests.e2e.helpers import BrowserTestCase
from tests.factories import make_head, make_person, make_user, make_visit

TITLE = "Voronezh City Duma delegation on hospital and university exchanges"
HEAD = "Chairman of the Voronezh City Duma"
MEMBER_BY_TITLE = "Rector of Voronezh State University"
SUMMARY = "Talks on doctors' training and student exchanges."
INTERNAL_NOTE = "Budget for the return visit not yet approved (office only)"
ACTIVITY = "Visit to Chongqing Third People's Hospital"


class ClerkJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        setup_roles()
        make_user("clerk", groups=[CLERK])
        make_user("publisher", groups=[PUBLISHER])
        self.voronezh = City.objects.get(slug="voronezh")
        make_person(
            name="Elena Sokolova",
            city=self.voronezh,
            current_title="Deputy Mayor of Voronezh",
        )
        self.today = timezone.localdate()

    def inbound_this_year(self):
        card = self.page.locator(".fa-figures")
        return int(card.locator(".fa-number").first.inner_text())

    def test_clerk_logs_a_visit_and_a_publisher_publishes_it(self):
        page = self.page
        self.log_in("clerk")
        expect(page.locator(".fa-dashboard")).to_be_visible()
        inbound_before = self.inbound_this_year()
        self.shot("dashboard before")

        page.get_by_role("link", name="Log a visit").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Add visit")
        self.fill_visit_form()
        self.shot("visit form filled in")
        page.get_by_role("button", name="Save", exact=True).first.click()
        page.wait_for_load_state()

        # The visit list, with the new visit and the success message.
        expect(page.locator(".messagelist .success")).to_contain_text("was added")
        expect(page).to_have_url(re.compile(r"/admin/partnerships/visit/(\?.*)?$"))
        visit = Visit.objects.get(title_en=TITLE)
        row = page.locator("#result_list tbody tr", has_text="Voronezh").filter(
            has_text=HEAD
        )
        expect(row).to_have_count(1)
        expect(row).to_contain_text(f"{self.today:%-d %B %Y}")
        expect(row).to_contain_text("Healthcare")
        expect(row).to_contain_text("Education")
        expect(row.locator("td.field-published img")).to_have_attribute("alt", "False")
        self.shot("visit list")

        self.check_what_was_saved(visit)

        # The dashboard counts it, and lists it among the clerk's recent actions.
        page.get_by_role("link", name="Home").first.click()
        self.assertEqual(self.inbound_this_year(), inbound_before + 1)
        expect(page.locator("#recent-actions-module")).to_contain_text(TITLE)
        self.shot("dashboard after")

        self.try_to_publish_as_clerk(visit)

        # A Publisher opens it and ticks "published". The delegation, which the
        # Publisher may only view, has a member who is a Person record.
        self.log_out()
        self.log_in("publisher")
        self.visit(f"/admin/partnerships/visit/{visit.pk}/change/")
        published = page.locator("#id_published")
        expect(published).not_to_be_checked()
        published.check()
        self.shot("publisher ticks published")
        page.get_by_role("button", name="Save", exact=True).first.click()
        expect(page.locator(".messagelist .success")).to_contain_text("was changed")
        visit.refresh_from_db()
        self.assertTrue(visit.published)

        # The public page shows it, without the internal note.
        self.visit("/partners/voronezh/")
        item = page.locator("li.visit", has_text=TITLE)
        expect(item).to_have_count(1)
        expect(item).to_contain_text(SUMMARY)
        expect(item.locator(".delegation")).to_contain_text(HEAD)
        expect(item.locator(".delegation")).to_contain_text(
            "Elena Sokolova, Deputy Mayor of Voronezh"
        )
        expect(item.locator(".delegation")).to_contain_text(MEMBER_BY_TITLE)
        expect(item.locator(".delegation")).to_contain_text("Healthcare, Education")
        expect(item.locator("time")).to_have_attribute(
            "datetime", self.today.isoformat()
        )
        self.shot("public page")
        self.assertNotIn(INTERNAL_NOTE, page.content())
        self.assertNotIn("office only", page.content())
        # Publishing the visit does not publish its activity: that is a separate
        # decision, and until then the activity stays private.
        self.assertNotIn(ACTIVITY, page.content())

    def fill_visit_form(self):
        page = self.page
        page.locator("#id_direction").select_option(label="Inbound (partner to home)")
        page.locator("#id_status").select_option(label="Completed")
        self.choose_autocomplete("id_partner_city", "Voron", "Voronezh (Russia)")
        expect(page.locator("#id_home_party + .select2")).to_contain_text("Chongqing")
        page.locator("#id_start_date").fill(self.today.isoformat())
        page.locator("#id_end_date").fill(self.today.isoformat())
        page.locator("#id_title_en").fill(TITLE)
        page.locator("#id_purpose_en").fill("Hospital and university exchanges.")
        page.get_by_label("Healthcare").check()
        page.get_by_label("Education").check()
        page.locator("#id_public_summary_en").fill(SUMMARY)
        page.locator("#id_internal_notes").fill(INTERNAL_NOTE)
        # A clerk sees the flag but cannot tick it.
        expect(page.locator("input[name=published]")).to_have_count(0)
        publication = page.locator("fieldset.module", has_text="Public summary")
        expect(publication.locator(".field-published .readonly")).to_be_visible()

        # The head, known only by title; a member by name; one only by title.
        page.locator("#id_members-0-role").select_option(label="Head of delegation")
        page.locator("#id_members-0-title_at_time_en").fill(HEAD)
        page.locator("#id_members-1-role").select_option(label="Member")
        self.choose_autocomplete("id_members-1-person", "Sokol", "Elena Sokolova")
        page.locator("#id_members-1-title_at_time_en").fill("Deputy Mayor of Voronezh")
        page.locator("#id_members-1-position").fill("1")
        page.get_by_role("button", name="Add another delegation member").click()
        page.locator("#id_members-2-role").select_option(label="Member")
        page.locator("#id_members-2-title_at_time_en").fill(MEMBER_BY_TITLE)
        page.locator("#id_members-2-position").fill("2")

        page.get_by_role("button", name="Add another activity").click()
        page.locator("#id_activities-0-kind").select_option(label="Meeting or talks")
        page.locator("#id_activities-0-title_en").fill(ACTIVITY)
        page.locator("#id_activities-0-start_date").fill(self.today.isoformat())

    def check_what_was_saved(self, visit):
        self.assertEqual(visit.direction, "inbound")
        self.assertEqual(visit.partner_city, self.voronezh)
        self.assertEqual(visit.start_date, self.today)
        self.assertFalse(visit.published)
        self.assertEqual(visit.internal_notes, INTERNAL_NOTE)
        self.assertEqual(
            sorted(visit.sectors.values_list("code", flat=True)),
            ["education", "healthcare"],
        )
        members = [
            (m.role, m.person.name if m.person else "", m.title_at_time)
            for m in visit.members.order_by("position", "pk")
        ]
        self.assertEqual(
            members,
            [
                ("head", "", HEAD),
                ("member", "Elena Sokolova", "Deputy Mayor of Voronezh"),
                ("member", "", MEMBER_BY_TITLE),
            ],
        )
        self.assertEqual(
            list(visit.activities.values_list("kind", "title")),
            [("meeting", ACTIVITY)],
        )

    def try_to_publish_as_clerk(self, visit):
        page = self.page
        change_url = f"/admin/partnerships/visit/{visit.pk}/change/"

        # No publish action in the list for a clerk.
        self.visit("/admin/partnerships/visit/")
        actions = page.locator("select[name=action] option").all_inner_texts()
        self.assertFalse([action for action in actions if "ublish" in action], actions)

        # The form shows the flag read-only; a form tampered with in the browser
        # to send published=on saves everything else and leaves it unpublished.
        self.visit(change_url)
        expect(page.locator("input[name=published]")).to_have_count(0)
        page.locator("#visit_form").evaluate(
            """form => {
                const field = document.createElement("input");
                field.type = "hidden";
                field.name = "published";
                field.value = "on";
                form.appendChild(field);
            }"""
        )
        page.locator("#id_public_summary_en").fill(SUMMARY + " Updated.")
        self.shot("clerk tampers with the form")
        page.get_by_role("button", name="Save", exact=True).first.click()
        expect(page.locator(".messagelist .success")).to_contain_text("was changed")
        visit.refresh_from_db()
        self.assertEqual(visit.public_summary, SUMMARY + " Updated.")
        self.assertFalse(visit.published)

        # A direct POST of the publish action, with the clerk's session and token.
        token = next(
            c["value"] for c in self.context.cookies() if c["name"] == "csrftoken"
        )
        response = page.request.post(
            self.url("/admin/partnerships/visit/"),
            form={
                "csrfmiddlewaretoken": token,
                "action": "publish_selected",
                "_selected_action": str(visit.pk),
                "index": "0",
            },
            headers={"Referer": self.url("/admin/partnerships/visit/")},
        )
        self.assertLess(response.status, 500)
        visit.refresh_from_db()
        self.assertFalse(visit.published)
        self.assertEqual(visit.public_summary, SUMMARY + " Updated.")

    def test_publisher_publishes_from_the_visit_list(self):
        page = self.page
        visit = make_visit(
            partner_city=self.voronezh, published=False, title=TITLE, sectors=["media"]
        )
        make_head(visit, title=HEAD)
        self.log_in("publisher")
        self.visit("/admin/partnerships/visit/")
        row = page.locator("#result_list tbody tr", has_text=HEAD)
        row.locator("input.action-select").check()
        page.locator("select[name=action]").select_option(
            label="Publish selected visits"
        )
        self.shot("publisher publishes from the list")
        page.locator("button[name=index]").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Published 1")
        visit.refresh_from_db()
        self.assertTrue(visit.published)
        self.visit("/partners/voronezh/")
        expect(page.locator("li.visit", has_text=TITLE)).to_have_count(1)

    def test_clerk_merges_a_person_recorded_twice_and_undoes_it(self):
        page = self.page
        twin = make_person(
            name="Elena Sokolova",
            name_ru="Елена Соколова",
            city=self.voronezh,
            aliases=["Yelena Sokolova"],
        )
        visit = make_visit(partner_city=self.voronezh, title=TITLE)
        DelegationMember.objects.create(
            visit=visit, person=twin, role=DelegationRole.HEAD
        )
        kept = Person.objects.exclude(pk=twin.pk).get(name_en="Elena Sokolova")
        self.log_in("clerk")
        self.visit("/admin/partnerships/person/")
        for person in (kept, twin):
            page.locator(f"input.action-select[value='{person.pk}']").check()
        page.locator("select[name=action]").select_option(
            label="Merge the selected records into one"
        )
        page.locator("button[name=index]").click()
        page.get_by_label(f"#{kept.pk} Elena Sokolova").check()
        page.get_by_role("button", name="Show what moves").click()
        plan = page.locator(".merge-plan")
        expect(plan).to_contain_text(TITLE)
        expect(plan).to_contain_text("Yelena Sokolova")
        expect(plan).to_contain_text("Елена Соколова")
        self.shot("merge page shows what moves")

        page.get_by_role("button", name=f"Merge 1 record into #{kept.pk}").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Merged:")
        self.assertEqual(DelegationMember.objects.get(visit=visit).person, kept)
        self.assertEqual(list(Person.objects.named("Yelena Sokolova")), [kept])

        page.get_by_role("link", name="History").first.click()
        self.shot("history lists the merge")
        page.get_by_role("link", name="Undo this merge").click()
        page.get_by_role("button", name="Undo the merge").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Merge undone")
        self.assertEqual(DelegationMember.objects.get(visit=visit).person_id, twin.pk)
        self.shot("history after the undo")

    def test_a_clerks_change_to_a_live_visit_waits_for_the_publisher(self):
        page = self.page
        visit = make_visit(
            partner_city=self.voronezh,
            title=TITLE,
            public_summary=SUMMARY,
            sectors=["health"],
        )
        make_head(visit, title=HEAD)
        self.log_in("clerk")
        self.visit(f"/admin/partnerships/visit/{visit.pk}/change/")
        page.locator("#id_public_summary_en").fill("Talks on nurses' exchanges.")
        page.get_by_role("button", name="Save", exact=True).first.click()
        expect(page.locator(".messagelist .warning")).to_contain_text(
            "waits for review"
        )
        # The public page still shows what was approved.
        self.visit("/partners/voronezh/")
        item = page.locator("li.visit", has_text=TITLE)
        expect(item).to_contain_text(SUMMARY)
        expect(item).not_to_contain_text("nurses' exchanges")

        self.visit("/admin/")
        self.log_out()
        self.log_in("publisher")
        expect(page.locator(".fa-card", has_text="waiting for review")).to_be_visible()
        page.get_by_role("link", name="1 change waits for a Publisher").click()
        self.shot("review queue")
        page.get_by_role("link", name=TITLE).click()
        diff = page.locator(".fa-review-diff")
        expect(diff).to_contain_text(SUMMARY)
        expect(diff).to_contain_text("Talks on nurses' exchanges.")
        self.shot("review page")
        page.get_by_role("button", name="Approve").click()
        expect(page.locator(".messagelist .success")).to_contain_text("Approved")

        self.visit("/partners/voronezh/")
        item = page.locator("li.visit", has_text=TITLE)
        expect(item).to_contain_text("Talks on nurses' exchanges.")
        visit.refresh_from_db()
        self.assertTrue(visit.published)
