"""Uploaded files are served only to whom they are for."""

from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_agreement, make_city, make_user
from tests.models.test_uploads import PDF, UploadTestCase, png_bytes


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
