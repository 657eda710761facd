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
from partnerships.accounts.roles import ADMINISTRATOR, CLERK, PUBLISHER, setup_roles
from partnerships.models import (
    Activity,
    DelegationMember,
    Draft,
    DraftStatus,
    FocusArea,
    Person,
    Sector,
    Visit,
)
from partnerships.models.partial_dates import iso
from partnerships.spreadsheets.reading import read_table
from partnerships.spreadsheets.resources import VisitResource
from tests.admin.helpers import change_form_data, change_url
from tests.factories import (
    make_activity,
    make_agreement,
    make_collaboration,
    make_head,
    make_home,
    make_institution,
    make_person,
    make_user,
    make_visit,
)


class SavesForms:
    """``save``: a change form sent as it stands, with ``changes``."""

    def save(self, user, obj, **changes):
        self.client.force_login(user)
        data = change_form_data(self.client.get(change_url(obj)))
        data.update(changes)
        response = self.client.post(change_url(obj), data, follow=True)
        self.assertNotIn("adminform", response.context or {}, "the form refused it")
        obj.refresh_from_db()
        return " ".join(str(m) for m in response.context["messages"])


class DraftTests(SavesForms, TestCase):
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

    def test_an_activity_on_the_visits_page_follows_the_rule_for_itself(self):
        activity = make_activity(visit=self.visit, description="A fair.")
        self.client.force_login(self.clerk)
        data = change_form_data(self.client.get(change_url(self.visit)))
        data["activities-0-description_en"] = "A trade fair."
        response = self.client.post(change_url(self.visit), data, follow=True)
        self.assertContains(response, "waits for review")
        activity.refresh_from_db()
        self.assertEqual(activity.description_en, "A fair.")
        self.assertTrue(Activity.objects.filter(pk=activity.pk).exists())
        draft = Draft.objects.pending().get()
        self.assertEqual(draft.record(), activity)
        self.assertEqual(draft.proposed["fields"], {"description_en": "A trade fair."})
        # Deleting the live activity's row is refused, and nothing is lost.
        data = change_form_data(self.client.get(change_url(self.visit)))
        data["activities-0-DELETE"] = "on"
        response = self.client.post(change_url(self.visit), data)
        self.assertContains(response, "only a Publisher decides what leaves it")
        self.assertTrue(Activity.objects.filter(pk=activity.pk).exists())

    def test_the_next_editor_sees_the_waiting_rows_and_adds_to_them(self):
        self.client.force_login(self.clerk)
        data = change_form_data(self.client.get(change_url(self.visit)))
        data.update(
            {
                "members-TOTAL_FORMS": 2,
                "members-1-role": "member",
                "members-1-title_at_time_en": "Rector",
                "members-1-position": 2,
            }
        )
        self.client.post(change_url(self.visit), data)
        # Another clerk's form shows the two rows waiting, not the live one.
        self.client.force_login(self.other_clerk)
        response = self.client.get(change_url(self.visit))
        self.assertContains(response, "waits for review")
        data = change_form_data(response)
        self.assertEqual(data["members-TOTAL_FORMS"], 2)
        self.assertEqual(data["members-1-title_at_time_en"], "Rector")
        data["members-1-title_at_time_en"] = "Rector of the University"
        said = self.save(self.other_clerk, self.visit, **data)
        self.assertIn("Added to the change waiting for review", said)
        draft = Draft.objects.pending().get()
        self.assertEqual(
            [row["title_at_time_en"] for row in draft.proposed["children"]["members"]],
            ["Deputy Mayor", "Rector of the University"],
        )
        self.assertEqual(self.visit.members.count(), 1)
        # A change elsewhere on the page keeps the rows waiting as they are.
        data = change_form_data(self.client.get(change_url(self.visit)))
        data["public_summary_en"] = "Talks on trade."
        self.save(self.other_clerk, self.visit, **data)
        draft.refresh_from_db()
        self.assertEqual(len(draft.proposed["children"]["members"]), 2)
        self.assertEqual(
            draft.proposed["fields"]["public_summary_en"], "Talks on trade."
        )
        # Removing a waiting row (the form's "remove" link leaves it out).
        data = change_form_data(self.client.get(change_url(self.visit)))
        data["members-TOTAL_FORMS"] = 1
        self.save(self.other_clerk, self.visit, **data)
        draft = Draft.objects.pending().get()
        self.assertNotIn("members", draft.proposed["children"])
        self.assertEqual(
            draft.proposed["fields"]["public_summary_en"], "Talks on trade."
        )

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

    def test_a_clerk_does_not_take_a_live_record_off_the_site_by_deleting_it(self):
        self.client.force_login(self.clerk)
        url = reverse("admin:partnerships_visit_delete", args=[self.visit.pk])
        response = self.client.post(url, {"post": "yes"}, follow=True)
        self.assertContains(response, "only a Publisher decides what leaves it")
        response = self.client.post(
            reverse("admin:partnerships_visit_changelist"),
            {"action": "delete_selected", "_selected_action": [self.visit.pk]},
            follow=True,
        )
        self.assertContains(response, "only a Publisher decides what leaves it")
        self.assertTrue(Visit.objects.filter(pk=self.visit.pk).exists())
        # Once a Publisher has taken it off the site, the Clerk may delete it.
        Visit.objects.filter(pk=self.visit.pk).update(published=False)
        self.client.post(url, {"post": "yes"})
        self.assertFalse(Visit.objects.filter(pk=self.visit.pk).exists())

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


