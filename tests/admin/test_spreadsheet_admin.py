"""Which lists the admin imports and exports: each declares its own resource."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory, TestCase

from partnerships.admin.base import RecordAdmin
from partnerships.admin.spreadsheets import SpreadsheetAdminMixin
from partnerships.models import Source
from partnerships.spreadsheets.resources import RESOURCE_ORDER
from tests.factories import make_user


class DeclaredResourceTests(TestCase):
    def test_each_list_with_a_resource_declares_that_one(self):
        declared = {
            model: model_admin.resource_classes
            for model, model_admin in admin.site._registry.items()
            if isinstance(model_admin, SpreadsheetAdminMixin)
        }
        self.assertEqual(
            declared, {resource._meta.model: [resource] for resource in RESOURCE_ORDER}
        )

    def test_an_admin_without_a_declared_resource_imports_and_exports_nothing(self):
        class Undeclared(SpreadsheetAdminMixin, RecordAdmin):
            pass

        model_admin = Undeclared(Source, admin.site)
        request = RequestFactory().get("/")
        request.user = make_user("undeclared", is_superuser=True)
        self.assertFalse(model_admin.has_import_permission(request))
        self.assertFalse(model_admin.has_export_permission(request))
        with self.assertRaises(PermissionDenied):
            model_admin.get_resource_classes(request)
