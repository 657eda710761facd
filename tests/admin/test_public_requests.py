"""The Clerks' triage of requests from the public, and who may do it."""

from django.core import mail
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnerships.accounts.roles import (
    ADMINISTRATOR,
    CLERK,
    OFFICIAL,
    PUBLISHER,
    setup_roles,
)
from partnerships.models import PublicRequest
from partnerships.models.choices import RequestEventKind, RequestStatus
from tests.admin.helpers import change_url, changelist
from tests.factories import (
    make_city,
    make_request,
    make_site_settings,
    make_user,
)

LIST = changelist(PublicRequest)


class TriageTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        make_site_settings()
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.colleague = make_user("colleague", groups=[CLERK])
        cls.official = make_user("official", groups=[OFFICIAL])
        cls.publisher = make_user("publisher", groups=[PUBLISHER])
        cls.administrator = make_user("administrator", groups=[ADMINISTRATOR])
        cls.request = make_request(
            name="Li Wei",
            organisation="School No. 8",
            email="li@example.org",
            language="zh-hans",
            partner_city=make_city(name="Voronezh"),
            message="我们希望开展学生交流。",
        )

    def form(self, **changes):
        data = {
            "status": self.request.status,
            "assigned_to": self.request.assigned_to_id or "",
            "note": "",
            "reply": "",
        }
        data.update(changes)
        return data


class ClerkTriageTests(TriageTestCase):
    def setUp(self):
        self.client.force_login(self.clerk)

    def test_the_queue_and_a_request(self):
        response = self.client.get(LIST)
        self.assertContains(response, self.request.reference)
        self.assertContains(response, "Li Wei (School No. 8)")
        response = self.client.get(change_url(self.request))
        self.assertContains(response, "我们希望开展学生交流。")
        self.assertContains(response, "li@example.org")
        # What the sender wrote is read, not edited.
        form = response.context["adminform"].form
        self.assertEqual(set(form.fields), {"status", "assigned_to", "note", "reply"})

    def test_assign_note_and_reply_each_a_step_in_the_log(self):
        response = self.client.post(
            change_url(self.request),
            self.form(
                assigned_to=self.colleague.pk,
                note="Ask the education team.",
                reply="您好，欢迎。",
            ),
        )
        self.assertRedirects(response, LIST)
        self.request.refresh_from_db()
        self.assertEqual(self.request.assigned_to, self.colleague)
        self.assertEqual(self.request.status, RequestStatus.ANSWERED)
        self.assertEqual(
            list(self.request.events.values_list("kind", "by__username")),
            [
                (RequestEventKind.ASSIGNED, "clerk"),
                (RequestEventKind.STATUS, "clerk"),
                (RequestEventKind.NOTE, "clerk"),
                (RequestEventKind.REPLY, "clerk"),
                (RequestEventKind.STATUS, "clerk"),
            ],
        )
        [reply] = mail.outbox
        self.assertEqual(reply.to, ["li@example.org"])
        self.assertTrue(reply.body.startswith("您好，欢迎。"))
        # The sender's language: the office signs in Chinese.
        self.assertIn("重庆市人民政府外事办公室", reply.body)
        page = self.client.get(change_url(self.request))
        self.assertContains(page, "Ask the education team.")
        self.assertContains(page, "您好，欢迎。")

    def test_what_the_public_and_colleagues_write_is_shown_as_text(self):
        hostile = make_request(
            name="<b>Li</b>", message='<script>alert("x")</script>\nSecond line'
        )
        self.client.post(change_url(hostile), {"status": "new", "note": "<i>n</i>"})
        page = self.client.get(change_url(hostile))
        self.assertNotContains(page, '<script>alert("x")')
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
        self.assertContains(page, "&lt;i&gt;n&lt;/i&gt;")
        self.assertNotContains(page, "<b>Li</b>")
        self.assertNotContains(self.client.get(LIST), "<b>Li</b>")

    def test_a_status_chosen_is_kept(self):
        self.client.post(
            change_url(self.request),
            self.form(status=RequestStatus.DECLINED, assigned_to=self.clerk.pk),
        )
        self.request.refresh_from_db()
        self.assertEqual(self.request.status, RequestStatus.DECLINED)

    def test_spam_gets_no_reply(self):
        response = self.client.post(
            change_url(self.request),
            self.form(status=RequestStatus.SPAM, reply="Hello"),
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("reply", response.context["adminform"].form.errors)
        self.assertEqual(mail.outbox, [])

    def test_actions_assign_to_me_and_mark_as_spam(self):
        other = make_request()
        self.client.post(
            LIST,
            {"action": "assign_to_me", "_selected_action": [self.request.pk]},
        )
        self.client.post(LIST, {"action": "mark_spam", "_selected_action": [other.pk]})
        self.request.refresh_from_db()
        other.refresh_from_db()
        self.assertEqual(self.request.assigned_to, self.clerk)
        self.assertEqual(other.status, RequestStatus.SPAM)

    def test_nobody_adds_or_deletes_and_clerks_do_not_erase(self):
        opts = "admin:partnerships_publicrequest"
        self.assertEqual(self.client.get(reverse(f"{opts}_add")).status_code, 403)
        delete = reverse(f"{opts}_delete", args=[self.request.pk])
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        actions = dict(
            self.client.get(LIST).context["action_form"].fields["action"].choices
        )
        self.assertNotIn("erase_personal_data", actions)
        self.assertNotIn("delete_selected", actions)
        self.client.post(
            LIST,
            {
                "action": "erase_personal_data",
                "_selected_action": [self.request.pk],
                "confirmed": "yes",
            },
        )
        self.request.refresh_from_db()
        self.assertEqual(self.request.name, "Li Wei")

    def test_the_dashboard_counts_them_with_links(self):
        make_request(status=RequestStatus.ASSIGNED, assigned_to=self.clerk)
        response = self.client.get(reverse("admin:index"))
        figures = response.context["dashboard"]["requests"]
        self.assertEqual(
            {key: figures[key] for key in ("new", "open", "mine", "total")},
            {"new": 1, "open": 2, "mine": 1, "total": 2},
        )
        self.assertContains(response, f"{LIST}?status__exact=new")
        self.assertContains(response, f"{LIST}?assigned=me&amp;status__in=new,assigned")

    def test_the_list_filters_work(self):
        make_request(status=RequestStatus.ASSIGNED, assigned_to=self.clerk)
        for query, count in (
            ("?status__exact=new", 1),
            ("?status__in=new,assigned", 2),
            ("?assigned=me", 1),
            ("?assigned=nobody", 1),
            ("?q=Li+Wei", 1),
            (f"?q={self.request.reference}", 1),
        ):
            with self.subTest(query=query):
                response = self.client.get(LIST + query)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["cl"].result_count, count)

    def test_the_list_takes_the_same_queries_whatever_its_length(self):
        def count():
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(LIST).status_code, 200)
            return len(queries)

        sector_city = make_city(name="Minsk")
        make_request(assigned_to=self.colleague, partner_city=sector_city)
        few = count()
        for number in range(30):
            make_request(
                assigned_to=[self.clerk, self.colleague][number % 2],
                partner_city=sector_city if number % 3 else None,
                other_city="Toledo" if not number % 3 else "",
            )
        with self.assertNumQueries(few):
            self.client.get(LIST)


