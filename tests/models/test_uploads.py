"""Uploads are checked by content and size and stored under names we choose."""

import io
import shutil
import tempfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from PIL import Image

from tests.factories import make_agreement, make_city

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
