"""The import page offers the list's template to whoever may import the list."""

import io

import openpyxl
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from partnerships.accounts.roles import CLERK, OFFICIAL, setup_roles
from partnerships.models import Visit
from partnerships.models.choices import Direction
from partnerships.spreadsheets.resources import VisitResource
from tests.factories import make_user


def template_url(model="visit"):
    return reverse(f"admin:partnerships_{model}_import_template")


def import_url(model="visit"):
    return reverse(f"admin:partnerships_{model}_import")


class ImportTemplateTests(TestCase):
    fixtures = ["seed"]

    @classmethod
    def setUpTestData(cls):
        setup_roles()
        cls.clerk = make_user("template-clerk", groups=[CLERK])
        cls.official = make_user("template-official", groups=[OFFICIAL])

    def test_the_import_page_links_to_the_template(self):
        self.client.force_login(self.clerk)
        response = self.client.get(import_url())
        self.assertContains(response, f'href="{template_url()}"')
        self.assertContains(response, "Download a template")

    def test_a_clerk_downloads_the_visit_template_in_their_language(self):
        self.client.force_login(self.clerk)
        response = self.client.get(template_url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn(
            'attachment; filename="visit-import-template-en.xlsx"',
            response["Content-Disposition"],
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual(sheet.title, "Visits")
        self.assertEqual(sheet["A1"].value, "Direction")
        with translation.override("zh-hans"):
            # The admin in Chinese: /zh-hans/admin/...
            response = self.client.get(template_url())
        self.assertIn(
            "visit-import-template-zh-hans.xlsx", response["Content-Disposition"]
        )
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        self.assertEqual(sheet["A1"].value, "方向")

    def test_the_downloaded_template_filled_in_imports_through_the_admin(self):
        self.client.force_login(self.clerk)
        book = openpyxl.load_workbook(
            io.BytesIO(self.client.get(template_url()).content)
        )
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        fields = VisitResource().fields
        values = {
            "direction": str(Direction.INBOUND.label),
            "home_party": "Chongqing",
            "partner_city": "Voronezh",
            "title_en": "Talks on rail freight",
            "start_date": "2024-03",
            "head_unrecorded": "yes",
            "published": "no",
        }
        for name, value in values.items():
            column = headers.index(str(fields[name].column_name)) + 1
            sheet.cell(row=3, column=column, value=value)
        upload = io.BytesIO()
        book.save(upload)
        upload.seek(0)
        upload.name = "visits.xlsx"
        response = self.client.post(
            import_url(), {"resource": "0", "format": "1", "import_file": upload}
        )
        self.assertContains(response, "1 new, 0 updated and 0 unchanged rows.")
        confirm = response.context["confirm_form"]
        response = self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm.initial.get(name, "") for name in confirm.fields},
        )
        self.assertEqual(response.status_code, 302)
        visit = Visit.objects.get(title_en="Talks on rail freight")
        self.assertEqual(visit.date_precision, "month")

    def test_who_may_not_import_gets_no_template_and_no_link(self):
        self.client.force_login(self.official)
        self.assertEqual(self.client.get(template_url()).status_code, 403)
        self.assertEqual(self.client.get(import_url()).status_code, 403)
        changelist = self.client.get(reverse("admin:partnerships_visit_changelist"))
        self.assertEqual(changelist.status_code, 200)
        self.assertNotContains(changelist, template_url())
        # A Clerk imports visits only: no city template either.
        self.client.force_login(self.clerk)
        self.assertEqual(self.client.get(template_url("city")).status_code, 403)

    def test_signed_out_the_template_asks_to_sign_in(self):
        response = self.client.get(template_url())
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])
