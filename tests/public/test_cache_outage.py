"""Redis down: pages are built uncached, saves succeed, /healthz says so, and
once it is back no page left stale by a lost renewal is served.

A throwaway ``redis-server`` of the test's own, on a port of its own, is paused
(as a hung server is) and killed (as a stopped one is) while pages are read and
records saved.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from django.test import TestCase, override_settings

from partnerships.models import City
from partnerships.public import cache as page_cache
from tests.admin.helpers import change_form_data, change_url
from tests.factories import make_agreement, make_city, make_home, make_user

REDIS = shutil.which("redis-server")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@unittest.skipUnless(REDIS, "needs redis-server")
class CacheOutageTests(TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        cls.folder = tempfile.mkdtemp(prefix="redis-")
        cls.redis = cls.start_redis()
        cls.settings = override_settings(
            PARTNERSHIPS_PAGE_CACHE_SECONDS=600,
            CACHES={
                "default": {
                    "BACKEND": "django.core.cache.backends.redis.RedisCache",
                    "LOCATION": f"redis://127.0.0.1:{cls.port}/0",
                    "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
                }
            },
        )
        cls.settings.enable()
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.settings.disable()
        cls.redis.kill()
        cls.redis.wait()
        shutil.rmtree(cls.folder, ignore_errors=True)

    @classmethod
    def start_redis(cls):
        server = subprocess.Popen(
            [REDIS, "--port", str(cls.port), "--bind", "127.0.0.1", "--save", ""],
            cwd=cls.folder,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(50):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", cls.port)) == 0:
                    return server
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    @classmethod
    def setUpTestData(cls):
        cls.city = make_city(name="Kazan", slug="kazan", description="Version 0.")
        make_agreement(home_party=make_home(), partner=cls.city)
        cls.root = make_user(is_superuser=True)

    def setUp(self):
        page_cache.outage.down_since = page_cache.outage.logged_at = None
        page_cache.outage.renew_all = False

    def save_description(self, text):
        self.client.force_login(self.root)
        data = change_form_data(self.client.get(change_url(self.city)))
        data["description_en"] = text
        response = self.client.post(change_url(self.city), data)
        self.client.logout()
        return response.status_code

    def read_pages(self):
        statuses = [
            self.client.get(url).status_code
            for url in (self.city.get_absolute_url(), "/partners/", "/partners.json")
        ]
        return statuses

    def test_pages_and_saves_go_on_and_nothing_stale_is_served_after(self):
        url = self.city.get_absolute_url()
        self.client.get(url)
        self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")

        # Hung: the server takes connections and never answers.
        os.kill(self.redis.pid, signal.SIGSTOP)
        try:
            errors, lost = 0, 0
            with self.assertLogs("partnerships.public.cache", "ERROR") as logged:
                for number in range(1, 21):
                    errors += sum(status >= 500 for status in self.read_pages())
                    errors += self.save_description(f"Version {number}.") >= 500
                    health = self.client.get("/healthz")
                    self.assertEqual(health.status_code, 200)
                    self.assertEqual(health.json()["cache"], "down")
                    self.assertEqual(health.json()["database"], "ok")
            self.city.refresh_from_db()
            lost = self.city.description_en != "Version 20."
            self.assertEqual((errors, lost), (0, False))
            # Said once, not once per request.
            self.assertEqual(len(logged.records), 1)
        finally:
            os.kill(self.redis.pid, signal.SIGCONT)

        # Back, with the page of "Version 0." still stored in it: never served.
        response = self.client.get(url)
        self.assertContains(response, "Version 20.")
        self.assertEqual(response["X-Page-Cache"], "miss")
        self.assertEqual(self.client.get(url)["X-Page-Cache"], "hit")
        self.assertEqual(self.client.get("/healthz").json()["cache"], "ok")

    def test_a_stopped_server_too(self):
        self.redis.kill()
        self.redis.wait()
        try:
            statuses = self.read_pages()
            self.assertEqual(statuses, [200, 200, 200])
            self.assertEqual(self.save_description("Stopped."), 302)
            self.assertEqual(
                City.objects.get(pk=self.city.pk).description_en, "Stopped."
            )
            self.assertEqual(self.client.get("/healthz").status_code, 200)
        finally:
            type(self).redis = self.start_redis()
