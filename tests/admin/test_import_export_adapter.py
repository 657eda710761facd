"""The adapter over django-import-export's private methods
(partnerships/admin/import_export_adapter.py): the pinned version, the methods it
overrides as that version has them, and what the overrides give.

More of the admin's import and export is tested in
tests/spreadsheets/test_resources.py (AdminImportExportTests): permissions on every
URL, the streamed CSV's constant queries, the XLSX cells, a file changed after the
preview refused, rows gone bad before the confirm step, size and row limits.
"""

import importlib
import inspect
import io
import pkgutil
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Permission
from django.http import FileResponse, StreamingHttpResponse
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from import_export import __version__ as installed_version
from import_export.admin import ImportExportMixin

import partnerships
from partnerships.admin.import_export_adapter import (
    PINNED_VERSION,
    ImportExportAdapter,
)
from partnerships.models import City, Visit
from tests.factories import make_city, make_home, make_user, make_visit
from tests.spreadsheets.test_resources import VISIT_HEADER

# Each private method the adapter overrides, with the parameters it is written for.
OVERRIDDEN = {
    "_do_file_export": ["self", "file_format", "request", "queryset", "export_form"],
}


def private_names(cls):
    """Names of the single-underscore methods a class itself defines."""
    return {
        name
        for name, value in vars(cls).items()
        if name.startswith("_") and not name.startswith("__") and callable(value)
    }


def library_private_overrides():
    """Every method in ``partnerships`` that overrides a private one of the library."""
    found = set()
    for info in pkgutil.walk_packages(partnerships.__path__, "partnerships."):
        if ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not isinstance(cls, type) or cls.__module__ != module.__name__:
                continue
            library = [
                base
                for base in cls.__mro__[1:]
                if base.__module__.partition(".")[0] == "import_export"
            ]
            for name in private_names(cls):
                if any(name in vars(base) for base in library):
                    found.add(f"{cls.__module__}.{cls.__qualname__}.{name}")
    return found


class PinnedLibraryTests(SimpleTestCase):
    def test_the_installed_version_is_the_pinned_one(self):
        requirements = (settings.BASE_DIR / "requirements.txt").read_text()
        pinned = re.search(
            r"^django-import-export(?:\[[^\]]*\])?==(\S+)", requirements, re.M
        )
        self.assertIsNotNone(pinned, "requirements.txt pins django-import-export")
        self.assertEqual(pinned.group(1), PINNED_VERSION)
        self.assertEqual(installed_version, PINNED_VERSION)

    def test_the_adapter_overrides_only_the_methods_it_was_written_for(self):
        self.assertEqual(private_names(ImportExportAdapter), set(OVERRIDDEN))

    def test_each_overridden_method_exists_with_the_expected_parameters(self):
        for name, parameters in OVERRIDDEN.items():
            with self.subTest(method=name):
                library = getattr(ImportExportMixin, name, None)
                self.assertIsNotNone(library, f"import_export has no {name}")
                found = inspect.signature(library).parameters
                self.assertEqual(list(found), parameters)
                ours = inspect.signature(getattr(ImportExportAdapter, name)).parameters
                self.assertEqual(
                    [(p.name, p.kind, p.default) for p in ours.values()],
                    [(p.name, p.kind, p.default) for p in found.values()],
                )

    def test_no_other_module_overrides_a_private_method_of_the_library(self):
        adapter = ImportExportAdapter
        self.assertEqual(
            library_private_overrides(),
            {
                f"{adapter.__module__}.{adapter.__qualname__}.{name}"
                for name in OVERRIDDEN
            },
        )


class AdapterBehaviourTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_home()
        make_city(name="Voronezh", country="RU")
        cls.clerk = make_user("adapter-clerk")
        cls.clerk.user_permissions.add(
            *Permission.objects.filter(
                codename__in=["view_visit", "change_visit", "add_visit", "import_visit"]
            )
        )
        cls.official = make_user("adapter-official")
        cls.official.user_permissions.add(
            *Permission.objects.filter(codename__in=["view_visit", "export_visit"])
        )

    def export(self, file_format):
        self.client.force_login(self.official)
        response = self.client.post(
            reverse("admin:partnerships_visit_export"),
            {"format": file_format, "resource": "0"},
        )
        # Not closed: closing sends request_finished, which would close the
        # test's database connection (PostgreSQL).
        return response

    def test_a_csv_export_is_streamed(self):
        make_visit(partner_city=City.objects.get(name="Voronezh"))
        response = self.export("0")
        self.assertIsInstance(response, StreamingHttpResponse)
        self.assertNotIsInstance(response, FileResponse)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn("Voronezh", b"".join(response.streaming_content).decode())

    def test_an_xlsx_export_is_a_file_response(self):
        response = self.export("1")
        self.assertIsInstance(response, FileResponse)
        self.assertIn("attachment;", response["Content-Disposition"])
        self.assertTrue(b"".join(response.streaming_content).startswith(b"PK"))

    def test_a_previewed_file_that_is_gone_is_said_to_be_gone(self):
        self.client.force_login(self.clerk)
        row = "inbound,Chongqing,Voronezh,Russia,2019-05-14,completed\n"
        upload = io.BytesIO((VISIT_HEADER + row).encode())
        upload.name = "visits.csv"
        response = self.client.post(
            reverse("admin:partnerships_visit_import"),
            {"resource": "0", "format": "0", "import_file": upload},
        )
        confirm = response.context["confirm_form"]
        (Path(tempfile.gettempdir()) / confirm.initial["import_file_name"]).unlink()
        response = self.client.post(
            reverse("admin:partnerships_visit_process_import"),
            {name: confirm.initial[name] for name in confirm.fields},
            follow=True,
        )
        self.assertContains(response, "The previewed file is gone")
        self.assertFalse(Visit.objects.exists())

    def test_the_confirm_step_answers_post_only(self):
        self.client.force_login(self.clerk)
        response = self.client.get(reverse("admin:partnerships_visit_process_import"))
        self.assertEqual(response.status_code, 405)

    # A confirm step with another file than the one previewed is refused:
    # AdminImportExportTests.test_a_file_changed_after_the_preview_is_not_imported.
