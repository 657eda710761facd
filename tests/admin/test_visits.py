"""A visit logged on one page: its form, delegation, activities and actions."""

import datetime
import html
import json
import re

from django.contrib.auth import get_user_model
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from partnerships.models import (
    Activity,
    Collaboration,
    DelegationMember,
    Sector,
    Visit,
)
from partnerships.models.choices import (
    ActivityKind,
    DelegationRole,
    Direction,
    VisitStatus,
)
from tests.admin.helpers import (
    SuperuserTestCase,
    changelist,
)
from tests.factories import (
    make_city,
    make_collaboration,
    make_home,
    make_person,
    make_visit,
)


class VisitFormTests(SuperuserTestCase):
    """Logging a visit on one page, and the checks that page makes."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.guest = make_person(name="Guest", city=cls.partner)
        cls.host = make_person(name="Host", city=cls.home)
        cls.url = reverse("admin:partnerships_visit_add")

    def post_data(self, members=(), activities=(), **fields):
        data = {
            "direction": Direction.INBOUND,
            "status": VisitStatus.COMPLETED,
            "partner_city": self.partner.pk,
            "home_party": self.home.pk,
            "start_date": "2019-05-14",
            "end_date": "2019-05-16",
            "date_note_en": "",
            "title_en": "",
            "purpose_en": "Talks",
            "programme_en": "",
            "outcomes_en": "",
            "sectors": [Sector.objects.get(code="economy").pk],
            "public_summary_en": "",
            "internal_notes": "",
            "members-TOTAL_FORMS": len(members),
            "members-INITIAL_FORMS": 0,
            "members-MIN_NUM_FORMS": 0,
            "members-MAX_NUM_FORMS": 1000,
            "activities-TOTAL_FORMS": len(activities),
            "activities-INITIAL_FORMS": 0,
            "activities-MIN_NUM_FORMS": 0,
            "activities-MAX_NUM_FORMS": 1000,
        }
        for index, member in enumerate(members):
            for key, value in member.items():
                data[f"members-{index}-{key}"] = value
        for index, activity in enumerate(activities):
            for key, value in activity.items():
                data[f"activities-{index}-{key}"] = value
        for key, value in fields.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        return data

    def head(self, person=None, title="Chairman of the Voronezh City Duma"):
        return {
            "role": DelegationRole.HEAD,
            "person": person.pk if person else "",
            "title_at_time_en": title,
            "position": 0,
        }

    def errors_of(self, response):
        """All error texts shown on the page: the form's and the inlines'."""
        if response.status_code != 200:
            return f"status {response.status_code}"
        texts = [str(error) for error in response.context["errors"]]
        for inline in response.context["inline_admin_formsets"]:
            texts += [str(error) for error in inline.formset.non_form_errors()]
            texts += [str(error) for error in inline.formset.errors]
        return " ".join(texts)

    def test_a_complete_visit_is_saved_with_its_delegation_and_activities(self):
        member = {
            "role": DelegationRole.MEMBER,
            "person": "",
            "title_at_time_en": "Deputy Mayor",
            "position": 1,
        }
        activity = {"kind": "exhibition", "title_en": "Photo exhibition"}
        response = self.client.post(
            self.url,
            self.post_data(
                members=[self.head(self.guest), member], activities=[activity]
            ),
        )
        self.assertEqual(response.status_code, 302, self.errors_of(response))
        visit = Visit.objects.get()
        self.assertEqual(visit.members.count(), 2)
        self.assertEqual(visit.members.get(role=DelegationRole.HEAD).person, self.guest)
        self.assertEqual(visit.activities.get().title, "Photo exhibition")
        self.assertEqual(
            list(visit.sectors.values_list("code", flat=True)), ["economy"]
        )

    def test_an_activity_on_a_new_visit_is_still_checked(self):
        activity = {
            "kind": "exhibition",
            "title_en": "Photo exhibition",
            "start_date": "2019-05-15",
            "end_date": "2019-05-01",
        }
        data = self.post_data(members=[self.head()], activities=[activity])
        response = self.client.post(self.url, data)
        self.assertIn("cannot end before it starts", self.errors_of(response))
        self.assertFalse(Visit.objects.exists())

    def test_end_before_start_is_refused(self):
        data = self.post_data(
            members=[self.head()], start_date="2019-05-14", end_date="2019-05-01"
        )
        response = self.client.post(self.url, data)
        self.assertIn("cannot end before it starts", self.errors_of(response))
        self.assertFalse(Visit.objects.exists())

    def test_a_visit_without_a_head_is_refused(self):
        response = self.client.post(self.url, self.post_data())
        self.assertIn("Add the head of delegation", self.errors_of(response))
        # Said at the top of the page too, not only at the inline far below.
        top = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Add the head of delegation", top)
        self.assertFalse(Visit.objects.exists())

    def test_a_visit_whose_head_is_not_recorded_is_accepted_when_ticked(self):
        response = self.client.post(self.url, self.post_data(head_unrecorded="on"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Visit.objects.get().head_unrecorded)

    def test_a_head_and_the_unrecorded_box_contradict_each_other(self):
        data = self.post_data(members=[self.head()], head_unrecorded="on")
        response = self.client.post(self.url, data)
        self.assertIn("is ticked, but a head is listed", self.errors_of(response))

    def test_two_heads_are_refused(self):
        second = {**self.head(title="Mayor"), "position": 1}
        response = self.client.post(
            self.url, self.post_data(members=[self.head(), second])
        )
        self.assertIn("A delegation has one head", self.errors_of(response))

    def test_a_home_person_on_an_inbound_visit_is_refused(self):
        response = self.client.post(
            self.url, self.post_data(members=[self.head(self.host)])
        )
        self.assertIn("but this is an inbound visit", self.errors_of(response))
        self.assertFalse(Visit.objects.exists())

    def test_a_partner_person_on_an_outbound_visit_is_refused(self):
        data = self.post_data(
            members=[self.head(self.guest)], direction=Direction.OUTBOUND
        )
        response = self.client.post(self.url, data)
        self.assertIn("but this is an outbound visit", self.errors_of(response))

    def test_a_future_visit_marked_completed_is_refused(self):
        start = timezone.localdate() + datetime.timedelta(days=30)
        data = self.post_data(
            members=[self.head()], start_date=start.isoformat(), end_date=""
        )
        response = self.client.post(self.url, data)
        self.assertIn("cannot be marked as completed", self.errors_of(response))

    def test_the_home_and_partner_fields_must_be_on_their_sides(self):
        data = self.post_data(
            members=[self.head()], home_party=self.partner.pk, partner_city=self.home.pk
        )
        response = self.client.post(self.url, data)
        errors = self.errors_of(response)
        self.assertIn("is not the home municipality", errors)
        self.assertIn("is on the home side", errors)

    def test_the_add_page_proposes_the_home_municipality(self):
        response = self.client.get(self.url)
        self.assertEqual(
            response.context["adminform"].form.initial["home_party"], self.home.pk
        )


class VisitPostTestCase(SuperuserTestCase):
    """Posts the visit form with only what these tests vary."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")

    def post(self, start, end="", prefix="", direction=Direction.INBOUND, extra=()):
        data = {
            "direction": direction,
            "status": VisitStatus.PLANNED,
            "partner_city": self.partner.pk,
            "home_party": self.home.pk,
            "start_date": start,
            "end_date": end,
            "head_unrecorded": "on",
            **{
                f"{inline}-{key}": value
                for inline in ("members", "activities")
                for key, value in (
                    ("TOTAL_FORMS", 0),
                    ("INITIAL_FORMS", 0),
                    ("MIN_NUM_FORMS", 0),
                    ("MAX_NUM_FORMS", 1000),
                )
            },
            **dict(extra),
        }
        return self.client.post(f"{prefix}/admin/partnerships/visit/add/", data)


