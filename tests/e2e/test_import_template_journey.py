"""A clerk downloads a visit template from the import page, fills it in and
imports it: the example row is passed by, the filled row becomes a visit."""

import io

import openpyxl
from playwright.sync_api import expect

from partnerships.accounts.roles import CLERK, setup_roles
from partnerships.models import Visit
from partnerships.models.choices import Direction
from partnerships.spreadsheets.resources import VisitResource
from tests.e2e.helpers import BrowserTestCase
from tests.factories import make_user


class ImportTemplateJourneyTests(BrowserTestCase):
    def setUp(self):
        super().setUp()
        setup_roles()
        make_user("clerk", groups=[CLERK])

    def test_clerk_fills_in_the_template_and_imports_it(self):
        page = self.page
        self.log_in("clerk")
        self.visit("/admin/partnerships/visit/import/")
        link = page.get_by_role("link", name="Download a template")
        expect(link).to_be_visible()
        self.shot("import page with the template link")
        with page.expect_download() as download:
            link.click()
        self.assertEqual(
            download.value.suggested_filename, "visit-import-template-en.xlsx"
        )
        book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        sheet = book.worksheets[0]
        headers = [cell.value for cell in sheet[1]]
        fields = VisitResource().fields
        row = {
            "direction": str(Direction.INBOUND.label),
            "home_party": "Chongqing",
            "partner_city": "Voronezh",
            "title_en": "Talks on river shipping",
            "start_date": "2024-03",
            "head_unrecorded": "yes",
            "published": "no",
        }
        for name, value in row.items():
            column = headers.index(str(fields[name].column_name)) + 1
            sheet.cell(row=3, column=column, value=value)
        filled = io.BytesIO()
        book.save(filled)

        page.get_by_label("File to import").set_input_files(
            files=[
                {
                    "name": "visits.xlsx",
                    "mimeType": "application/octet-stream",
                    "buffer": filled.getvalue(),
                }
            ]
        )
        page.get_by_label("Format").select_option(label="xlsx")
        page.get_by_role("button", name="Submit").click()
        page.wait_for_load_state()
        expect(
            page.get_by_text("1 new, 0 updated and 0 unchanged rows.")
        ).to_be_visible()
        self.shot("preview of the filled template")
        page.get_by_role("button", name="Confirm import").click()
        page.wait_for_load_state()
        expect(page.locator(".messagelist .success")).to_contain_text("1 new")
        self.assertTrue(
            Visit.objects.filter(title_en="Talks on river shipping").exists()
        )