class ShownThroughTests(SavesForms, TestCase):
    """A person, a source or a sector has no ``published`` flag, but a live
    record shows it: a change to what the public reads of it waits too."""

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.administrator = make_user("admin", groups=[ADMINISTRATOR])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        cls.visit = make_visit(home_party=make_home(), title="Spring visit")
        cls.person = make_person(name="Ivan Petrov", city=cls.visit.partner_city)
        make_head(cls.visit, person=cls.person)
        cls.sector = Sector.objects.create(code="ports", name="Ports", position=9)
        cls.visit.sectors.add(cls.sector)
        make_agreement(home_party=cls.visit.home_party, partner=cls.visit.partner_city)
        cls.page = cls.visit.partner_city.get_absolute_url()

    def test_a_person_in_a_live_delegation_is_renamed_once_approved(self):
        self.save(self.clerk, self.person, name_en="Ivan Petrovich")
        self.assertEqual(self.person.name_en, "Ivan Petrov")
        self.client.logout()
        self.assertNotContains(self.client.get(self.page), "Ivan Petrovich")
        draft = Draft.objects.pending().of(self.person).get()
        self.client.force_login(self.publisher)
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
        )
        self.client.logout()
        self.assertContains(self.client.get(self.page), "Ivan Petrovich")

    def test_what_the_public_never_reads_of_a_person_saves_at_once(self):
        data = {
            "aliases-TOTAL_FORMS": 1,
            "aliases-INITIAL_FORMS": 0,
            "aliases-0-name": "Иван Петров",
        }
        self.save(self.clerk, self.person, **data)
        self.assertEqual(
            list(self.person.aliases.values_list("name", flat=True)), ["Иван Петров"]
        )
        self.assertFalse(Draft.objects.exists())

    def test_someone_the_public_does_not_see_is_edited_freely(self):
        other = make_person(name="Anna Sokolova", city=self.visit.partner_city)
        self.save(self.clerk, other, name_en="Anna Sokolova-Petrova")
        self.assertEqual(other.name_en, "Anna Sokolova-Petrova")
        self.assertFalse(Draft.objects.exists())

    def test_an_administrator_renaming_a_shown_sector_waits_for_a_publisher(self):
        self.save(self.administrator, self.sector, name_en="Harbours")
        self.assertEqual(self.sector.name_en, "Ports")
        self.assertTrue(Draft.objects.pending().of(self.sector).exists())


class ShownThroughDeletionTests(TestCase):
    def test_a_focus_area_a_live_collaboration_shows_is_not_deleted(self):
        setup_roles()
        administrator = make_user("admin", groups=[ADMINISTRATOR])
        area = FocusArea.objects.create(name="River ports")
        make_collaboration().focus_areas.add(area)
        self.client.force_login(administrator)
        url = reverse("admin:partnerships_focusarea_delete", args=[area.pk])
        response = self.client.post(url, {"post": "yes"}, follow=True)
        self.assertContains(response, "only a Publisher decides what leaves it")
        self.assertTrue(FocusArea.objects.filter(pk=area.pk).exists())


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

    def test_the_admin_preview_labels_the_rows_that_wait(self):
        rows = (
            f"inbound,Chongqing,{self.partner.name},{self.partner.country.name},"
            f"{iso(self.visit.start_date, self.visit.date_precision)},"
            "Spring visit,Talks on trade.\n"
        )
        upload = io.BytesIO((self.HEADER + rows).encode())
        upload.name = "visits.csv"
        self.client.force_login(self.clerk)
        response = self.client.post(
            reverse("admin:partnerships_visit_import"),
            {"resource": "0", "format": "0", "import_file": upload},
        )
        self.assertContains(response, '<span class="fa-waits">waits for a Publisher')
        self.assertContains(response, 'class="fa-diff-added"')
        self.assertFalse(Draft.objects.exists())