class DatesAsKnownTests(VisitPostTestCase):
    """A visit's dates are typed as precisely as known; the precision follows."""

    def test_the_precision_is_what_was_typed(self):
        cases = [
            ("2027-05-14", "", "", datetime.date(2027, 5, 14), "day"),
            ("2027-05", "", "", datetime.date(2027, 5, 1), "month"),
            ("2027", "", "", datetime.date(2027, 1, 1), "year"),
            ("2027年5月", "", "/zh-hans", datetime.date(2027, 5, 1), "month"),
            ("май 2027", "", "/ru", datetime.date(2027, 5, 1), "month"),
            ("2027-05", "2027-06", "", datetime.date(2027, 5, 1), "month"),
            ("", "", "", None, "unknown"),
        ]
        for start, end, prefix, day, precision in cases:
            with self.subTest(start=start, end=end):
                Visit.objects.all().delete()
                response = self.post(start, end, prefix)
                self.assertEqual(response.status_code, 302, start)
                visit = Visit.objects.get()
                self.assertEqual(
                    (visit.start_date, visit.date_precision), (day, precision)
                )

    def test_an_end_without_a_start_is_refused(self):
        response = self.post("", "2027-05")
        self.assertEqual(response.status_code, 200)
        errors = response.context["adminform"].form.errors
        self.assertEqual(errors["end_date"], ["Give the start date too, or neither."])
        self.assertFalse(Visit.objects.exists())

    def test_dates_at_different_precisions_are_refused(self):
        response = self.post("2027-05", "2027-05-20")
        self.assertEqual(response.status_code, 200)
        self.assertIn("end_date", response.context["adminform"].form.errors)
        self.assertFalse(Visit.objects.exists())

    def test_a_month_is_shown_back_as_typed_and_listed_as_a_month(self):
        visit = make_visit(
            home_party=self.home,
            partner_city=self.partner,
            status=VisitStatus.PLANNED,
            start_date=datetime.date(2027, 5, 1),
            date_precision="month",
        )
        response = self.client.get(
            reverse("admin:partnerships_visit_change", args=[visit.pk])
        )
        self.assertEqual(
            response.context["adminform"].form["start_date"].value(), "2027-05"
        )
        for prefix, text in (
            ("", "May 2027"),
            ("/zh-hans", "2027年5月"),
            ("/ru", "май 2027 г."),
        ):
            with self.subTest(prefix=prefix):
                page = self.client.get(f"{prefix}/admin/partnerships/visit/")
                page = page.content.decode()
                self.assertIn(text, page)
                self.assertNotIn("2027-05-01", page)
                # Nor as a day to pick in the date hierarchy.
                self.assertNotIn("start_date__day=", page)
                dashboard = self.client.get(f"{prefix}/admin/")
                self.assertContains(dashboard, text)


