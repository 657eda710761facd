import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from partnerships import dashboard
from partnerships.models import Person
from partnerships.models.choices import AgreementStatus, Direction, VisitStatus
from tests.factories import (
    make_agreement,
    make_city,
    make_home,
    make_person,
    make_user,
    make_visit,
)


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English texts, whatever an earlier test activated."""
    with translation.override("en"):
        yield


TODAY = datetime.date(2026, 6, 1)


def day(text):
    return datetime.date.fromisoformat(text)


@override_settings(
    PARTNERSHIPS_QUIET_AFTER_YEARS=3, PARTNERSHIPS_ROUND_ANNIVERSARY_STEP=5
)
class DashboardDataTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        cls.minsk = make_city(name="Minsk")
        cls.brno = make_city(name="Brno")
        cls.voronezh = make_city(name="Voronezh")
        cls.gone = make_city(name="Gone")
        cls.minsk_agreement = make_agreement(
            home_party=cls.home,
            partner=cls.minsk,
            signed_on=day("2001-12-05"),
            renewal_due_on=day("2026-09-01"),
        )
        cls.brno_agreement = make_agreement(
            home_party=cls.home,
            partner=cls.brno,
            signed_on=day("2017-03-02"),
            renewal_due_on=day("2026-01-01"),
        )
        cls.voronezh_agreement = make_agreement(
            home_party=cls.home,
            partner=cls.voronezh,
            signed_on=day("1993-10-20"),
            renewal_due_on=day("2028-01-01"),
        )
        cls.ended = make_agreement(
            home_party=cls.home,
            partner=cls.gone,
            signed_on=day("2011-07-01"),
            status=AgreementStatus.ENDED,
            ended_on=day("2015-01-01"),
            end_reason="Lapsed",
        )

        def visit(city, start, direction=Direction.INBOUND, **fields):
            return make_visit(
                home_party=cls.home,
                partner_city=city,
                direction=direction,
                start_date=day(start),
                **fields,
            )

        visit(cls.minsk, "2026-02-10")
        visit(cls.voronezh, "2026-03-10")
        visit(cls.voronezh, "2026-04-10", Direction.OUTBOUND)
        visit(cls.voronezh, "2026-05-10", status=VisitStatus.CANCELLED)
        visit(cls.brno, "2020-05-01", Direction.OUTBOUND)
        cls.upcoming = visit(
            cls.brno, "2026-07-01", Direction.OUTBOUND, status=VisitStatus.PLANNED
        )
        cls.later = visit(cls.minsk, "2026-08-01", status=VisitStatus.PLANNED)
        visit(cls.minsk, "2026-05-01", status=VisitStatus.PLANNED)  # in the past

    def test_visits_this_year_in_and_out_leave_out_cancelled_ones(self):
        self.assertEqual(
            dashboard.visits_this_year(TODAY),
            {"year": 2026, "inbound": 4, "outbound": 2},
        )

    def test_upcoming_visits_are_planned_and_dated_from_today(self):
        self.assertEqual(dashboard.upcoming_visits(TODAY), [self.upcoming, self.later])

    def test_anniversaries_in_the_next_twelve_months_mark_round_ones(self):
        found = [
            (item["agreement"], item["date"], item["years"], item["round"])
            for item in dashboard.anniversaries(TODAY)
        ]
        self.assertEqual(
            found,
            [
                (self.voronezh_agreement, day("2026-10-20"), 33, False),
                (self.minsk_agreement, day("2026-12-05"), 25, True),
                (self.brno_agreement, day("2027-03-02"), 10, True),
            ],
        )

    def test_renewals_due_include_overdue_ones_and_not_distant_ones(self):
        found = [
            (item["agreement"], item["overdue"])
            for item in dashboard.renewals_due(TODAY)
        ]
        self.assertEqual(
            found, [(self.brno_agreement, True), (self.minsk_agreement, False)]
        )

    def test_gone_quiet_lists_active_partnerships_without_a_recent_visit(self):
        self.assertEqual(dashboard.gone_quiet(TODAY), [self.brno_agreement])

    def test_visits_per_year_covers_the_last_twelve_years(self):
        rows = dashboard.visits_per_year(TODAY)
        self.assertEqual(len(rows), 12)
        self.assertEqual(rows[0][0], 2015)
        self.assertEqual(rows[-1], (2026, 4, 2))
        self.assertIn((2020, 0, 1), rows)

    def test_the_chart_scales_its_tallest_bar_to_the_plot(self):
        chart = dashboard.chart(TODAY)
        tallest = max(chart["bars"], key=lambda bar: bar["height"])
        self.assertEqual(tallest["title"], "2026: 4 inbound")
        self.assertEqual(tallest["y"] + tallest["height"], chart["baseline"])
        self.assertEqual(len(chart["bars"]), 24)
        self.assertEqual(chart["total"], 7)


class TwelveMonthsTests(TestCase):
    def test_the_twelve_months_end_the_day_before_the_same_day_next_year(self):
        cases = {
            "2026-06-01": "2027-05-31",
            "2027-03-01": "2028-02-29",
            "2027-02-28": "2028-02-27",
            "2028-02-29": "2029-02-28",
            "2028-03-01": "2029-02-28",
            "2026-01-01": "2026-12-31",
        }
        for today, last in cases.items():
            with self.subTest(today=today):
                self.assertEqual(dashboard.next_twelve_months(day(today)), day(last))

    def test_an_anniversary_on_28_february_is_seen_from_29_february(self):
        agreement = make_agreement(signed_on=day("2004-02-28"))
        found = [
            (item["agreement"], item["date"])
            for item in dashboard.anniversaries(day("2028-02-29"))
        ]
        self.assertEqual(found, [(agreement, day("2029-02-28"))])


class DashboardPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.home = make_home()
        partner = make_city(name="Minsk")
        make_agreement(
            home_party=cls.home, partner=partner, signed_on=day("2001-12-05")
        )
        make_visit(home_party=cls.home, partner_city=partner)
        cls.boss = get_user_model().objects.create_superuser(
            "boss", password="a-long-test-password"
        )
        cls.nobody = make_user("nobody")

    def test_the_admin_index_shows_the_dashboard_with_a_server_drawn_chart(self):
        self.client.force_login(self.boss)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, 'class="fa-dashboard"')
        self.assertContains(response, '<svg class="fa-chart"', count=1)
        self.assertContains(response, 'class="fa-bar fa-bar-in"')
        self.assertContains(response, "Log a visit")
        self.assertNotContains(response, '<script src="http')

    def test_the_chart_numbers_are_not_localized_in_russian(self):
        self.client.force_login(self.boss)
        response = self.client.get("/ru/admin/")
        content = response.content.decode()
        self.assertContains(response, 'class="fa-bar fa-bar-in"')
        self.assertNotRegex(content, r'<rect [^>]*="[0-9]+,[0-9]')
        self.assertIn(">2019</text>", content)

    def test_the_office_records_come_first_in_the_app_list(self):
        self.client.force_login(self.boss)
        response = self.client.get(reverse("admin:index"))
        labels = [app["app_label"] for app in response.context["app_list"]]
        self.assertEqual(labels[0], "partnerships")
        self.assertIn("auth", labels)

    def test_a_user_who_may_not_read_visits_sees_no_dashboard(self):
        self.client.force_login(self.nobody)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'class="fa-dashboard"')


class ReportLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.reader = make_user("reader")
        cls.reader.user_permissions.add(Permission.objects.get(codename="view_report"))
        cls.nobody = make_user("nobody")

    def test_the_index_links_to_the_period_report_for_those_who_may_see_it(self):
        self.client.force_login(self.reader)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, f'href="{reverse("admin:report")}"')
        self.assertContains(response, "Period report")

    def test_others_get_no_link(self):
        self.client.force_login(self.nobody)
        response = self.client.get(reverse("admin:index"))
        self.assertNotContains(response, reverse("admin:report"))


class RecentlyDeletedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.boss = get_user_model().objects.create_superuser(
            "boss", password="a-long-test-password"
        )

    def test_a_deleted_record_is_listed_with_its_restore_page_until_restored(self):
        self.client.force_login(self.boss)
        person = make_person(name="Ivanov")
        pk = person.pk
        delete = reverse("admin:partnerships_person_delete", args=[pk])
        self.client.post(delete, {"post": "yes"})
        deletion = Person.history.get(id=pk, history_type="-")
        restore = reverse(
            "admin:partnerships_person_simple_history",
            args=[pk, deletion.history_id],
        )
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Recently deleted")
        self.assertContains(response, f'href="{restore}"')
        self.assertEqual(dashboard.recently_deleted(self.boss)[0]["who"], self.boss)
        self.client.post(restore, {"name_en": "Ivanov"})
        self.assertTrue(Person.objects.filter(pk=pk).exists())
        self.assertEqual(dashboard.recently_deleted(self.boss), [])

    def test_only_records_the_user_may_add_are_offered(self):
        city = make_city(name="Gone")
        city.delete()
        clerk = make_user("viewer")
        clerk.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_visit", "view_agreement"])
        )
        self.assertEqual(dashboard.recently_deleted(clerk), [])
        self.assertEqual(dashboard.recently_deleted(self.boss)[0]["name"], "Gone")


class TranslationQueueTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.boss = get_user_model().objects.create_superuser("boss", "", "pw-boss-123")
        home = make_home(name_zh_hans="重庆")
        cls.translated = make_city(
            name="Voronezh",
            name_zh_hans="沃罗涅日",
            name_ru="Воронеж",
            description="A hub.",
            description_zh_hans="中心。",
            description_ru="Центр.",
        )
        cls.english_only = make_city(name="Brest", description="A port.")
        cls.hidden = make_city(name="Hidden", published=False)
        cls.home = home

    def queue(self):
        return {row["model"]: row["languages"] for row in dashboard.translation_queue()}

    def test_published_records_lacking_chinese_or_russian_are_counted(self):
        cities = self.queue()["cities"]
        # Chongqing lacks Russian; Brest lacks both; Voronezh lacks none; the
        # unpublished city is not counted.
        self.assertEqual([language["count"] for language in cities], [1, 2])
        self.assertEqual(
            [language["url"] for language in cities],
            [
                "/admin/partnerships/city/?published__exact=1&missing=zh-hans",
                "/admin/partnerships/city/?published__exact=1&missing=ru",
            ],
        )

    def test_the_links_list_what_is_left_to_translate(self):
        self.client.force_login(self.boss)
        for language, expected in (
            ("zh-hans", {self.english_only}),
            ("ru", {self.english_only, self.home}),
        ):
            with self.subTest(language):
                response = self.client.get(
                    reverse("admin:partnerships_city_changelist"),
                    {"published__exact": "1", "missing": language},
                )
                self.assertEqual(set(response.context["cl"].result_list), expected)

    def test_every_list_offers_the_filter(self):
        self.client.force_login(self.boss)
        for model in ("city", "visit", "person", "sector", "source"):
            with self.subTest(model):
                response = self.client.get(
                    reverse(f"admin:partnerships_{model}_changelist")
                )
                self.assertContains(response, "missing translation")

    def test_the_dashboard_shows_the_queue(self):
        self.client.force_login(self.boss)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Translation queue")
        self.assertContains(
            response, "/admin/partnerships/city/?published__exact=1&amp;missing=ru"
        )


class ThirdPartyNamesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.boss = get_user_model().objects.create_superuser("boss", "", "pw-boss-123")

    def test_third_party_apps_have_human_names_in_every_language(self):
        self.client.force_login(self.boss)
        expected = {
            "": ("Sign-in protection", "Authenticator apps"),
            "/zh-hans": ("登录保护", "身份验证器应用"),
            "/ru": ("Защита входа", "Приложения-аутентификаторы"),
        }
        for prefix, names in expected.items():
            with self.subTest(prefix=prefix):
                html = self.client.get(f"{prefix}/admin/").content.decode()
                for name in names:
                    self.assertIn(name, html)
                for label in ("Otp_Totp", "Axes", "Access attempts", "TOTP devices"):
                    self.assertNotIn(f">{label}<", html)


class RussianPluralTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.boss = get_user_model().objects.create_superuser("boss", "", "pw-boss-123")
        make_home()

    def test_visit_counts_take_the_right_russian_form(self):
        self.client.force_login(self.boss)
        expected = {1: "входящий", 2: "входящих", 5: "входящих", 21: "входящий"}
        for count, word in expected.items():
            with self.subTest(count=count):
                with mock.patch.object(
                    dashboard,
                    "visits_this_year",
                    return_value={"year": 2026, "inbound": count, "outbound": count},
                ):
                    html = self.client.get("/ru/admin/").content.decode()
                self.assertIn(f'<span class="fa-number">{count}</span> {word}', html)
                outbound = "исходящий" if word.endswith("ий") else "исходящих"
                self.assertIn(
                    f'<span class="fa-number">{count}</span> {outbound}', html
                )
