"""Request bodies are capped by address before any of them is read."""

import io

from django.test import TestCase, override_settings

from tests.factories import make_user

HUGE = str(50 * 1024 * 1024)


class BodyLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.root = make_user(is_superuser=True)

    def test_a_huge_anonymous_post_is_refused_unread(self):
        for url in (
            "/i18n/setlang/",
            "/admin/login/",
            "/partners/",
            "/ru/admin/login/",
        ):
            with self.subTest(url=url):
                response = self.client.post(
                    url, {"language": "ru"}, CONTENT_LENGTH=HUGE
                )
                self.assertEqual(response.status_code, 413)
                self.assertEqual(response["Connection"], "close")

    def test_a_real_body_over_the_public_cap_is_refused(self):
        response = self.client.post(
            "/i18n/setlang/", {"language": "ru", "padding": "x" * 20_000}
        )
        self.assertEqual(response.status_code, 413)
        response = self.client.post("/i18n/setlang/", {"language": "ru"})
        self.assertEqual(response.status_code, 302)

    @override_settings(REQUEST_MAX_STAFF_BYTES=50_000, REQUEST_MAX_UPLOAD_BYTES=200_000)
    def test_staff_forms_and_uploads_have_caps_of_their_own(self):
        # Not for anyone who is not signed in, whatever the address.
        response = self.client.post(
            "/admin/partnerships/city/add/", {"internal_notes": "x" * 30_000}
        )
        self.assertEqual(response.status_code, 413)
        self.client.force_login(self.root)
        # A change form: larger than the public cap, under the staff one.
        response = self.client.post(
            "/admin/partnerships/visit/add/", {"internal_notes": "x" * 30_000}
        )
        self.assertEqual(response.status_code, 200)  # the form, with its errors
        response = self.client.post(
            "/admin/partnerships/visit/add/", {"internal_notes": "x" * 60_000}
        )
        self.assertEqual(response.status_code, 413)
        # An import takes a file up to the upload cap, and no more.
        for lines, refused in ((12_000, False), (30_000, True)):
            with self.subTest(lines=lines):
                upload = io.BytesIO(b"Direction\n" + b"inbound\n" * lines)
                upload.name = "visits.csv"
                response = self.client.post(
                    "/admin/partnerships/visit/import/",
                    {"resource": "0", "format": "0", "import_file": upload},
                )
                self.assertEqual(response.status_code == 413, refused)


class CompressionTests(TestCase):
    """Public pages and open data go out compressed; nothing with a secret does."""

    @classmethod
    def setUpTestData(cls):
        cls.root = make_user(is_superuser=True)

    def get(self, url):
        return self.client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")

    def test_public_pages_and_open_data_are_compressed(self):
        for url in ("/partners/", "/partners.json", "/partners.csv", "/ru/partners/"):
            with self.subTest(url=url):
                response = self.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.get("Content-Encoding"), "gzip")
                self.assertIn("Accept-Encoding", response["Vary"])

    def test_nothing_with_a_secret_is(self):
        self.assertIsNone(self.get("/admin/login/").get("Content-Encoding"))
        self.client.force_login(self.root)
        for url in ("/admin/", "/partners/"):
            with self.subTest(url=url):
                self.assertIsNone(self.get(url).get("Content-Encoding"))


class CompressedTypesTests(TestCase):
    def test_images_documents_and_ranges_are_not_compressed(self):
        from django.http import HttpResponse
        from django.test import RequestFactory

        from foreignaffairs.requests import PublicGZipMiddleware

        request = RequestFactory().get(
            "/files/cities/1/photo", HTTP_ACCEPT_ENCODING="gzip"
        )
        middleware = PublicGZipMiddleware(lambda request: None)
        for content_type, status in (
            ("image/png", 200),
            ("application/pdf", 200),
            ("font/woff2", 200),
            ("text/html; charset=utf-8", 206),
        ):
            with self.subTest(content_type=content_type, status=status):
                response = HttpResponse(b"x" * 1000, content_type=content_type)
                response.status_code = status
                response = middleware.process_response(request, response)
                self.assertFalse(response.has_header("Content-Encoding"))