class LikelyDuplicateVisitTests(VisitPostTestCase):
    """A visit that may already be recorded is shown before saving, not refused."""

    def setUp(self):
        super().setUp()
        self.recorded = make_visit(
            home_party=self.home,
            partner_city=self.partner,
            status=VisitStatus.PLANNED,
            title="Duma delegation",
            start_date=datetime.date(2027, 5, 1),
            date_precision="month",
        )

    def test_an_overlapping_visit_is_shown_with_a_link(self):
        response = self.post("2027-05-14", "2027-05-16")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "This may be a visit already recorded")
        self.assertContains(
            response,
            reverse("admin:partnerships_visit_change", args=[self.recorded.pk]),
        )
        self.assertEqual(Visit.objects.count(), 1)

    def test_ticking_a_different_visit_saves_it(self):
        response = self.post("2027-05-14", "", extra={"different_visit": "on"})
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Visit.objects.count(), 2)

    def test_other_months_directions_and_undated_visits_are_not_flagged(self):
        for start in ("2027-06-01", "2026", ""):
            with self.subTest(start=start):
                response = self.post(start)
                self.assertEqual(response.status_code, 302, start)
        outbound = self.post("2027-05-14", direction=Direction.OUTBOUND)
        self.assertEqual(outbound.status_code, 302)

    def test_a_year_overlaps_each_of_its_months(self):
        response = self.post("2027")
        self.assertContains(response, "This may be a visit already recorded")


