"""Repeated failed admin logins lock out the attacker, and only the attacker."""

from axes.models import AccessAttempt
from django.test import TestCase, override_settings

from tests.factories import make_user

PASSWORD = "a-long-test-password"
ATTACKER = "203.0.113.9"
COLLEAGUE = "198.51.100.7"


class LockoutTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.clerk = make_user(username="clerk")
        cls.official = make_user(username="official")

    def login(self, username, password, address=ATTACKER, **headers):
        return self.client.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
            **headers,
        )

    def fail(self, times, username="clerk", **kwargs):
        for _ in range(times):
            response = self.login(username, "wrong password", **kwargs)
        return response

    def test_a_failed_login_says_so(self):
        response = self.fail(1)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter the correct username and password")

    def test_locked_out_after_the_limit_even_with_the_right_password(self):
        response = self.fail(5)
        self.assertEqual(response.status_code, 429)
        self.assertContains(
            response, "Too many failed sign-in attempts", status_code=429
        )
        # Inside the admin's own frame, not Django's default one.
        self.assertContains(response, "Partnerships records", status_code=429)
        self.assertNotContains(response, "Django administration", status_code=429)
        response = self.login("clerk", PASSWORD)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_below_the_limit_a_right_password_works_and_resets(self):
        self.fail(4)
        response = self.login("clerk", PASSWORD)
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AccessAttempt.objects.filter(username="clerk").exists())

    def test_colleagues_behind_the_same_address_are_not_locked_out(self):
        self.fail(5)
        response = self.login("official", PASSWORD)
        self.assertEqual(response.status_code, 302)

    def test_same_user_from_another_address_is_not_locked_out(self):
        self.fail(5)
        response = self.login("clerk", PASSWORD, address=COLLEAGUE)
        self.assertEqual(response.status_code, 302)

    def test_spoofed_forwarded_for_does_not_reset_the_counter(self):
        for number in range(5):
            self.login(
                "clerk",
                "wrong password",
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}",
            )
        response = self.login("clerk", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")
        self.assertEqual(response.status_code, 429)

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_our_proxy_the_forged_part_is_ignored(self):
        proxy = "192.0.2.1"
        for number in range(5):
            # The client forges the first entry; our proxy appends what it saw.
            self.login(
                "clerk",
                "wrong password",
                address=proxy,
                HTTP_X_FORWARDED_FOR=f"10.0.0.{number}, {ATTACKER}",
            )
        response = self.login(
            "clerk",
            PASSWORD,
            address=proxy,
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ATTACKER}",
        )
        self.assertEqual(response.status_code, 429)
        # A colleague with another address behind the same proxy still gets in.
        response = self.login(
            "clerk", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=COLLEAGUE
        )
        self.assertEqual(response.status_code, 302)


@override_settings(LOGIN_FAILURES_PER_ADDRESS=8, LOGIN_FAILURES_PER_USER=6)
class SprayingTests(TestCase):
    """One password tried over many users, or one user tried from many
    addresses: each pair stays under django-axes' limit, the whole does not."""

    @classmethod
    def setUpTestData(cls):
        cls.users = [make_user(username=f"user{n}") for n in range(6)]
        cls.clerk = make_user(username="clerk")

    def login(self, username, password, address=ATTACKER):
        return self.client.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        )

    def test_one_address_spraying_many_users_is_stopped(self):
        for user in self.users:
            self.login(user.username, "Summer2026!")
        self.assertEqual(self.login("user0", "Winter2026!").status_code, 200)
        self.assertEqual(self.login("user1", "Winter2026!").status_code, 200)
        # Past 8 failures from the address: refused, the right password too.
        response = self.login("clerk", PASSWORD)
        self.assertContains(
            response, "Too many failed sign-in attempts", status_code=429
        )
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another address is not held back by this one.
        self.assertEqual(self.login("clerk", PASSWORD, COLLEAGUE).status_code, 302)

    def test_one_user_tried_from_many_addresses_is_stopped(self):
        for number in range(6):
            self.login("clerk", "wrong password", address=f"203.0.113.{number + 20}")
        response = self.login("clerk", PASSWORD, address="203.0.113.99")
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Other users are not.
        response = self.login("user0", PASSWORD, address="203.0.113.99")
        self.assertEqual(response.status_code, 302)

    def test_the_user_name_is_counted_as_the_sign_in_reads_it(self):
        """ " clerk" and a full-width "ｃｌｅｒｋ" are the clerk's attempts too."""
        spellings = ["clerk", " clerk", "ｃｌｅｒｋ", "clerk "]
        for number in range(6):
            self.login(
                spellings[number % 4], "wrong", address=f"203.0.113.{number + 20}"
            )
        response = self.login("clerk", PASSWORD, address="203.0.113.99")
        self.assertEqual(response.status_code, 429)


class UnsafeNextTests(TestCase):
    def test_an_unsafe_next_lands_on_the_admin_not_a_404(self):
        make_user(username="clerk")
        for target in ("https://evil.example/", "//evil.example/", "/accounts/x"):
            with self.subTest(target=target):
                self.client.logout()
                response = self.client.post(
                    f"/admin/login/?next={target}",
                    {"username": "clerk", "password": PASSWORD},
                )
                expected = "/admin/" if "evil" in target else target
                self.assertRedirects(response, expected, fetch_redirect_response=False)
