"""The admin page where officials choose a period and download the report."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .report_forms import ReportForm
from .reports import ReportFilter, build_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_view(request):
    """The form, and on a valid submission the workbook as a download."""
    if not request.user.has_perm("partnerships.view_report"):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = ReportFilter(
            data["first"],
            data["last"],
            partners=list(data["partners"]),
            sectors=list(data["sectors"]),
        )
        response = HttpResponse(content_type=XLSX)
        build_report(report, response)
        name = f"partnerships-report-{data['first']:%Y-%m-%d}-{data['last']:%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    context = {
        **admin.site.each_context(request),
        "title": _("Period report"),
        "form": form,
    }
    return TemplateResponse(request, "admin/partnerships/report.html", context)


report = admin.site.admin_view(report_view)
