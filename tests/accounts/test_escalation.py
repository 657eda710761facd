"""Nobody raises their own rights: roles only a superuser grants, staff status
that follows the roles, and a record of every change of roles."""

from django.contrib.auth.models import Group, Permission, User
from django.test import TestCase
from django.urls import reverse

from partnerships.accounts.roles import (
    ADMINISTRATOR,
    CLERK,
    OFFICIAL,
    PUBLISHER,
    setup_roles,
)
from partnerships.models import City, RoleChange
from tests.admin.helpers import change_form_data
from tests.factories import make_city, make_user


def group(name):
    return Group.objects.get(name=name).pk


class EscalationTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.administrator = make_user("admin1", groups=[ADMINISTRATOR])
        cls.clerk = make_user("clerk1", groups=[CLERK])
        cls.publisher = make_user("publisher1", groups=[PUBLISHER])
        cls.root = User.objects.create_superuser("root", password="a-long-test-pw-1")
        cls.hidden = make_city(name="Kursk", published=False)

    def edit(self, user, **changes):
        """Post ``user``'s page as it stands, with ``changes``."""
        url = reverse("admin:auth_user_change", args=[user.pk])
        data = change_form_data(self.client.get(url))
        for name in ("date_joined", "last_login"):
            # The admin splits these into a date and a time.
            moment = data.pop(name, None)
            if moment is not None:
                data[f"{name}_0"] = f"{moment:%Y-%m-%d}"
                data[f"{name}_1"] = f"{moment:%H:%M:%S}"
        data.update(changes)
        return self.client.post(url, data)

    def test_an_administrator_cannot_make_themselves_publisher_or_superuser(self):
        self.client.force_login(self.administrator)
        self.edit(
            self.administrator,
            groups=[group(ADMINISTRATOR), group(PUBLISHER)],
            is_superuser="on",
            user_permissions=[Permission.objects.get(codename="publish_city").pk],
        )
        user = User.objects.get(pk=self.administrator.pk)
        self.assertFalse(user.is_superuser)
        self.assertEqual(
            list(user.groups.values_list("name", flat=True)), [ADMINISTRATOR]
        )
        self.assertFalse(user.has_perm("partnerships.publish_city"))
        # And so cannot publish the hidden city.
        self.client.post(
            reverse("admin:partnerships_city_changelist"),
            {"action": "publish_selected", "_selected_action": [self.hidden.pk]},
        )
        self.assertFalse(City.objects.get(pk=self.hidden.pk).published)

    def test_an_administrator_manages_clerks_and_officials_only(self):
        self.client.force_login(self.administrator)
        response = self.edit(self.clerk, groups=[group(CLERK), group(PUBLISHER)])
        self.assertContains(response, "Only a superuser can grant or withdraw")
        self.assertEqual(
            list(self.clerk.groups.values_list("name", flat=True)), [CLERK]
        )
        response = self.edit(self.clerk, groups=[group(OFFICIAL)])
        self.assertEqual(response.status_code, 302)
        self.assertEqual(
            list(self.clerk.groups.values_list("name", flat=True)), [OFFICIAL]
        )
        # A Publisher's and a superuser's pages are theirs to read only.
        for other in (self.publisher, self.root):
            url = reverse("admin:auth_user_change", args=[other.pk])
            self.assertEqual(
                self.client.post(url, {"username": "taken"}).status_code, 403
            )
        # Nor can what a role may do be changed.
        url = reverse("admin:auth_group_change", args=[group(CLERK)])
        self.assertEqual(self.client.post(url, {"name": CLERK}).status_code, 403)

    def test_staff_status_follows_the_roles_and_each_change_is_recorded(self):
        self.client.force_login(self.root)
        newcomer = User.objects.create_user("newcomer", password="a-long-test-pw-2")
        self.edit(newcomer, groups=[group(PUBLISHER)])
        newcomer.refresh_from_db()
        self.assertTrue(newcomer.is_staff)
        self.edit(newcomer, groups=[])
        newcomer.refresh_from_db()
        self.assertFalse(newcomer.is_staff)
        changes = list(RoleChange.objects.filter(user=newcomer).order_by("pk"))
        self.assertEqual(
            [(c.before["groups"], c.after["groups"]) for c in changes],
            [([], [PUBLISHER]), ([PUBLISHER], [])],
        )
        self.assertEqual(changes[0].changed_by, self.root)
        page = self.client.get(reverse("admin:index"))
        self.assertContains(page, "Changes of roles")
        self.assertContains(page, "+ Publisher")
        self.client.force_login(self.administrator)
        self.assertNotContains(self.client.get(reverse("admin:index")), "+ Publisher")

    def test_the_user_page_says_what_they_may_do(self):
        self.client.force_login(self.root)
        response = self.client.get(
            reverse("admin:auth_user_change", args=[self.clerk.pk])
        )
        self.assertContains(response, "Logs and edits visits")
