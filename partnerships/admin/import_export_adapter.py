"""The one place that overrides private methods of django-import-export.

Pinned: django-import-export 4.4.3 (requirements.txt). A private method may change
or disappear in any release, so each override here only hands over to a public hook
of ours, and ``tests/admin/test_import_export_adapter.py`` checks that the installed
version is the pinned one and that every method overridden here still exists on the
library's class with the parameters used here. On an upgrade, read the new
``import_export/admin.py``, adjust this module, and move the pin in requirements.txt
and in that test together.

The overrides, and why each is needed:

``ExportMixin._do_file_export(file_format, request, queryset, export_form=None)``
    Builds the whole file in memory (``get_export_data``) and returns it in one
    ``HttpResponse``. ``export_action`` calls it, and no public hook returns a
    different response, so a long list could not be streamed. Here it hands over to
    ``export_response``, which the admin's mixin overrides to stream the file.

Everything else the admin's import and export change goes through public hooks
(``process_import``, ``process_result``, ``generate_log_entries``, the form
classes...).
"""

from import_export.admin import ImportExportMixin

PINNED_VERSION = "4.4.3"


class ImportExportAdapter(ImportExportMixin):
    """``ImportExportMixin`` with a public hook in place of each private method."""

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        return self.export_response(
            file_format, request, queryset, export_form=export_form
        )

    def export_response(self, file_format, request, queryset, export_form=None):
        """The download of ``queryset`` in ``file_format``: the library's by default."""
        return super()._do_file_export(
            file_format, request, queryset, export_form=export_form
        )
