"""`make backup` and `make restore`: a backup restored into a fresh database.

The commands replace a whole database, so this test runs them in subprocesses
against databases of its own, of the same kind as the suite's (SQLite or PostgreSQL).
"""

import json
import stat
import subprocess
import sys

from django.conf import settings
from django.test import SimpleTestCase

from tests.scratch import ScratchDatabaseMixin, clean_environment

MAKE_RECORDS = """
from django.core.files.base import ContentFile
from partnerships.models import Agreement, City
agreement = Agreement.objects.get()
agreement.document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed in 1993"))
city = City.objects.get(slug="voronezh")
city.region = "Voronezh Oblast"
city.save()
# A change waiting for a Publisher is kept with the rest.
from django.contrib.auth.models import User
from partnerships import publication
from partnerships.models import Visit
clerk = User.objects.create_user("clerk")
publication.propose(
    Visit.objects.order_by("pk").first(),
    clerk,
    {"fields": {"title_en": "Drafted title"}},
)
# A request from the public, with a step of its handling, and the site settings.
from partnerships import public_requests
from partnerships.models import SiteSettings
request = public_requests.receive(
    {"name": "Li Wei", "email": "li@example.org", "message": "学生交流"}, "zh-hans"
)
public_requests.add_note(request, "Ask the education team.", clerk)
SiteSettings.objects.create(office_name_en="The office", telephone="+86 23 1")
"""

REPORT = """
import json
from partnerships.backups import record_counts
from partnerships.models import Agreement, City, Draft, PublicRequest, SiteSettings
agreement = Agreement.objects.get()
print(json.dumps({
    "requests": [
        [r.message, [e.text for e in r.events.all()]]
        for r in PublicRequest.objects.all()
    ],
    "office": [s.office_name_en for s in SiteSettings.objects.all()],
    "drafts": [
        [d.author.username, d.status, d.proposed] for d in Draft.objects.all()
    ],
    "counts": record_counts(),
    "document": agreement.document.name,
    "content": agreement.document.read().decode(),
    "regions": [h.region for h in City.objects.get(slug="voronezh").history.all()],
}))
"""


