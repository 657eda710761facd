"""The form officials fill in for the period report."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import City, Sector
from .querysets import HOME_ROLES


def partner_choices():
    """Partner cities with an agreement signed by a home party."""
    return (
        City.objects.filter(agreements_as_partner__home_party__role__in=HOME_ROLES)
        .distinct()
        .order_by("name", "country")
    )


class ReportForm(forms.Form):
    first = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The first day of the period (YYYY-MM-DD)."),
    )
    last = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
        help_text=_("The last day of the period, included."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        queryset=City.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Leave empty for every partner."),
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every sector."),
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
            self.add_error("last", _("The period ends before it begins."))
        if first and last and (last - first).days > 366 * 50:
            self.add_error("first", _("Choose a period of at most fifty years."))
        return cleaned
