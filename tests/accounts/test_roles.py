import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from partnerships.accounts.roles import (
    ADMINISTRATOR,
    CLERK,
    OFFICIAL,
    PUBLISHER,
    role_permissions,
    setup_roles,
)
from partnerships.models import Agreement, City, Sector, Visit
from partnerships.models.choices import VisitStatus
from tests.factories import (
    make_agreement,
    make_city,
    make_head,
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


PUBLISHABLE = ("city", "agreement", "visit", "institution", "collaboration", "activity")


def url(name, *args):
    return reverse(f"admin:{name}", args=args)


class SetupRolesTests(TestCase):
    def test_the_command_creates_the_four_groups_and_can_run_again(self):
        out = io.StringIO()
        call_command("setup_roles", stdout=out)
        self.assertIn("Created group Clerk", out.getvalue())
        clerk = Group.objects.get(name=CLERK)
        clerk.permissions.add(Permission.objects.get(codename="delete_agreement"))
        call_command("setup_roles", stdout=out)
        self.assertIn("Updated group Clerk", out.getvalue())
        # The roles, beside the "Two-factor required" group a migration makes.
        self.assertLessEqual(
            {CLERK, OFFICIAL, PUBLISHER, ADMINISTRATOR},
            set(Group.objects.values_list("name", flat=True)),
        )
        # A permission added by hand is taken away again: the file is the rule.
        self.assertFalse(clerk.permissions.filter(codename="delete_agreement").exists())

    def test_only_clerks_import_and_only_officials_export(self):
        for role in (CLERK, OFFICIAL, PUBLISHER, ADMINISTRATOR):
            perms = role_permissions(role)
            imports = {p for p in perms if p.split(".")[1].startswith("import_")}
            exports = {p for p in perms if p.split(".")[1].startswith("export_")}
            with self.subTest(role=role):
                if role == CLERK:
                    self.assertEqual(imports, {"partnerships.import_visit"})
                else:
                    self.assertEqual(imports, set())
                if role == OFFICIAL:
                    self.assertEqual(
                        exports, {f"partnerships.export_{m}" for m in PUBLISHABLE}
                    )
                    self.assertIn("partnerships.view_report", perms)
                else:
                    self.assertEqual(exports, set())

    def test_only_publishers_may_publish(self):
        for role in (CLERK, OFFICIAL, PUBLISHER, ADMINISTRATOR):
            publish = {p for p in role_permissions(role) if ".publish_" in p}
            with self.subTest(role=role):
                expected = (
                    {f"partnerships.publish_{m}" for m in PUBLISHABLE}
                    if role == PUBLISHER
                    else set()
                )
                self.assertEqual(publish, expected)

    def test_officials_change_nothing(self):
        perms = role_permissions(OFFICIAL)
        for action in ("add_", "change_", "delete_", "import_", "publish_"):
            with self.subTest(action=action):
                self.assertFalse([p for p in perms if f".{action}" in p])


class RoleTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.home = make_home()
        cls.partner = make_city(name="Voronezh")
        cls.agreement = make_agreement(home_party=cls.home, partner=cls.partner)
        cls.visit = make_visit(
            home_party=cls.home,
            partner_city=cls.partner,
            published=False,
            title="Unpublished visit",
        )
        make_head(cls.visit)
        cls.clerk = make_user("clerk", groups=[CLERK])
        cls.official = make_user("official", groups=[OFFICIAL])
        cls.publisher = make_user("publisher", groups=[PUBLISHER])
        cls.administrator = make_user("administrator", groups=[ADMINISTRATOR])

    def visit_form_data(self, **changes):
        """The visit's change form as the page would post it back."""
        data = {
            "direction": self.visit.direction,
            "status": self.visit.status,
            "partner_city": self.visit.partner_city_id,
            "home_party": self.visit.home_party_id,
            "start_date": self.visit.start_date.isoformat(),
            "end_date": "",
            "title_en": self.visit.title,
            "members-TOTAL_FORMS": 1,
            "members-INITIAL_FORMS": 1,
            "members-0-id": self.visit.members.get().pk,
            "members-0-visit": self.visit.pk,
            "members-0-role": "head",
            "members-0-title_at_time_en": "Deputy Mayor",
            "members-0-position": 0,
            "activities-TOTAL_FORMS": 0,
            "activities-INITIAL_FORMS": 0,
        }
        data.update(changes)
        return data

    def publish_selected(self, model, objects):
        return self.client.post(
            url(f"partnerships_{model._meta.model_name}_changelist"),
            {"action": "publish_selected", "_selected_action": [o.pk for o in objects]},
        )


class ClerkTests(RoleTestCase):
    def setUp(self):
        self.client.force_login(self.clerk)

    def test_clerk_logs_and_edits_visits(self):
        self.assertEqual(
            self.client.get(url("partnerships_visit_add")).status_code, 200
        )
        response = self.client.post(
            url("partnerships_visit_change", self.visit.pk),
            self.visit_form_data(purpose_en="Trade talks"),
        )
        self.assertEqual(response.status_code, 302)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.purpose, "Trade talks")

    def test_published_is_read_only_for_a_clerk_even_in_a_crafted_post(self):
        change = url("partnerships_visit_change", self.visit.pk)
        form = self.client.get(change).context["adminform"].form
        self.assertNotIn("published", form.fields)
        response = self.client.post(change, self.visit_form_data(published="on"))
        self.assertEqual(response.status_code, 302)
        self.visit.refresh_from_db()
        self.assertFalse(self.visit.published)

    def test_a_visit_a_clerk_adds_is_unpublished_whatever_the_post_says(self):
        data = self.visit_form_data(published="on", title_en="New visit")
        data.update(
            {
                "members-INITIAL_FORMS": 0,
                "members-0-id": "",
                "members-0-visit": "",
                # Same partner, direction and day as the visit on file.
                "different_visit": "on",
            }
        )
        response = self.client.post(url("partnerships_visit_add"), data)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(Visit.objects.get(title="New visit").published)

    def test_clerk_cannot_use_the_publish_action(self):
        response = self.client.get(url("partnerships_visit_changelist"))
        actions = dict(response.context["action_form"].fields["action"].choices)
        self.assertNotIn("publish_selected", actions)
        self.assertIn("mark_completed", actions)
        self.publish_selected(Visit, [self.visit])
        self.visit.refresh_from_db()
        self.assertFalse(self.visit.published)

    def test_clerk_cannot_delete_agreements(self):
        delete = url("partnerships_agreement_delete", self.agreement.pk)
        self.assertEqual(self.client.get(delete).status_code, 403)
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.assertTrue(Agreement.objects.filter(pk=self.agreement.pk).exists())

    def test_clerk_cannot_see_user_accounts(self):
        self.assertEqual(self.client.get(url("auth_user_changelist")).status_code, 403)

    def test_clerk_cannot_change_reference_data(self):
        sector = Sector.objects.first()
        change = url("partnerships_sector_change", sector.pk)
        response = self.client.post(change, {"name_en": "Renamed", "code": sector.code})
        self.assertEqual(response.status_code, 403)
        sector.refresh_from_db()
        self.assertNotEqual(sector.name, "Renamed")


