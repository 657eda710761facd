"""Uploads are checked by content and size, stored under names we choose, and
served only to whom they are for."""

import io
import shutil
import tempfile

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from PIL import Image

from tests.factories import make_agreement, make_city, make_user

MEDIA = tempfile.mkdtemp(prefix="uploads-test-")


def png_bytes(size=(8, 8)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


@override_settings(MEDIA_ROOT=MEDIA)
class UploadTestCase(TestCase):
    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(MEDIA, ignore_errors=True)


class PhotoUploadTests(UploadTestCase):
    def test_a_real_photo_is_kept_under_a_name_we_choose(self):
        city = make_city()
        city.photo = SimpleUploadedFile("../../../etc/passwd.png", png_bytes())
        city.full_clean()
        city.save()
        self.assertRegex(city.photo.name, r"^cities/[0-9a-f]{32}\.png$")

    def test_extension_follows_the_content_not_the_name(self):
        city = make_city()
        city.photo = SimpleUploadedFile("holiday.jpg", png_bytes())
        city.full_clean()
        city.save()
        self.assertTrue(city.photo.name.endswith(".png"))

    def test_renamed_executable_is_not_a_photo(self):
        city = make_city()
        city.photo = SimpleUploadedFile("photo.jpg", EXECUTABLE)
        with self.assertRaises(ValidationError) as caught:
            city.full_clean()
        self.assertIn("photo", caught.exception.message_dict)

    @override_settings(PARTNERSHIPS_PHOTO_MAX_BYTES=100)
    def test_oversized_photo_refused_with_the_limit(self):
        city = make_city()
        city.photo = SimpleUploadedFile("big.png", png_bytes((400, 400)))
        with self.assertRaises(ValidationError) as caught:
            city.full_clean()
        self.assertIn("the limit is 100", str(caught.exception))


class DocumentUploadTests(UploadTestCase):
    def test_a_pdf_is_kept_under_a_name_we_choose(self):
        agreement = make_agreement()
        agreement.document = SimpleUploadedFile("C:\\evil\\..\\x.exe", PDF)
        agreement.full_clean()
        agreement.save()
        self.assertRegex(agreement.document.name, r"^agreements/[0-9a-f]{32}\.pdf$")

    def test_a_file_that_is_not_a_pdf_is_refused(self):
        agreement = make_agreement()
        agreement.document = SimpleUploadedFile("agreement.pdf", EXECUTABLE)
        with self.assertRaises(ValidationError) as caught:
            agreement.full_clean()
        self.assertIn("as a PDF", str(caught.exception))


class ServingTests(UploadTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.public_city = make_city(
            photo=SimpleUploadedFile("a.png", png_bytes()), published=True
        )
        cls.hidden_city = make_city(
            photo=SimpleUploadedFile("b.png", png_bytes()), published=False
        )
        cls.agreement = make_agreement(
            partner=cls.public_city, document=SimpleUploadedFile("s.pdf", PDF)
        )
        cls.viewer = make_user()
        cls.viewer.user_permissions.set(
            Permission.objects.filter(codename__in=["view_city", "view_agreement"])
        )
        cls.other_staff = make_user()

    def test_published_photo_is_public(self):
        response = self.client.get(self.public_city.photo_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertEqual(b"".join(response.streaming_content), png_bytes())

    def test_unpublished_photo_is_hidden_like_a_missing_one(self):
        response = self.client.get(self.hidden_city.photo_url)
        self.assertEqual(response.status_code, 404)
        missing = self.client.get("/files/cities/999999/photo")
        self.assertEqual(missing.status_code, 404)

    def test_photo_of_a_city_without_a_public_page_is_hidden(self):
        # Published itself, but no published agreement with the home municipality.
        loner = make_city(photo=SimpleUploadedFile("c.png", png_bytes()))
        self.assertEqual(self.client.get(loner.photo_url).status_code, 404)

    def test_staff_who_may_view_cities_see_unpublished_photos(self):
        self.client.force_login(self.viewer)
        response = self.client.get(self.hidden_city.photo_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "private")

    def test_signed_document_needs_a_login(self):
        response = self.client.get(self.agreement.document_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/login/", response["Location"])

    def test_signed_document_needs_the_permission(self):
        self.client.force_login(self.other_staff)
        response = self.client.get(self.agreement.document_url)
        self.assertEqual(response.status_code, 403)

    def test_signed_document_for_those_who_may_see_it(self):
        self.client.force_login(self.viewer)
        response = self.client.get(self.agreement.document_url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("attachment", response["Content-Disposition"])
        self.assertEqual(b"".join(response.streaming_content), PDF)

    def test_signed_document_waits_for_a_required_second_factor(self):
        from django.contrib.auth.models import Group

        from partnerships.accounts.two_factor import TWO_FACTOR_GROUP

        self.viewer.groups.add(Group.objects.get(name=TWO_FACTOR_GROUP))
        self.client.force_login(self.viewer)
        response = self.client.get(self.agreement.document_url)
        self.assertEqual(response.status_code, 302)
        self.assertIn("/admin/two-factor/", response["Location"])

    def test_media_folder_is_not_published(self):
        response = self.client.get("/media/" + self.agreement.document.name)
        self.assertEqual(response.status_code, 404)
