"""The import's column step: a file whose column names are not the list's.

The preview finds names it does not know (``spreadsheets.mapping.NeedsMapping``)
and the import page shows, instead of the error, each of the file's columns with
its first values beside a choice of the list's columns (or "ignore"), proposed
from a mapping saved for the same names, else from the names that are ours. The
clerk may save the choice under a name; the preview then runs through it, and the
confirm step imports through the very same choice (it is signed with the file's
digest).
"""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from import_export.forms import ConfirmImportForm

from ..spreadsheets import mapping
from ..spreadsheets.mapping import NeedsMapping
from ..spreadsheets.reading import SpreadsheetError


class StoredUploadForm(ConfirmImportForm):
    """The hidden fields that name a stored upload and its signed digest."""

    digest = forms.CharField(widget=forms.HiddenInput())


class MappingForm(StoredUploadForm):
    """One choice of the list's columns per column of the file."""

    save_as = forms.CharField(
        label=gettext_lazy("Save this match as"),
        max_length=100,
        required=False,
        help_text=gettext_lazy(
            "A name, e.g. “Office visit sheet”: the match is proposed again for a "
            "file with the same column names, and the command line takes it with "
            "--mapping NAME. Leave empty not to save it."
        ),
    )

    def __init__(self, *args, resource, headers, samples, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.headers = list(headers)
        choices = [("", _("— ignore this column —"))] + mapping.our_columns(resource)
        self.columns = []
        for index, header in enumerate(self.headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=proposal.get(header, ""),
            )
            self.columns.append((self[name], samples.get(header, [])))

    def chosen(self):
        """``{header: field name or ""}`` as chosen."""
        return {
            header: self.cleaned_data.get(f"column_{index}", "")
            for index, header in enumerate(self.headers)
        }

    def clean(self):
        cleaned = super().clean()
        problems = mapping.check(self.resource, self.chosen())
        if problems:
            raise forms.ValidationError(problems)
        return cleaned


class MappingStepMixin:
    """The column step of ``SpreadsheetAdminMixin``'s import."""

    def offer_mapping(self, request, response):
        """The import page's response, with the column step in place of the
        error if the file's column names were not the list's."""
        context = getattr(response, "context_data", None) or {}
        result = context.get("result")
        if hasattr(result, "trim_preview"):
            result.trim_preview()
        needs = next(
            (
                error.error
                for error in getattr(result, "base_errors", ())
                if isinstance(error.error, NeedsMapping)
            ),
            None,
        )
        if needs is None:
            return response
        import_form = context["form"]
        resource = self.import_resource(request, import_form)
        saved, proposal = mapping.proposal(resource, needs.headers)
        initial = self.get_confirm_form_initial(request, import_form)
        form = MappingForm(
            initial={**initial, "save_as": saved.name if saved else ""},
            resource=resource,
            headers=needs.headers,
            samples=needs.samples,
            proposal=proposal,
        )
        context.update(self.mapping_context(form, needs, saved))
        # Not an error to list: a question to answer.
        context["mapping_only"] = True
        return response

    def mapping_context(self, form, needs, saved=None):
        return {
            "mapping_form": form,
            "mapping_message": str(needs),
            "mapping_saved": saved,
            "mapping_url": self.import_url("import_columns"),
        }

    def import_resource(self, request, form):
        resource_class = self.choose_import_resource_class(form, request)
        return resource_class(**self.get_import_resource_kwargs(request, form=form))

    @method_decorator(require_POST)
    def mapping_view(self, request):
        """The column step's answer: the preview through the chosen match."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        stored = StoredUploadForm(request.POST)
        if not stored.is_valid():
            return self.refuse(request, _("The import form was incomplete."))
        try:
            dataset, storage = self.stored_upload(stored, request)
        except SpreadsheetError as error:
            return self.refuse(request, str(error))
        resource = self.import_resource(request, stored)
        needs = NeedsMapping("", dataset.headers, mapping.samples(dataset))
        form = MappingForm(
            request.POST,
            resource=resource,
            headers=dataset.headers,
            samples=needs.samples,
            proposal={},
        )
        context = self.import_page_context(request, resource)
        if not form.is_valid():
            context.update(self.mapping_context(form, needs))
            return self.import_page(request, context)
        columns = form.chosen()
        if form.cleaned_data["save_as"]:
            mapping.save(
                resource,
                form.cleaned_data["save_as"],
                dataset.headers,
                columns,
                request.user,
            )
            messages.success(
                request,
                _("The match was saved as “%(name)s”.")
                % {"name": form.cleaned_data["save_as"]},
            )
        result = resource.import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            file_name=stored.cleaned_data["original_file_name"],
            user=request.user,
            **self.get_import_data_kwargs(request=request),
            mapping=columns,
        )
        result.trim_preview()
        context["result"] = result
        if result.has_errors() or result.has_validation_errors():
            # Shown with the errors, to be changed and tried again.
            context.update(self.mapping_context(form, needs))
        else:
            chosen = json.dumps(columns, ensure_ascii=False, sort_keys=True)
            context["confirm_form"] = self.confirm_form_class(
                initial={
                    **{name: stored.cleaned_data[name] for name in stored.fields},
                    "digest": self.sign_upload(
                        request,
                        stored.cleaned_data["import_file_name"],
                        storage.read(),
                        mapping=chosen,
                    ),
                    "mapping": chosen,
                }
            )
        return self.import_page(request, context)

    def import_page_context(self, request, resource):
        context = self.get_import_context_data()
        context.update(self.admin_site.each_context(request))
        import_form = self.create_import_form(request=_Unbound(request))
        context.update(
            {
                "title": _("Import"),
                "form": import_form,
                "opts": self.model._meta,
                "media": self.media + import_form.media,
                "fields_list": [
                    (
                        resource.get_display_name(),
                        [f.column_name for f in resource.get_user_visible_fields()],
                    )
                ],
                "import_error_display": self.import_error_display,
            }
        )
        return context

    def import_page(self, request, context):
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)


class _Unbound:
    """A request as the upload form reads it, without the column step's fields:
    the page shows the upload form empty, as it is on first reading."""

    def __init__(self, request):
        self.POST = None
        self.FILES = None
        self._request = request

    def __getattr__(self, name):
        return getattr(self._request, name)