class WhoMayTriageTests(TriageTestCase):
    """Clerks triage; Administrators too, and erase; Officials and Publishers
    never read a request (its personal data is for those who answer it)."""

    def test_officials_and_publishers_cannot_see_requests(self):
        for user in (self.official, self.publisher):
            with self.subTest(user=user.username):
                self.client.force_login(user)
                self.assertEqual(self.client.get(LIST).status_code, 403)
                page = self.client.get(change_url(self.request))
                self.assertEqual(page.status_code, 403)
                response = self.client.post(
                    change_url(self.request), self.form(reply="Hello")
                )
                self.assertEqual(response.status_code, 403)
        self.assertEqual(mail.outbox, [])

    def test_officials_see_the_counts_without_links(self):
        self.client.force_login(self.official)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.context["dashboard"]["requests"]["new"], 1)
        self.assertContains(response, "Requests from the public")
        self.assertNotContains(response, LIST)

    def test_administrators_erase_after_confirming(self):
        self.client.force_login(self.administrator)
        data = {"action": "erase_personal_data", "_selected_action": [self.request.pk]}
        response = self.client.post(LIST, data)
        self.assertContains(response, "This cannot be undone.")
        self.assertContains(response, self.request.reference)
        self.request.refresh_from_db()
        self.assertEqual(self.request.name, "Li Wei")
        self.client.post(LIST, {**data, "confirmed": "yes"})
        self.request.refresh_from_db()
        self.assertEqual(self.request.name, "")
        self.assertIsNotNone(self.request.erased_at)
        page = self.client.get(change_url(self.request))
        self.assertNotContains(page, "我们希望开展学生交流。")
        self.assertContains(page, "Personal data erased")

    def test_a_colleague_holding_requests_is_not_deleted_unnoticed(self):
        self.request.assigned_to = self.colleague
        self.request.save()
        root = make_user("root", is_superuser=True)
        self.client.force_login(root)
        url = reverse("admin:auth_user_delete", args=[self.colleague.pk])
        response = self.client.get(url)
        self.assertContains(response, "Cannot delete user")
        self.assertContains(response, "public request")
        self.client.post(url, {"post": "yes"})
        self.assertTrue(
            type(self.colleague).objects.filter(pk=self.colleague.pk).exists()
        )
