"""The import's column step in the admin (partnerships/admin/column_mappings.py):
a file with the office's own column names is matched, previewed, saved under a
name, proposed again, and imported through the very match previewed."""

import io
import json

from django.test import TestCase
from django.urls import reverse

from partnerships.accounts.roles import CLERK, setup_roles
from partnerships.models import ColumnMapping, Visit
from tests.factories import make_city, make_home, make_user
from tests.spreadsheets.test_mapping import OFFICE_COLUMNS, OFFICE_FILE

IMPORT = "admin:partnerships_visit_import"
COLUMNS = "admin:partnerships_visit_import_columns"
CONFIRM = "admin:partnerships_visit_process_import"


class ColumnStepTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        setup_roles()
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.clerk = make_user("column-clerk", groups=[CLERK])

    def setUp(self):
        self.client.force_login(self.clerk)

    def upload(self, text=OFFICE_FILE):
        upload = io.BytesIO(text.encode())
        upload.name = "来访.csv"
        return self.client.post(
            reverse(IMPORT), {"resource": "0", "format": "0", "import_file": upload}
        )

    def answer(self, response, **changes):
        """The column step's form as shown, with ``changes``."""
        form = response.context["mapping_form"]
        data = {name: form[name].value() or "" for name in form.fields}
        for index, header in enumerate(form.headers):
            data[f"column_{index}"] = OFFICE_COLUMNS[header]
        data.update(changes)
        return self.client.post(reverse(COLUMNS), data)

    def test_the_page_asks_which_column_is_which_with_their_first_values(self):
        response = self.upload()
        self.assertContains(response, "Match the file's columns to this list's")
        self.assertContains(response, "2024年3月5日")
        self.assertContains(response, "— ignore this column —")
        self.assertNotIn("confirm_form", response.context)
        form = response.context["mapping_form"]
        self.assertEqual(form.headers[0], "序号")

    def test_matched_previewed_saved_and_imported_through_the_match(self):
        preview = self.answer(self.upload(), save_as="Office visits")
        self.assertContains(preview, "2 new, 0 updated and 0 unchanged rows.")
        # The columns the file fills, or the import works out; not the forty.
        headers = preview.context["result"].diff_headers
        self.assertIn("Delegation", headers)
        self.assertIn("Date precision", headers)
        self.assertNotIn("Purpose", headers)
        self.assertFalse(Visit.objects.exists())
        saved = ColumnMapping.objects.get()
        self.assertEqual((saved.name, saved.created_by), ("Office visits", self.clerk))
        confirm = preview.context["confirm_form"]
        data = {name: confirm.initial.get(name, "") for name in confirm.fields}
        self.assertEqual(json.loads(data["mapping"])["团长及职务"], "delegation")
        response = self.client.post(reverse(CONFIRM), data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Visit.objects.count(), 2)

    def test_a_match_changed_after_the_preview_is_refused(self):
        preview = self.answer(self.upload())
        confirm = preview.context["confirm_form"]
        data = {name: confirm.initial.get(name, "") for name in confirm.fields}
        tampered = {**json.loads(data["mapping"]), "国家": ""}
        data["mapping"] = json.dumps(tampered)
        response = self.client.post(reverse(CONFIRM), data, follow=True)
        self.assertContains(response, "The file is not the one you previewed")
        self.assertFalse(Visit.objects.exists())

    def test_the_saved_match_is_proposed_for_the_same_names(self):
        self.answer(self.upload(), save_as="Office visits")
        response = self.upload()
        self.assertContains(
            response, "Proposed from the match saved as “Office visits”"
        )
        form = response.context["mapping_form"]
        self.assertEqual(form["column_6"].value(), "delegation")
        self.assertEqual(form["save_as"].value(), "Office visits")

    def test_two_columns_for_one_are_refused_and_the_choices_kept(self):
        response = self.answer(self.upload(), column_0="direction")
        self.assertContains(response, "are all matched to")
        self.assertEqual(
            response.context["mapping_form"]["column_0"].value(), "direction"
        )
        self.assertFalse(ColumnMapping.objects.exists())

    def test_a_match_that_leaves_out_a_needed_column_shows_why_and_asks_again(self):
        response = self.answer(self.upload(), column_3="")
        self.assertContains(response, "The file lacks the column(s)")
        self.assertIn("mapping_form", response.context)
        self.assertNotIn("confirm_form", response.context)

    def test_someone_who_may_not_import_gets_no_column_step(self):
        official = make_user("column-official", groups=["Official"])
        self.client.force_login(official)
        self.assertEqual(self.client.post(reverse(COLUMNS), {}).status_code, 403)
