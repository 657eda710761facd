"""Faults: the database restarting under a real server, in a PostgreSQL of its own.

The test makes a throwaway PostgreSQL cluster (so the suite's own database is never
touched), serves the site from it with gunicorn, stops the cluster while requests
keep coming, and starts it again. While it is down every answer must be a 503 page,
never a stack trace; once it is back, the site must answer 200 by itself.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase

from tests.scratch import ScratchDatabaseMixin, clean_environment

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command, check=True):
    """Run a PostgreSQL tool as the postgres user when we are root (initdb insists)."""
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, check=check, capture_output=True, text=True)


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.mark.postgresql_only(
    reason="runs in the PostgreSQL pass of the suite, with PostgreSQL 15's tools"
)
@unittest.skipUnless(
    (PG_BIN / "initdb").exists(), "needs PostgreSQL 15's tools (initdb, pg_ctl)"
)
class DatabaseRestartTests(SimpleTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="fault-test-"))
        os.chmod(self.folder, 0o755)
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.data = self.folder / "pgdata"
        self.run_dir = self.folder / "run"  # socket and log
        for folder in (self.data, self.run_dir):
            folder.mkdir()
            if os.geteuid() == 0:
                shutil.chown(folder, "postgres", "postgres")
        self.pg_port = free_port()
        as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust")
        self.start_postgres()
        self.addCleanup(self.stop_postgres)
        database = f"postgres://postgres@127.0.0.1:{self.pg_port}/postgres"
        self.env = clean_environment(
            DATABASE_URL=database,
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY="fault-test-"
            + "Zq8x7Hk2Lm9Pq4Rs6Tv1Wy3Za5Bc8De0Fg2Hj4Kl6Mn8",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_STATIC_ROOT=str(self.folder / "static"),
        )
        for command in (
            ["migrate", "--verbosity", "0"],
            ["loaddata", "seed", "--verbosity", "0"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                env=self.env,
                cwd=settings.BASE_DIR,
                check=True,
                capture_output=True,
            )
        self.web_port = free_port()
        self.server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "foreignaffairs.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--access-logfile",
                "/dev/null",
            ],
            env=self.env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.addCleanup(self.server.wait, 10)
        self.addCleanup(self.server.terminate)
        self.wait_for(lambda: self.page("/healthz")[0] == 200, "the server to start")

    def start_postgres(self):
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            f"-p {self.pg_port} -k {self.run_dir} -c listen_addresses=127.0.0.1",
            "-w",
            "start",
            "-l",
            str(self.run_dir / "postgres.log"),
        )

    def stop_postgres(self):
        as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-m",
            "fast",
            "stop",
            check=False,
        )

    def page(self, path):
        return fetch(f"http://127.0.0.1:{self.web_port}{path}")

    def wait_for(self, condition, what, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if condition():
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.fail(f"Timed out waiting for {what}.")

    def test_site_answers_503_while_down_and_recovers_by_itself(self):
        self.assertEqual(self.page("/partners/voronezh/")[0], 200)

        self.stop_postgres()
        # Query strings no one asked for before, so no cached copy can answer.
        for path in ("/partners/?q=down1", "/partners.json?q=down2", "/healthz"):
            status, body = self.page(path)
            self.assertEqual(status, 503, path)
            self.assertNotIn("Traceback", body)
            self.assertNotIn("psycopg", body)
            if path != "/healthz":
                self.assertIn("Temporarily unavailable", body)
        # A page served before may still come from the cache; if not, a 503 page.
        status, body = self.page("/partners/voronezh/")
        self.assertIn(status, {200, 503})
        self.assertNotIn("Traceback", body)

        self.start_postgres()
        self.wait_for(
            lambda: self.page("/partners/?q=up")[0] == 200, "the site to recover"
        )
        status, body = self.page("/partners/voronezh/")
        self.assertEqual(status, 200)
        self.assertIn("Voronezh", body)


COUNTS = (
    "import json; from partnerships.models import Agreement, City;"
    "HistoricalCity = City.history.model;"
    "print(json.dumps([City.objects.count(), Agreement.objects.count(),"
    " HistoricalCity.objects.count()]))"
)


class KilledImportTests(ScratchDatabaseMixin, SimpleTestCase):
    """An import killed halfway leaves the database as it was before."""

    def counts(self, database):
        output = self.manage(database, "shell", "-c", COUNTS).stdout
        return json.loads(output.splitlines()[-1])

    def test_killed_registry_import_writes_nothing(self):
        database = self.make_database("killed_import")
        self.manage(database, "migrate", "--verbosity", "0")
        self.manage(database, "loaddata", "seed", "--verbosity", "0")
        before = self.counts(database)

        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_partnerships", "--progress"],
            env=clean_environment(DATABASE_URL=database),
            cwd=settings.BASE_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        seen = b""
        # Cities are written before agreements are checked: once the importer
        # reports that step, it is halfway through its transaction.
        while b"Checking agreements" not in seen:
            chunk = importer.stderr.read1(4096)
            if not chunk:
                break
            seen += chunk
        killed_midway = importer.poll() is None
        importer.send_signal(signal.SIGKILL)
        importer.wait(10)
        importer.stderr.close()
        self.assertTrue(killed_midway, "the import finished before it could be killed")
        self.assertIn(b"Checking agreements", seen)

        self.assertEqual(self.counts(database), before)
        # Nothing is left locked: the tables the import was writing take writes.
        self.manage(
            database,
            "shell",
            "-c",
            "from partnerships.models import City;"
            "City.objects.create(name='After', slug='after', country='FR')",
        )
        self.assertEqual(self.counts(database)[0], before[0] + 1)