class OfficialTests(RoleTestCase):
    def setUp(self):
        self.client.force_login(self.official)

    def test_official_sees_every_list_and_record(self):
        for name in (
            "city",
            "person",
            "agreement",
            "visit",
            "institution",
            "collaboration",
            "activity",
            "source",
            "sector",
            "focusarea",
            "sentreminder",
        ):
            with self.subTest(model=name):
                response = self.client.get(url(f"partnerships_{name}_changelist"))
                self.assertEqual(response.status_code, 200)
        for obj in (self.partner, self.agreement, self.visit):
            name = obj._meta.model_name
            with self.subTest(record=name):
                response = self.client.get(url(f"partnerships_{name}_change", obj.pk))
                self.assertEqual(response.status_code, 200)
                self.assertFalse(response.context["has_change_permission"])

    def test_official_changes_nothing_even_by_direct_post(self):
        change = url("partnerships_visit_change", self.visit.pk)
        response = self.client.post(change, self.visit_form_data(purpose="Changed"))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(
            self.client.post(url("partnerships_visit_add"), {}).status_code, 403
        )
        delete = url("partnerships_city_delete", self.partner.pk)
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)
        self.client.post(
            url("partnerships_visit_changelist"),
            {"action": "mark_completed", "_selected_action": [self.visit.pk]},
        )
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.purpose, "")

    def test_official_cannot_revert_from_history(self):
        self.visit.purpose = "Later text"
        self.visit.save()
        first = self.visit.history.earliest("history_date")
        revert = url("partnerships_visit_simple_history", self.visit.pk, first.pk)
        self.assertEqual(self.client.get(revert).status_code, 200)
        response = self.client.post(revert, self.visit_form_data())
        self.assertEqual(response.status_code, 403)
        self.visit.refresh_from_db()
        self.assertEqual(self.visit.purpose, "Later text")

    def test_official_holds_export_and_report_permissions(self):
        self.assertTrue(self.official.has_perm("partnerships.export_visit"))
        self.assertTrue(self.official.has_perm("partnerships.view_report"))
        self.assertFalse(self.official.has_perm("partnerships.import_visit"))


