"""Production settings: deploy checks, security headers, hashing, health endpoint."""

import os
import runpy
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client, SimpleTestCase, TestCase, override_settings

from tests.factories import make_user
from tests.scratch import clean_environment

STRONG_KEY = "Zq8-" + "x7Hk2Lm9Pq4Rs6Tv1Wy3Za5Bc8De0Fg2Hj4Kl6Mn8Pq0Rs2Tv"


def run_manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=clean_environment(**env),
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )


class DeployCheckTests(SimpleTestCase):
    def test_check_deploy_passes_with_production_settings(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=STRONG_KEY,
            DJANGO_ALLOWED_HOSTS="partners.example.org",
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("no issues", result.stdout)

    def test_weak_secret_key_refused_in_production(self):
        for weak in ("short", "a" * 80, "django-insecure-" + "k3" * 30):
            result = run_manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=weak)
            self.assertNotEqual(result.returncode, 0, weak)
            self.assertIn("DJANGO_SECRET_KEY is too weak", result.stderr)


class ServerEntryPointTests(SimpleTestCase):
    def run_python(self, script, **env):
        return subprocess.run(
            [sys.executable, "-c", script],
            env=clean_environment(**env),
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )

    def test_a_server_loading_wsgi_gets_debug_off_by_default(self):
        # Debug off means production, which refuses to start without a key.
        result = self.run_python("import foreignaffairs.wsgi")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DJANGO_SECRET_KEY must be set", result.stderr)
        result = self.run_python(
            "import foreignaffairs.wsgi; from django.conf import settings;"
            "print(settings.DEBUG)",
            DJANGO_SECRET_KEY=STRONG_KEY,
        )
        self.assertEqual(result.stdout.strip(), "False", result.stderr)


PRODUCTION = {
    "DEBUG": False,
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
}


@override_settings(**PRODUCTION)
class SecurityHeaderTests(TestCase):
    def test_plain_http_is_redirected_to_https(self):
        response = Client().get("/partners/")
        self.assertEqual(response.status_code, 301)
        self.assertTrue(response["Location"].startswith("https://"))

    def test_headers_on_https(self):
        response = Client().get("/partners/", secure=True)
        self.assertEqual(response.status_code, 200)
        self.assertIn("max-age=31536000", response["Strict-Transport-Security"])
        self.assertIn("includeSubDomains", response["Strict-Transport-Security"])
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_session_cookie_is_secure_and_http_only(self):
        user = make_user(is_superuser=True, password="correct horse battery staple")
        response = Client().post(
            "/admin/login/?next=/admin/",
            {"username": user.username, "password": "correct horse battery staple"},
            secure=True,
        )
        self.assertEqual(response.status_code, 302)
        cookie = response.cookies["sessionid"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])


class SessionAndPasswordTests(TestCase):
    def test_staff_session_expires_after_idle_time(self):
        self.assertEqual(settings.SESSION_COOKIE_AGE, 8 * 60 * 60)
        self.assertLessEqual(settings.SESSION_REFRESH_SECONDS, 5 * 60)

    def test_a_staff_session_is_renewed_every_few_minutes_not_every_request(self):
        self.client.force_login(make_user(is_staff=True, is_superuser=True))
        session = self.client.session
        self.client.get("/admin/")
        first = Session.objects.get(session_key=session.session_key).expire_date
        self.client.get("/admin/")
        self.assertEqual(
            Session.objects.get(session_key=session.session_key).expire_date, first
        )
        later = time.time() + settings.SESSION_REFRESH_SECONDS + 1
        with mock.patch("partnerships.accounts.sessions.time.time", return_value=later):
            self.client.get("/admin/")
        renewed = Session.objects.get(session_key=session.session_key).expire_date
        self.assertGreater(renewed, first)

    def test_readers_get_no_session(self):
        response = self.client.get("/partners/")
        self.assertNotIn(settings.SESSION_COOKIE_NAME, response.cookies)
        self.assertNotIn("Cookie", response.get("Vary", ""))
        self.assertEqual(Session.objects.count(), 0)

    def test_passwords_are_hashed_with_argon2(self):
        self.assertEqual(get_hasher("default").algorithm, "argon2")
        user = make_user(password="correct horse battery staple")
        self.assertTrue(user.password.startswith("argon2$"))

    def test_weak_password_refused_by_validators(self):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        for weak in ("password123", "12345678901234", "short"):
            with self.assertRaises(ValidationError):
                validate_password(weak)


