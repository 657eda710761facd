"""Uploaded files nothing points to are removed once old enough, and only they:
a replaced file stays while its history does, and so does a draft's."""

import io
import os
import shutil
import tempfile
import time
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from partnerships.accounts.roles import CLERK, PUBLISHER, setup_roles
from partnerships.models import City, Draft
from tests.admin.helpers import change_form_data, change_url
from tests.factories import make_city, make_user
from tests.models.test_uploads import png_bytes

OLD = time.time() - 40 * 86400


class UploadsTestCase(TestCase):
    def setUp(self):
        super().setUp()
        self.media = Path(tempfile.mkdtemp(prefix="orphans-"))
        self.addCleanup(shutil.rmtree, self.media, ignore_errors=True)
        settings_override = override_settings(MEDIA_ROOT=str(self.media))
        settings_override.enable()
        self.addCleanup(settings_override.disable)

    def file(self, name, age=OLD):
        path = self.media / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"data")
        os.utime(path, (age, age))
        return path


@override_settings(PARTNERSHIPS_ORPHAN_FILE_DAYS=30)
class OrphanFileTests(UploadsTestCase):
    def test_only_old_files_nothing_points_to_are_removed(self):
        city = make_city(name="Kazan")
        city.photo = SimpleUploadedFile("first.png", png_bytes())
        city.save()
        first = self.media / city.photo.name
        city.photo = SimpleUploadedFile("second.png", png_bytes((9, 9)))
        city.save()
        second = self.media / city.photo.name
        for path in (first, second):
            os.utime(path, (OLD, OLD))
        orphan = self.file("cities/0123abcd.png")
        recent = self.file("cities/4567ef.png", age=time.time())
        proposed = self.file("cities/89abcdef.png")
        Draft.objects.create(
            content_type=ContentType.objects.get_for_model(City),
            object_id=city.pk,
            author=make_user("clerk"),
            contributors=[],
            proposed={
                "fields": {"photo": "cities/89abcdef.png"},
                "m2m": {},
                "children": {},
            },
            base={"fields": {"photo": city.photo.name}, "m2m": {}, "children": {}},
        )
        unrelated = self.file("elsewhere/keep.txt")
        out = io.StringIO()
        call_command("remove_orphan_files", "--dry-run", stdout=out)
        self.assertIn("would remove cities/0123abcd.png", out.getvalue())
        self.assertTrue(orphan.exists())
        call_command("remove_orphan_files", stdout=io.StringIO())
        self.assertFalse(orphan.exists())
        # The photo replaced: its history row still points to it.
        for path in (first, second, recent, proposed, unrelated):
            self.assertTrue(path.exists(), path.name)


class DraftedPhotoTests(UploadsTestCase):
    def test_a_clerks_new_photo_for_a_live_city_waits_and_exists(self):
        setup_roles()
        clerk = make_user("clerk", groups=[CLERK])
        publisher = make_user("publisher", groups=[CLERK, PUBLISHER])
        city = make_city(name="Kazan")
        city.photo = SimpleUploadedFile("old.png", png_bytes())
        city.save()
        before = city.photo.name
        self.client.force_login(clerk)
        data = change_form_data(self.client.get(change_url(city)))
        data["photo"] = SimpleUploadedFile("new.png", png_bytes((9, 9)))
        response = self.client.post(change_url(city), data)
        self.assertEqual(response.status_code, 302)
        city.refresh_from_db()
        self.assertEqual(city.photo.name, before)
        draft = Draft.objects.pending().of(city).get()
        proposed = draft.proposed["fields"]["photo"]
        self.assertRegex(proposed, r"^cities/[0-9a-f]{32}\.png$")
        self.assertTrue((self.media / proposed).exists())
        self.client.force_login(publisher)
        self.client.post(
            reverse("admin:review_draft", args=[draft.pk]), {"approve": "yes"}
        )
        city.refresh_from_db()
        self.assertEqual(city.photo.name, proposed)