class BackupRestoreTests(ScratchDatabaseMixin, SimpleTestCase):
    def setUp(self):
        super().setUp()
        self.source = self.make_database("backup_source")
        self.target = self.make_database("backup_target")

    def report(self, database, media):
        output = self.run_manage(database, media, "shell", "-c", REPORT)
        # The shell may print a line of its own before the report.
        return json.loads(output.splitlines()[-1])

    def run_manage(self, database, media, *args):
        return self.manage(database, *args, DJANGO_MEDIA_ROOT=str(media)).stdout

    def test_restore_into_a_fresh_database_finds_everything(self):
        media_source = self.folder / "media-source"
        media_target = self.folder / "media-target"
        self.run_manage(self.source, media_source, "migrate", "--verbosity", "0")
        self.run_manage(
            self.source, media_source, "loaddata", "seed", "--verbosity", "0"
        )
        self.run_manage(self.source, media_source, "shell", "-c", MAKE_RECORDS)
        before = self.report(self.source, media_source)
        backup = self.folder / "backup"
        self.run_manage(self.source, media_source, "backup", "--output", str(backup))
        self.assertTrue((backup / "manifest.json").exists())

        if not self.postgres:
            # A fresh SQLite database is just a new file; pg_restore needs none.
            self.run_manage(self.target, media_target, "migrate", "--verbosity", "0")
        output = self.run_manage(
            self.target, media_target, "restore", str(backup), "--yes"
        )
        self.assertIn("Restored", output)
        after = self.report(self.target, media_target)

        self.assertEqual(after["counts"], before["counts"])
        self.assertGreater(after["counts"]["partnerships.HistoricalCity"], 2)
        self.assertEqual(after["document"], before["document"])
        self.assertEqual(after["content"], "%PDF-1.4 signed in 1993")
        self.assertIn("Voronezh Oblast", after["regions"])
        self.assertEqual(
            after["drafts"],
            [
                [
                    "clerk",
                    "pending",
                    {
                        "fields": {"title_en": "Drafted title"},
                        "m2m": {},
                        "children": {},
                    },
                ]
            ],
        )
        self.assertTrue((media_target / before["document"]).exists())
        # Requests from the public are in the backup, like every table.
        self.assertEqual(after["requests"], [["学生交流", ["Ask the education team."]]])
        self.assertEqual(after["office"], ["The office"])
        self.assertEqual(after["counts"]["partnerships.PublicRequest"], 1)

    def test_restore_refuses_a_folder_that_is_not_a_backup(self):
        result = self.manage(
            self.target, "restore", str(self.folder), "--yes", check=False
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("is not a backup", result.stderr)


WRITER = """
import sys, time
from django.db import OperationalError
from partnerships.models import Source
started = time.monotonic()
written = 0
while time.monotonic() - started < 30:
    try:
        Source.objects.create(title=f"Written during the backup {written}")
        written += 1
    except OperationalError:
        continue  # SQLite: the backup held the file for a moment.
    if written == 20:
        print("writing", flush=True)
"""


class BackupWhileStaffWriteTests(ScratchDatabaseMixin, SimpleTestCase):
    """A backup taken while records are written restores, counts and all, and
    is private to its owner."""

    def setUp(self):
        super().setUp()
        self.source = self.make_database("busy_source")
        self.target = self.make_database("busy_target")
        self.media = self.folder / "media"
        for database in (self.source, self.target):
            self.manage(database, "migrate", "--verbosity", "0")

    def test_a_backup_taken_during_writes_restores_and_is_private(self):
        writer = subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", WRITER],
            env=clean_environment(DATABASE_URL=self.source),
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.addCleanup(writer.kill)
        # The shell may say a line or two of its own first.
        for line in writer.stdout:
            if line.strip() == "writing":
                break
        backup = self.folder / "backup"
        self.manage(
            self.source, "backup", "--output", str(backup), DJANGO_MEDIA_ROOT=self.media
        )
        self.assertIsNone(writer.poll(), "the writer stopped before the backup ended")
        writer.kill()
        # Private: the folder 0700, each file 0600.
        self.assertEqual(stat.S_IMODE(backup.stat().st_mode), 0o700)
        for path in backup.iterdir():
            self.assertEqual(stat.S_IMODE(path.stat().st_mode), 0o600, path.name)
        result = self.manage(
            self.target, "restore", str(backup), "--yes", DJANGO_MEDIA_ROOT=self.media
        )
        self.assertIn("Restored", result.stdout)
        manifest = json.loads((backup / "manifest.json").read_text())
        self.assertGreaterEqual(manifest["counts"]["partnerships.Source"], 20)

    def test_a_readable_backup_or_one_that_does_not_add_up_replaces_nothing(self):
        backup = self.folder / "backup"
        self.manage(
            self.source, "backup", "--output", str(backup), DJANGO_MEDIA_ROOT=self.media
        )
        self.manage(
            self.target,
            "shell",
            "-c",
            "from partnerships.models import Source\n"
            "Source.objects.create(title='Live')",
        )
        (backup / "manifest.json").chmod(0o644)
        result = self.manage(self.target, "restore", str(backup), "--yes", check=False)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("can be read by other users", result.stderr)
        # A manifest that does not match the dump: checked in a scratch
        # database, and the live one is left as it was.
        manifest = json.loads((backup / "manifest.json").read_text())
        manifest["counts"]["partnerships.Source"] += 1
        (backup / "manifest.json").write_text(json.dumps(manifest))
        result = self.manage(
            self.target,
            "restore",
            str(backup),
            "--yes",
            "--allow-readable",
            check=False,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("was not replaced", result.stderr)
        live = self.manage(
            self.target,
            "shell",
            "-c",
            "from partnerships.models import Source; "
            "print(list(Source.objects.values_list('title', flat=True)))",
        )
        self.assertIn("['Live']", live.stdout)