class HealthTests(TestCase):
    def test_healthy(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(), {"status": "ok", "database": "ok", "cache": "ok"}
        )
        self.assertIn("no-cache", response["Cache-Control"])

    def test_database_down_answers_503(self):
        with mock.patch(
            "foreignaffairs.health.connection.cursor",
            side_effect=OperationalError("connection refused"),
        ):
            response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "down")
        self.assertNotIn("connection refused", response.content.decode())


@override_settings(ROOT_URLCONF="tests.urls_faults")
class DatabaseDownTests(TestCase):
    """A database that drops mid-request gives a 503 page, not a stack trace."""

    def setUp(self):
        self.client = Client(raise_request_exception=False)

    def test_lost_database_answers_503_with_a_page(self):
        response = self.client.get("/database-gone/")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "30")
        body = response.content.decode()
        self.assertIn("Temporarily unavailable", body)
        self.assertNotIn("server closed the connection", body)
        self.assertNotIn("Traceback", body)

    def test_other_errors_stay_500_without_details(self):
        response = self.client.get("/bug/")
        self.assertEqual(response.status_code, 500)
        self.assertNotIn("secret detail", response.content.decode())

    def test_project_urls_use_this_handler(self):
        from foreignaffairs import urls

        self.assertEqual(urls.handler500, "foreignaffairs.errors.server_error")


class ForwardedHeadersTests(SimpleTestCase):
    """gunicorn believes X-Forwarded-Proto only from proxies the deployment
    names: from nobody unless DJANGO_TRUSTED_PROXIES is set."""

    def config(self, **env):
        path = Path(settings.BASE_DIR) / "foreignaffairs" / "gunicorn.conf.py"
        with mock.patch.dict(os.environ, env, clear=False):
            os.environ.pop("GUNICORN_FORWARDED_ALLOW_IPS", None)
            if "DJANGO_TRUSTED_PROXIES" not in env:
                os.environ.pop("DJANGO_TRUSTED_PROXIES", None)
            return runpy.run_path(str(path))

    def test_no_proxy_no_forwarded_scheme(self):
        config = self.config()
        self.assertEqual(config["forwarded_allow_ips"], "")
        self.assertEqual(config["secure_scheme_headers"], {})

    def test_behind_our_proxy(self):
        config = self.config(DJANGO_TRUSTED_PROXIES="1")
        self.assertEqual(config["forwarded_allow_ips"], "127.0.0.1")
        self.assertNotIn("secure_scheme_headers", config)


STATIC_CHECK = """
from django.test import Client
from django.templatetags.static import static
url = static("partnerships/world.svg")
response = Client().get(url, secure=True)
print(url)
print(response.status_code, response["Cache-Control"])
"""


class LongLivedStaticTests(SimpleTestCase):
    """In production the world map is served under a hashed name, cached for a
    year by browsers and proxies (WhiteNoise, the manifest storage)."""

    def test_the_map_has_a_hashed_name_and_a_long_cache_life(self):
        with tempfile.TemporaryDirectory() as folder:
            env = {
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": STRONG_KEY,
                "DJANGO_STATIC_ROOT": folder,
                "DJANGO_ALLOWED_HOSTS": "testserver",
            }
            collected = run_manage("collectstatic", "--noinput", "-v", "0", **env)
            self.assertEqual(collected.returncode, 0, collected.stderr)
            result = run_manage("shell", "-c", STATIC_CHECK, **env)
            self.assertEqual(result.returncode, 0, result.stderr)
            url, served = result.stdout.strip().splitlines()[-2:]
            self.assertRegex(url, r"/static/partnerships/world\.[0-9a-f]{12}\.svg$")
            self.assertEqual(served.split()[0], "200")
            self.assertIn("max-age=315360000", served)
            self.assertIn("immutable", served)