class ImportLinesDraftTests(TestCase):
    """A change to a live visit's delegation in a file waits in its draft."""

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        cls.visit = make_visit(home_party=make_home(), title="Spring visit")
        make_head(cls.visit, title="Deputy Mayor")

    def run_import(self, delegation, dry_run=False):
        partner = self.visit.partner_city
        text = (
            "Direction,Home party,Partner city,Partner country,Start date,Title,"
            "Delegation\n"
            f"inbound,Chongqing,{partner.name},{partner.country.name},"
            f"{iso(self.visit.start_date, self.visit.date_precision)},"
            f'Spring visit,"{delegation}"\n'
        )
        return VisitResource(user=self.clerk).import_data(
            read_table(text.encode(), "visits.csv"), dry_run=dry_run
        )

    def test_the_delegation_waits_and_is_live_once_approved(self):
        delegation = (
            "Head of delegation: Ivan Petrov — Mayor\nMember: Anna Sokolova — Rector"
        )
        preview = self.run_import(delegation, dry_run=True)
        self.assertEqual(preview.held_for_review, [2])
        self.assertFalse(Draft.objects.exists())
        # The preview shows the lines the draft will propose, changes marked.
        shown = preview.valid_rows()[0].diff[preview.diff_headers.index("Delegation")]
        self.assertIn('<del class="fa-diff-removed">Deputy May', shown)
        self.assertIn("Member: Anna Sokolova — Rect</ins>", shown)
        result = self.run_import(delegation)
        self.assertFalse(result.has_validation_errors())
        # Live as approved: one member, the Deputy Mayor.
        self.assertEqual(
            list(self.visit.members.values_list("title_at_time", flat=True)),
            ["Deputy Mayor"],
        )
        draft = Draft.objects.pending().get()
        self.assertEqual(
            [row["title_at_time_en"] for row in draft.proposed["children"]["members"]],
            ["Mayor", "Rector"],
        )
        # The people it names are recorded, once, so the draft can name them.
        self.assertEqual(
            set(Person.objects.values_list("name", flat=True)),
            {"Ivan Petrov", "Anna Sokolova"},
        )
        self.client.force_login(self.publisher)
        review = self.client.get(reverse("admin:review_draft", args=[draft.pk]))
        self.assertContains(review, "Ivan Petrov")
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
        )
        self.assertEqual(
            [
                (m.role, m.person.name, m.title_at_time)
                for m in self.visit.members.order_by("position")
            ],
            [("head", "Ivan Petrov", "Mayor"), ("member", "Anna Sokolova", "Rector")],
        )
        # The same file again changes nothing and drafts nothing.
        self.run_import(delegation)
        self.assertFalse(Draft.objects.pending().exists())


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


class DraftedLinesCheckTests(TestCase):
    """Lines a draft would hold are checked as its approval will write them."""

    def test_one_institution_twice_is_refused_before_it_waits(self):
        from django.core.exceptions import ValidationError

        from partnerships.spreadsheets import drafted_lines
        from partnerships.spreadsheets.children import PARTICIPANTS

        collaboration = make_collaboration()
        partner = collaboration.agreement.partner
        university = make_institution(city=partner)
        twice = [
            ("partner", university.pk, "", "host"),
            ("partner", university.pk, "", "lead"),
        ]
        with self.assertRaisesMessage(ValidationError, "already takes part"):
            drafted_lines.check_drafted(PARTICIPANTS, collaboration, twice, None)
        once = twice[:1] + [("home", None, "A delegation of teachers", "")]
        drafted_lines.check_drafted(PARTICIPANTS, collaboration, once, None)
