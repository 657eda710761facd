"""Import and export in the admin (django-import-export), for the models that have
a resource in ``partnerships.spreadsheets.resources``.

``SpreadsheetAdminMixin`` goes first in the bases of a ModelAdmin that declares its
resource as django-import-export asks (``resource_classes = [CityResource]``). It
offers CSV and XLSX only, asks for the model's own ``import_<model>`` /
``export_<model>`` permission on every URL, refuses files over
``PARTNERSHIPS_IMPORT_MAX_BYTES`` before parsing them, explains unreadable files in
plain words, and imports all or nothing: the confirm step re-validates everything,
writes nothing if any row fails, and refuses a stored file that differs from the one
previewed. Whoever may import a list may also download its import template
(``spreadsheets.templates``), linked from the import page.

It uses only public hooks of django-import-export: the one private method it needs
changed is overridden in ``import_export_adapter``, its base.
"""

import hashlib
import json
import os
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from import_export.forms import ConfirmImportForm, ExportForm, ImportForm
from import_export.results import RowResult
from import_export.signals import post_export, post_import

from ..spreadsheets import bulk, exports, templates
from ..spreadsheets.formats import EXPORT_FORMATS, SAFE_FORMATS, SafeXLSX
from ..spreadsheets.reading import SpreadsheetError, check_size, human_size
from .column_mappings import MappingStepMixin
from .import_export_adapter import ImportExportAdapter

DIGEST_SALT = "partnerships.import-preview"


# django-import-export's admin log message ("new through import_export").
IMPORT_EXPORT_SAYS = "%s through import_export"


