"""The period report in the admin: officials choose a period and download it."""

import datetime

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import City, Sector
from ..models.choices import HOME_ROLES
from ..spreadsheets.reports import ReportFilter, build_report


def partner_choices():
    """Partner cities with an agreement signed by a home party."""
    return (
        City.objects.filter(agreements_as_partner__home_party__role__in=HOME_ROLES)
        .distinct()
        .order_by("name_en", "country")
    )


class ReportForm(forms.Form):
    first = forms.DateField(
        label=gettext_lazy("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The first day of the period (YYYY-MM-DD)."),
    )
    last = forms.DateField(
        label=gettext_lazy("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("The last day of the period, included."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partners"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Leave empty for every partner."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Leave empty for every sector."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_choices()
        today = timezone.localdate()
        self.fields["first"].initial = datetime.date(today.year - 1, 1, 1)
        self.fields["last"].initial = datetime.date(today.year - 1, 12, 31)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first"), cleaned.get("last")
        if first and last and first > last:
            self.add_error("last", gettext_lazy("The period ends before it begins."))
        if first and last and (last - first).days > 366 * 50:
            self.add_error(
                "first", gettext_lazy("Choose a period of at most fifty years.")
            )
        return cleaned


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