class MarkCompletedActionTests(SuperuserTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.past = make_visit(status=VisitStatus.PLANNED, title="Past")
        cls.future = make_visit(
            status=VisitStatus.PLANNED,
            title="Future",
            start_date=timezone.localdate() + datetime.timedelta(days=10),
        )

    def test_past_visits_are_completed_and_future_ones_refused(self):
        response = self.client.post(
            changelist(Visit),
            {
                "action": "mark_completed",
                "_selected_action": [self.past.pk, self.future.pk],
            },
            follow=True,
        )
        self.past.refresh_from_db()
        self.future.refresh_from_db()
        self.assertEqual(self.past.status, VisitStatus.COMPLETED)
        self.assertEqual(self.future.status, VisitStatus.PLANNED)
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Marked 1 visit as completed", text)
        self.assertIn("start in the future", text)
        self.assertIn("Future", text)


class AddAnotherPhraseTests(TestCase):
    """An inline's "Add another" reads as one phrase in each language."""

    @classmethod
    def setUpTestData(cls):
        cls.boss = get_user_model().objects.create_superuser("boss", "", "pw-boss-1")

    def add_texts(self, prefix):
        page = self.client.get(f"{prefix}/admin/partnerships/visit/add/")
        found = re.findall(r'data-inline-formset="([^"]+)"', page.content.decode())
        return [json.loads(html.unescape(data))["options"]["addText"] for data in found]

    def test_the_phrase_in_each_language(self):
        self.client.force_login(self.boss)
        for prefix, phrases in (
            ("", ["Add another delegation member", "Add another activity"]),
            (
                "/ru",
                [
                    "Добавить ещё одного члена делегации",
                    "Добавить ещё одно мероприятие",
                ],
            ),
            ("/zh-hans", ["再添加一名代表团成员", "再添加一项活动"]),
        ):
            with self.subTest(prefix=prefix):
                self.assertEqual(self.add_texts(prefix), phrases)


class TitleFromPositionTests(VisitPostTestCase):
    """A member saved without a title gets the post they held on the visit's dates."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.petrov = make_person(
            name="Sergei Petrov",
            city=cls.partner,
            positions=[
                ("Deputy Mayor of Voronezh", "2019", "2023"),
                ("Mayor of Voronezh", "2024-03", ""),
            ],
        )
        cls.petrov.positions.filter(title_en="Mayor of Voronezh").update(
            title_ru="Мэр Воронежа"
        )

    def post_member(self, start, end="", title=""):
        return self.post(
            start,
            end,
            extra={
                "members-TOTAL_FORMS": 1,
                "members-0-role": DelegationRole.MEMBER,
                "members-0-person": self.petrov.pk,
                "members-0-title_at_time_en": title,
                "members-0-position": 1,
            },
        )

    def test_the_title_held_on_the_visit_dates_is_proposed(self):
        cases = [
            ("2021-05-14", "", "Deputy Mayor of Voronezh", ""),
            ("2021-05", "", "Deputy Mayor of Voronezh", ""),
            ("2025", "", "Mayor of Voronezh", "Мэр Воронежа"),
            # Before the record says he held either post: nothing is proposed.
            ("2018", "", "", ""),
            # 2024 may have been before or after he became Mayor in March.
            ("2024", "", "", ""),
            ("", "", "", ""),
        ]
        for start, end, english, russian in cases:
            with self.subTest(start=start):
                Visit.objects.all().delete()
                response = self.post_member(start, end)
                self.assertEqual(response.status_code, 302)
                member = DelegationMember.objects.get()
                self.assertEqual(
                    (member.title_at_time_en, member.title_at_time_ru),
                    (english, russian),
                )

    def test_a_title_typed_is_kept(self):
        self.post_member("2021-05-14", title="Guest of honour")
        self.assertEqual(
            DelegationMember.objects.get().title_at_time_en, "Guest of honour"
        )


class ActivityDatesAsKnownTests(SuperuserTestCase):
    """An activity's dates are typed, kept and listed as precisely as known."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.collaboration = make_collaboration()

    def post(self, start, end="", prefix=""):
        return self.client.post(
            f"{prefix}/admin/partnerships/activity/add/",
            {
                "kind": ActivityKind.EXHIBITION,
                "title_en": "Trade fair",
                "collaboration": self.collaboration.pk,
                "start_date": start,
                "end_date": end,
            },
        )

    def test_the_precision_is_what_was_typed_and_the_list_says_no_more(self):
        cases = [
            ("2027-05-14", "", "", "day", "14 May 2027"),
            ("2027-05", "", "", "month", "May 2027"),
            ("2027年", "", "/zh-hans", "year", "2027"),
            ("", "", "", "unknown", "undated"),
        ]
        for start, end, prefix, precision, listed in cases:
            with self.subTest(start=start):
                Activity.objects.all().delete()
                response = self.post(start, end, prefix)
                self.assertEqual(response.status_code, 302, start)
                activity = Activity.objects.get()
                self.assertEqual(activity.date_precision, precision)
                response = self.client.get("/admin/partnerships/activity/")
                self.assertContains(response, f'<td class="field-when">{listed}</td>')

    def test_two_precisions_are_refused(self):
        response = self.post("2027-05", "2027-06-02")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(Activity.objects.exists())


class CollaborationDatesAsKnownTests(SuperuserTestCase):
    """A collaboration's start and end each as precisely as known."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.agreement = make_collaboration().agreement

    def post(self, started, ended):
        return self.client.post(
            "/admin/partnerships/collaboration/add/",
            {
                "agreement": self.agreement.pk,
                "sector": Sector.objects.get(code="economy").pk,
                "status": "active",
                "title_en": "River ports",
                "started_on": started,
                "ended_on": ended,
                "participants-TOTAL_FORMS": 0,
                "participants-INITIAL_FORMS": 0,
                "participants-MIN_NUM_FORMS": 0,
                "participants-MAX_NUM_FORMS": 1000,
            },
        )

    def test_each_date_keeps_its_own_precision_and_the_list_says_no_more(self):
        cases = [
            ("2019", "2024-03", ("year", "month"), "2019 – March 2024"),
            ("2019-05", "", ("month", "unknown"), "since May 2019"),
            ("2019-05-14", "2019-05-20", ("day", "day"), "14 May 2019 – 20 May 2019"),
        ]
        for started, ended, precisions, listed in cases:
            with self.subTest(started=started):
                Collaboration.objects.filter(title_en="River ports").delete()
                response = self.post(started, ended)
                self.assertEqual(response.status_code, 302)
                collaboration = Collaboration.objects.get(title_en="River ports")
                self.assertEqual(
                    (collaboration.started_precision, collaboration.ended_precision),
                    precisions,
                )
                response = self.client.get(
                    "/admin/partnerships/collaboration/", {"q": "River ports"}
                )
                self.assertContains(response, f'<td class="field-period">{listed}</td>')

    def test_an_end_before_the_start_at_their_precisions_is_refused(self):
        response = self.post("2024", "2023-12")
        self.assertContains(response, "The collaboration cannot end before it starts.")
        # March 2024 may be any day of March: it does not end before 2024.
        self.assertEqual(self.post("2024", "2024-03").status_code, 302)