class SpreadsheetImportForm(ImportForm):
    """The upload form: the size limit and the extension checked before reading."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            check_size(upload.size)
        except SpreadsheetError as error:
            raise forms.ValidationError(str(error)) from None
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".xlsx")):
            raise forms.ValidationError(
                _(
                    "Only CSV and XLSX files can be imported. Save the spreadsheet "
                    "as CSV UTF-8 or as an Excel workbook (.xlsx)."
                )
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        chosen = cleaned.get("format")
        if upload is not None and chosen not in (None, ""):
            extension = "." + SAFE_FORMATS[int(chosen)]().get_extension()
            if not upload.name.lower().endswith(extension):
                self.add_error(
                    "format",
                    _("The file is not a %(extension)s file; choose its format.")
                    % {"extension": extension},
                )
        return cleaned


class SpreadsheetConfirmForm(ConfirmImportForm):
    """The confirm form, carrying a signed digest of the file that was previewed."""

    digest = forms.CharField(widget=forms.HiddenInput())
    #: The column mapping the preview used, as JSON (``column_mappings``).
    mapping = forms.CharField(widget=forms.HiddenInput(), required=False)


def file_digest(data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


class SpreadsheetAdminMixin(MappingStepMixin, ImportExportAdapter):
    """Import and export for a ModelAdmin that declares its ``resource_classes``."""

    import_template_name = "admin/partnerships/import.html"
    import_form_class = SpreadsheetImportForm
    confirm_form_class = SpreadsheetConfirmForm
    # Every column, always: a partial export could not be imported back.
    export_form_class = ExportForm
    import_error_display = ("message",)
    #: Uploads are bytes; ``spreadsheets`` decodes them and explains bad encodings.
    from_encoding = None

    # Which resource, which formats ---------------------------------------------

    def get_resource_classes(self, request):
        # Only a declared resource: never the one import_export would generate for
        # the model, which has none of our checks.
        if not self.resource_classes:
            raise PermissionDenied
        return super().get_resource_classes(request)

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_import_formats(self):
        return list(SAFE_FORMATS)

    def get_export_formats(self):
        return list(EXPORT_FORMATS)

    # Permissions: each model's own import_/export_ permission, on every URL ----

    def has_import_permission(self, request):
        opts = self.model._meta
        return bool(self.resource_classes) and request.user.has_perm(
            f"{opts.app_label}.import_{opts.model_name}"
        )

    def has_export_permission(self, request):
        opts = self.model._meta
        return bool(self.resource_classes) and request.user.has_perm(
            f"{opts.app_label}.export_{opts.model_name}"
        )

    # Import ---------------------------------------------------------------------

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["max_rows"] = settings.PARTNERSHIPS_IMPORT_MAX_WEB_ROWS
        if form is not None and form.is_bound and form.cleaned_data.get("mapping"):
            kwargs["mapping"] = json.loads(form.cleaned_data["mapping"])
        return kwargs

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["max_upload"] = human_size(settings.PARTNERSHIPS_IMPORT_MAX_BYTES)
        # The preview lists the first rows only: the resource gives those values.
        context["preview_rows"] = settings.PARTNERSHIPS_IMPORT_PREVIEW_ROWS
        context["preview_slice"] = f":{settings.PARTNERSHIPS_IMPORT_PREVIEW_ROWS}"
        context["import_template_url"] = self.import_url("import_template")
        return context

    # The import template ---------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/template/",
                self.admin_site.admin_view(self.import_template_view),
                name=f"{opts.app_label}_{opts.model_name}_import_template",
            ),
            path(
                "import/columns/",
                self.admin_site.admin_view(self.mapping_view),
                name=f"{opts.app_label}_{opts.model_name}_import_columns",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """The list's import template (XLSX) in the reader's language, for whoever
        may import it."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_resource_classes(request)[0]
        data = templates.write_template(resource_class, user=request.user)
        response = HttpResponse(data, content_type=SafeXLSX().get_content_type())
        name = f"{self.model._meta.model_name}-import-template"
        response["Content-Disposition"] = (
            f'attachment; filename="{name}-{translation.get_language()}.xlsx"'
        )
        return response

    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST" and self.request_too_large(request):
            # Refused before the file is opened or parsed. (The CSRF check has
            # already streamed the body to a temporary file: the web server in
            # front should cap request bodies too.)
            messages.error(
                request,
                _("The file is larger than %(limit)s and cannot be imported.")
                % {"limit": human_size(settings.PARTNERSHIPS_IMPORT_MAX_BYTES)},
            )
            return HttpResponseRedirect(request.path)
        response = super().import_action(request, **kwargs)
        return self.offer_mapping(request, response)

    def request_too_large(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return True
        # Allow for the form's other fields and the multipart boundaries.
        return length > settings.PARTNERSHIPS_IMPORT_MAX_BYTES + 64 * 1024

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", str(e))
        else:
            form.add_error(
                "import_file",
                _(
                    "The file could not be read as the chosen format. Check that it "
                    "is a CSV (UTF-8) or XLSX file."
                ),
            )

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            upload = import_form.cleaned_data["import_file"]
            upload.seek(0)
            data = b"".join(upload.chunks())
            initial["digest"] = self.sign_upload(
                request, initial["import_file_name"], data
            )
            initial["mapping"] = ""
        return initial

    @staticmethod
    def sign_upload(request, name, data, mapping=""):
        """The digest the confirm step checks: this file, this user, this match
        of its columns."""
        return signing.dumps(
            {
                "name": os.path.basename(name),
                "sha256": file_digest(data),
                "user": request.user.pk,
                "mapping": mapping,
            },
            salt=DIGEST_SALT,
        )

    @staticmethod
    def previewed(confirm_form, request, data):
        """Whether ``data`` is the very file this user previewed."""
        try:
            signed = signing.loads(
                confirm_form.cleaned_data["digest"],
                salt=DIGEST_SALT,
                max_age=24 * 60 * 60,
            )
        except signing.BadSignature:
            return False
        return (
            signed.get("name") == confirm_form.cleaned_data["import_file_name"]
            and signed.get("user") == request.user.pk
            and signed.get("sha256") == file_digest(data)
            # A file previewed through a column mapping is imported through it.
            and signed.get("mapping", "")
            == confirm_form.cleaned_data.get("mapping", "")
        )

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return self.refuse(request, _("The import form was incomplete."))
        try:
            dataset, tmp_storage = self.stored_upload(confirm_form, request)
        except SpreadsheetError as error:
            return self.refuse(request, str(error))
        result = self.process_dataset(dataset, confirm_form, request, **kwargs)
        tmp_storage.remove()
        return self.process_result(result, request)

    def stored_upload(self, form, request):
        """The dataset of the file a preview stored, and its storage: the very file
        this user previewed, or a ``SpreadsheetError`` saying why not."""
        formats = self.get_import_formats()
        try:
            input_format = formats[int(form.cleaned_data["format"])]()
        except (ValueError, IndexError):
            raise SpreadsheetError(_("Unknown file format.")) from None
        tmp_storage = self.get_tmp_storage_class()(
            name=form.cleaned_data["import_file_name"],
            encoding=None,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = tmp_storage.read()
        except (OSError, TypeError):
            data = None
        if data is None:
            # Expired from the cache or removed from the temporary folder.
            raise SpreadsheetError(
                _("The previewed file is gone; upload it again, please.")
            )
        if not self.previewed(form, request, data):
            raise SpreadsheetError(
                _(
                    "The file is not the one you previewed, so nothing was imported. "
                    "Upload it again, please."
                )
            )
        return input_format.create_dataset(data), tmp_storage

    def refuse(self, request, message):
        messages.error(request, message)
        return HttpResponseRedirect(self.import_url())

    def import_url(self, view="import"):
        opts = self.model._meta
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_{view}",
            current_app=self.admin_site.name,
        )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The resource rolled everything back; say so and show why.
            context = self.admin_site.each_context(request)
            context.update(
                {
                    "title": _("Import"),
                    "opts": self.model._meta,
                    "result": result,
                    "nothing_imported": True,
                    "import_error_display": self.import_error_display,
                }
            )
            messages.error(
                request,
                _(
                    "Nothing was imported: some rows are no longer valid (the "
                    "records changed since the preview). Correct them and upload "
                    "the file again."
                ),
            )
            return TemplateResponse(request, [self.import_template_name], context)
        self.generate_log_entries(result, request)
        self.add_success_message(result, request)
        post_import.send(sender=None, model=self.model)
        opts = self.model._meta
        return HttpResponseRedirect(
            reverse(
                f"admin:{opts.app_label}_{opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
        )

    def generate_log_entries(self, result, request):
        """import_export's admin log entries, written at once: a long file has
        thousands of rows."""
        if self.get_skip_admin_log():
            return
        flags = {
            RowResult.IMPORT_TYPE_NEW: ADDITION,
            RowResult.IMPORT_TYPE_UPDATE: CHANGE,
            RowResult.IMPORT_TYPE_DELETE: DELETION,
        }
        content_type = ContentType.objects.get_for_model(
            self.model, for_concrete_model=False
        )
        # The very message import_export writes, translated as it does.
        says = {kind: _(IMPORT_EXPORT_SAYS % kind) for kind in flags}
        now = timezone.now()
        bulk.insert_rows(
            LogEntry,
            [
                "action_time",
                "user_id",
                "content_type_id",
                "object_id",
                "object_repr",
                "action_flag",
                "change_message",
            ],
            (
                (
                    now,
                    request.user.pk,
                    content_type.pk,
                    str(row.instance.pk),
                    str(row.instance)[:200],
                    flags[row.import_type],
                    says[row.import_type],
                )
                for row in result
                if row.import_type in flags and row.instance is not None
            ),
        )

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            _(
                "Import finished: %(new)s new, %(updated)s updated and %(skipped)s "
                "unchanged %(what)s."
            )
            % {
                "new": totals["new"],
                "updated": totals["update"],
                "skipped": totals["skip"],
                "what": self.model._meta.verbose_name_plural,
            },
        )

    # Export ---------------------------------------------------------------------

    def export_response(self, file_format, request, queryset, export_form=None):
        """Stream the file: memory stays flat however long the list is."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource = self.choose_export_resource_class(export_form, request)(
            **self.get_export_resource_kwargs(request)
        )
        filename = self.get_export_filename(request, queryset, file_format)
        if isinstance(file_format, SafeXLSX):
            # XlsxWriter needs a seekable file; a temporary one keeps memory flat.
            # FileResponse closes it once sent, so no context manager here.
            out = tempfile.TemporaryFile()  # noqa: SIM115
            exports.export_xlsx(resource, out, queryset)
            out.seek(0)
            response = FileResponse(
                out,
                as_attachment=True,
                filename=filename,
                content_type=file_format.get_content_type(),
            )
        else:
            response = StreamingHttpResponse(
                exports.csv_chunks(
                    resource, queryset, delimiter=getattr(file_format, "delimiter", ",")
                ),
                content_type="text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        post_export.send(sender=None, model=self.model)
        return response

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        day = timezone.localdate().isoformat()
        return f"{name}-{day}.{file_format.get_extension()}"