class PublisherTests(RoleTestCase):
    def setUp(self):
        self.client.force_login(self.publisher)

    def test_publisher_publishes_and_unpublishes_selected(self):
        response = self.publish_selected(Visit, [self.visit])
        self.assertEqual(response.status_code, 302)
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)
        self.client.post(
            url("partnerships_visit_changelist"),
            {"action": "unpublish_selected", "_selected_action": [self.visit.pk]},
        )
        self.visit.refresh_from_db()
        self.assertFalse(self.visit.published)
        # Each change is in the audit history, with who made it.
        self.assertEqual(
            self.visit.history.filter(history_user=self.publisher).count(), 2
        )

    def test_publisher_sets_published_on_the_change_page(self):
        change = url("partnerships_visit_change", self.visit.pk)
        form = self.client.get(change).context["adminform"].form
        self.assertIn("published", form.fields)
        response = self.client.post(change, self.visit_form_data(published="on"))
        self.assertEqual(response.status_code, 302)
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)

    def test_publishing_under_an_unpublished_city_warns_it_stays_hidden(self):
        city = make_city(name="Hidden city", published=False)
        visit = make_visit(partner_city=city, published=False, title="Quiet trip")
        response = self.client.post(
            url("partnerships_visit_changelist"),
            {"action": "publish_selected", "_selected_action": [visit.pk]},
            follow=True,
        )
        text = " ".join(str(m) for m in response.context["messages"])
        self.assertIn("Published 1 record", text)
        self.assertIn("Still not on the public site", text)
        self.assertIn("Quiet trip", text)

    def test_publisher_saves_a_visit_whose_members_are_people(self):
        # The delegation inline is view-only for a Publisher: Django hands the
        # formset the stored values, where a person is only an id.
        member = self.visit.members.get()
        member.person = make_person(name="Ivanov", city=self.partner)
        member.save()
        change = url("partnerships_visit_change", self.visit.pk)
        data = self.visit_form_data(published="on")
        response = self.client.post(change, data)
        self.assertEqual(response.status_code, 302)
        self.visit.refresh_from_db()
        self.assertTrue(self.visit.published)

    def test_publisher_publishes_cities(self):
        city = make_city(name="Unpublished", published=False)
        self.publish_selected(City, [city])
        city.refresh_from_db()
        self.assertTrue(city.published)

    def test_publisher_deletes_nothing(self):
        delete = url("partnerships_visit_delete", self.visit.pk)
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 403)


class AdministratorTests(RoleTestCase):
    def setUp(self):
        self.client.force_login(self.administrator)

    def test_administrator_manages_users_groups_and_reference_data(self):
        self.assertEqual(self.client.get(url("auth_user_changelist")).status_code, 200)
        self.assertEqual(self.client.get(url("auth_group_changelist")).status_code, 200)
        sector = Sector.objects.get(code="sport")
        response = self.client.post(
            url("partnerships_sector_change", sector.pk),
            {
                "name_en": "Sport and fitness",
                "name_zh_hans": sector.name_zh_hans,
                "name_ru": sector.name_ru,
                "code": sector.code,
                "position": sector.position,
            },
        )
        self.assertEqual(response.status_code, 302)
        sector.refresh_from_db()
        self.assertEqual(sector.name, "Sport and fitness")

    def test_administrator_cannot_publish(self):
        self.publish_selected(Visit, [self.visit])
        self.visit.refresh_from_db()
        self.assertFalse(self.visit.published)

    def test_administrator_may_delete_an_unused_record(self):
        visit = make_visit(status=VisitStatus.PLANNED, title="Mistake")
        delete = url("partnerships_visit_delete", visit.pk)
        # Not while it is on the public site: that is a Publisher's decision.
        self.assertContains(
            self.client.post(delete, {"post": "yes"}, follow=True),
            "only a Publisher decides what leaves it",
        )
        Visit.objects.filter(pk=visit.pk).update(published=False)
        self.assertEqual(self.client.post(delete, {"post": "yes"}).status_code, 302)
        self.assertFalse(Visit.objects.filter(pk=visit.pk).exists())


class RoleNamesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.boss = make_user("boss", is_superuser=True)

    def test_roles_are_named_in_the_readers_language(self):
        self.client.force_login(self.boss)
        for prefix, names in (
            ("", ("Clerk", "Publisher")),
            ("/zh-hans", ("文书", "发布人")),
            ("/ru", ("Делопроизводитель", "Публикатор")),
        ):
            with self.subTest(prefix=prefix):
                groups = self.client.get(f"{prefix}/admin/auth/group/")
                user = self.client.get(
                    f"{prefix}/admin/auth/user/{self.boss.pk}/change/"
                )
                for name in names:
                    self.assertContains(groups, name)
                    self.assertContains(user, f">{name}</option>")
