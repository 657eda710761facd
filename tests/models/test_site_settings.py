"""The site settings: one row, never deleted, an emblem checked as any photo."""

import shutil
import tempfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import TestCase, override_settings

from partnerships.models import SiteSettings
from tests.factories import make_site_settings
from tests.models.test_uploads import EXECUTABLE, png_bytes

MEDIA = tempfile.mkdtemp(prefix="site-settings-test-")


class OneRowTests(TestCase):
    def test_a_second_row_is_the_first_one(self):
        first = make_site_settings()
        second = SiteSettings(office_name_en="Another office")
        second.save()
        self.assertEqual(second.pk, first.pk)
        self.assertEqual(SiteSettings.objects.count(), 1)
        self.assertEqual(SiteSettings.objects.get().office_name, "Another office")

    def test_the_database_refuses_any_other_row(self):
        make_site_settings()
        with self.assertRaises(IntegrityError), transaction.atomic():
            SiteSettings.objects.bulk_create([SiteSettings(id=2, office_name_en="x")])

    def test_it_is_never_deleted(self):
        settings = make_site_settings()
        with self.assertRaises(PermissionDenied):
            settings.delete()
        with self.assertRaises(PermissionDenied):
            SiteSettings.objects.all().delete()
        self.assertTrue(SiteSettings.objects.exists())

    def test_changes_are_in_its_history(self):
        settings = make_site_settings()
        settings.telephone = "+86 23 6000 0000"
        settings.save()
        self.assertEqual(
            list(settings.history.values_list("telephone", flat=True)),
            ["+86 23 6000 0000", ""],
        )

    def test_telephone_email_and_website_are_checked(self):
        settings = make_site_settings(
            telephone="call us", email="office(at)example", website="not a site"
        )
        with self.assertRaises(ValidationError) as caught:
            settings.full_clean()
        self.assertEqual(
            set(caught.exception.message_dict), {"telephone", "email", "website"}
        )


@override_settings(MEDIA_ROOT=MEDIA)
class EmblemTests(TestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)

    def test_an_image_is_kept_under_a_name_we_choose_with_its_size(self):
        settings = make_site_settings()
        settings.emblem = SimpleUploadedFile("../../emblem.jpg", png_bytes((40, 20)))
        settings.full_clean()
        settings.save()
        self.assertRegex(settings.emblem.name, r"^site/[0-9a-f]{32}\.png$")
        self.assertEqual((settings.emblem_width, settings.emblem_height), (40, 20))

    def test_a_renamed_program_is_not_an_emblem(self):
        settings = make_site_settings()
        settings.emblem = SimpleUploadedFile("emblem.png", EXECUTABLE)
        with self.assertRaises(ValidationError) as caught:
            settings.full_clean()
        self.assertIn("emblem", caught.exception.message_dict)

    @override_settings(PARTNERSHIPS_PHOTO_MAX_BYTES=100)
    def test_an_oversized_emblem_is_refused(self):
        settings = make_site_settings()
        settings.emblem = SimpleUploadedFile("big.png", png_bytes((400, 400)))
        with self.assertRaises(ValidationError) as caught:
            settings.full_clean()
        self.assertIn("the limit is 100", str(caught.exception))
