"""Two-factor sign-in: optional for staff, required where an Administrator says."""

import re

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnerships.accounts.two_factor import TWO_FACTOR_GROUP
from tests.factories import make_user

PASSWORD = "a-long-test-password"


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class TwoFactorTestCase(TestCase):
    def sign_in(self, user, token=""):
        return self.client.post(
            "/admin/login/?next=/admin/",
            {"username": user.username, "password": PASSWORD, "otp_token": token},
            REMOTE_ADDR="192.0.2.10",
        )


class OptionalTwoFactorTests(TwoFactorTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = make_user(username="clerk", is_superuser=True)

    def test_without_a_device_a_password_is_enough(self):
        response = self.sign_in(self.clerk)
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    def test_sign_in_page_offers_the_code_field(self):
        response = self.client.get("/admin/login/")
        self.assertContains(response, 'name="otp_token"')
        self.assertContains(response, 'autocomplete="one-time-code"')

    def test_with_a_device_the_code_is_asked_for(self):
        device = TOTPDevice.objects.create(user=self.clerk, name="phone")
        response = self.sign_in(self.clerk)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        response = self.sign_in(self.clerk, token=current_code(device))
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_a_wrong_code_is_refused_and_counted(self):
        device = TOTPDevice.objects.create(user=self.clerk, name="phone")
        response = self.sign_in(self.clerk, token="000000")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)
        # django-otp throttles the device after each failure (1 s, 2 s, 4 s ...),
        # so codes cannot be guessed quickly.
        device.refresh_from_db()
        self.assertEqual(device.throttling_failure_count, 1)


class RequiredTwoFactorTests(TwoFactorTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.group = Group.objects.get(name=TWO_FACTOR_GROUP)
        cls.official = make_user(username="official", is_superuser=True)
        cls.official.groups.add(cls.group)
        cls.colleague = make_user(username="colleague", is_superuser=True)

    def test_admin_shows_only_the_set_up_page_until_done(self):
        self.sign_in(self.official)
        response = self.client.get("/admin/partnerships/visit/")
        self.assertRedirects(
            response,
            "/admin/two-factor/?next=/admin/partnerships/visit/",
            fetch_redirect_response=False,
        )
        # A direct POST elsewhere in the admin is turned away too.
        response = self.client.post("/admin/partnerships/city/add/", {"name": "X"})
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/two-factor/", response["Location"])

    def test_set_up_with_the_app_then_in(self):
        self.sign_in(self.official)
        page = self.client.get("/admin/two-factor/")
        self.assertContains(page, "data:image/svg+xml;base64,")
        self.assertContains(page, "<title>Two-factor sign-in | Partnerships records")
        self.assertEqual(page.content.decode().count("<h1"), 1)
        secret = re.search(r"<code>([A-Z2-7=]+)</code>", page.content.decode())
        self.assertIsNotNone(secret)
        device = TOTPDevice.objects.get(user=self.official)
        self.assertFalse(device.confirmed)

        response = self.client.post(
            "/admin/two-factor/?next=/admin/partnerships/visit/",
            {"token": current_code(device)},
        )
        self.assertRedirects(
            response, "/admin/partnerships/visit/", fetch_redirect_response=False
        )
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get("/admin/partnerships/visit/").status_code, 200)

    def test_a_wrong_code_is_refused(self):
        self.sign_in(self.official)
        self.client.get("/admin/two-factor/")
        wrong = self.client.post("/admin/two-factor/", {"token": "000000"})
        self.assertContains(wrong, "That code is not right")
        self.assertFalse(TOTPDevice.objects.get(user=self.official).confirmed)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)

    def test_next_does_not_lead_off_the_site(self):
        self.sign_in(self.official)
        self.client.get("/admin/two-factor/")
        device = TOTPDevice.objects.get(user=self.official)
        response = self.client.post(
            "/admin/two-factor/?next=https://evil.example/",
            {"token": current_code(device)},
        )
        self.assertRedirects(response, "/admin/", fetch_redirect_response=False)

    def test_colleagues_outside_the_group_are_not_asked(self):
        self.sign_in(self.colleague)
        self.assertEqual(self.client.get("/admin/").status_code, 200)

    @override_settings(PARTNERSHIPS_REQUIRE_TWO_FACTOR=True)
    def test_required_for_all_staff_by_setting(self):
        self.sign_in(self.colleague)
        response = self.client.get("/admin/")
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/two-factor/", response["Location"])
