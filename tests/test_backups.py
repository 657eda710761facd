"""`make backup` and `make restore`: a backup restored into a fresh database.

The commands replace a whole database, so this test runs them in subprocesses
against databases of its own, of the same kind as the suite's (SQLite or PostgreSQL).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.test import SimpleTestCase

MAKE_RECORDS = """
from django.core.files.base import ContentFile
from partnerships.models import Agreement, City
agreement = Agreement.objects.get()
agreement.document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed in 1993"))
city = City.objects.get(slug="voronezh")
city.region = "Voronezh Oblast"
city.save()
"""

REPORT = """
import json
from partnerships.backups import record_counts
from partnerships.models import Agreement, City
agreement = Agreement.objects.get()
print(json.dumps({
    "counts": record_counts(),
    "document": agreement.document.name,
    "content": agreement.document.read().decode(),
    "regions": [h.region for h in City.objects.get(slug="voronezh").history.all()],
}))
"""


class BackupRestoreTests(SimpleTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="backup-test-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = url.startswith("postgres")
        if self.postgres:
            base = dj_database_url.parse(url)
            self.server = {k: base[k] for k in ("USER", "HOST", "PORT")}
            suffix = uuid.uuid4().hex[:8]
            self.source = self.make_postgres(f"backup_src_{suffix}")
            self.target = self.make_postgres(f"backup_dst_{suffix}")
        else:
            self.source = f"sqlite:///{self.folder / 'source.sqlite3'}"
            self.target = f"sqlite:///{self.folder / 'target.sqlite3'}"

    def make_postgres(self, name):
        import psycopg

        dsn = (
            f"host={self.server['HOST']} port={self.server['PORT'] or 5432} "
            f"user={self.server['USER']} dbname=postgres"
        )
        with psycopg.connect(dsn, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(dsn, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.addCleanup(drop)
        user = self.server["USER"]
        return (
            f"postgres://{user}@{self.server['HOST']}:{self.server['PORT'] or 5432}"
            f"/{name}"
        )

    def manage(self, database, media, *args):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL"))
        }
        env.update(DATABASE_URL=database, DJANGO_MEDIA_ROOT=str(media))
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            env=env,
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        return result.stdout

    def report(self, database, media):
        output = self.manage(database, media, "shell", "-c", REPORT)
        # The shell may print a line of its own before the report.
        return json.loads(output.splitlines()[-1])

    def test_restore_into_a_fresh_database_finds_everything(self):
        media_source = self.folder / "media-source"
        media_target = self.folder / "media-target"
        self.manage(self.source, media_source, "migrate", "--verbosity", "0")
        self.manage(self.source, media_source, "loaddata", "seed", "--verbosity", "0")
        self.manage(self.source, media_source, "shell", "-c", MAKE_RECORDS)
        before = self.report(self.source, media_source)
        backup = self.folder / "backup"
        self.manage(self.source, media_source, "backup", "--output", str(backup))
        self.assertTrue((backup / "manifest.json").exists())

        if not self.postgres:
            # A fresh SQLite database is just a new file; pg_restore needs none.
            self.manage(self.target, media_target, "migrate", "--verbosity", "0")
        output = self.manage(self.target, media_target, "restore", str(backup), "--yes")
        self.assertIn("Restored", output)
        after = self.report(self.target, media_target)

        self.assertEqual(after["counts"], before["counts"])
        self.assertGreater(after["counts"]["partnerships.HistoricalCity"], 2)
        self.assertEqual(after["document"], before["document"])
        self.assertEqual(after["content"], "%PDF-1.4 signed in 1993")
        self.assertIn("Voronezh Oblast", after["regions"])
        self.assertTrue((media_target / before["document"]).exists())

    def test_restore_refuses_a_folder_that_is_not_a_backup(self):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "DATABASE_URL"))
        }
        env["DATABASE_URL"] = self.target
        result = subprocess.run(
            [sys.executable, "manage.py", "restore", str(self.folder), "--yes"],
            env=env,
            capture_output=True,
            text=True,
            cwd=settings.BASE_DIR,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("is not a backup", result.stderr)
