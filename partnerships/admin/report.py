"""The period report in the admin: officials choose a period and download it."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import City, Sector
from ..models.choices import HOME_ROLES
from ..spreadsheets import pdf
from ..spreadsheets.reports import ReportFilter, build_report
from ..spreadsheets.reports.periods import CUSTOM, PERIODS, THIS_YEAR, period_bounds


def partner_choices():
    """Partner cities with an agreement signed by a home party."""
    return (
        City.objects.filter(agreements_as_partner__home_party__role__in=HOME_ROLES)
        .distinct()
        .order_by("name_en", "country")
    )


class ReportForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=PERIODS,
        initial=THIS_YEAR,
        widget=forms.RadioSelect,
    )
    first = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy(
            "For a custom period: its first day (YYYY-MM-DD). Typing a date "
            "chooses “Custom”."
        ),
    )
    last = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("For a custom period: its last day, included."),
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
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("The language the report is written in."),
    )

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_choices()
        self.today = today or timezone.localdate()
        first, last = period_bounds(THIS_YEAR, self.today)
        self.fields["first"].initial, self.fields["last"].initial = first, last
        self.fields["language"].initial = translation.get_language()

    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        if period and period != CUSTOM:
            # A named period: the dates below are not read.
            for name in ("first", "last"):
                self._errors.pop(name, None)
            cleaned["first"], cleaned["last"] = period_bounds(period, self.today)
            return cleaned
        first, last = cleaned.get("first"), cleaned.get("last")
        for name, day in (("first", first), ("last", last)):
            if day is None and name not in self._errors:
                self.add_error(name, gettext_lazy("Give this date of the period."))
        if first and last and first > last:
            self.add_error("last", gettext_lazy("The period ends before it begins."))
        if first and last and (last - first).days > 366 * 50:
            self.add_error(
                "first", gettext_lazy("Choose a period of at most fifty years.")
            )
        return cleaned


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_view(request):
    """The form, and on a valid submission the workbook (or its PDF) as a download."""
    if not request.user.has_perm("partnerships.view_report"):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    pdf_available = pdf.soffice() is not None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        report = ReportFilter(
            data["first"],
            data["last"],
            partners=list(data["partners"]),
            sectors=list(data["sectors"]),
            language=data["language"],
            made_by=request.user.get_full_name() or request.user.get_username(),
        )
        name = f"partnerships-report-{data['first']:%Y-%m-%d}-{data['last']:%Y-%m-%d}"
        if request.POST.get("format") != "pdf":
            response = HttpResponse(content_type=XLSX)
            build_report(report, response)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
        try:
            if not pdf_available:
                raise pdf.ConversionFailed(
                    _("LibreOffice is not installed on the server.")
                )
            document = pdf.xlsx_to_pdf(build_report(report).getvalue())
        except pdf.ConversionFailed as error:
            form.add_error(None, _("No PDF: %(reason)s") % {"reason": error})
        else:
            response = HttpResponse(document, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
            return response
    context = {
        **admin.site.each_context(request),
        "title": _("Period report"),
        "form": form,
        "pdf_available": pdf_available,
    }
    return TemplateResponse(request, "admin/partnerships/report.html", context)
