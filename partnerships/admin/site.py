"""The office's admin site: its dashboard, its order, its sign-in and its pages.

Set as the default site by ``partnerships.apps.PartnershipsAdminConfig``, so every
app registers on it through ``admin.site`` as usual.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.urls import path
from django.utils.translation import gettext_lazy as _

from .. import dashboard
from ..accounts import two_factor
from ..models import Person
from . import calendar_feed, review
from .report import report_view


class LabelledAutocompleteView(AutocompleteJsonView):
    """Autocomplete that tells namesakes apart: a person shows title and city."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Person):
            details = [part for part in (obj.current_title, obj.city) if part]
            if details:
                result["text"] = f"{obj.name} ({', '.join(map(str, details))})"
        return result


# Third-party apps shown to Administrators, named for people (their own labels
# and model names are neither human nor translated into Chinese). Named here, in
# the admin, and not on the models: a changed Meta would be a migration of theirs.
APP_NAMES = {
    "axes": _("Sign-in protection"),
    "otp_totp": _("Two-factor sign-in"),
}
MODEL_NAMES = {
    ("axes", "AccessAttempt"): _("Repeated failed sign-ins"),
    ("axes", "AccessFailureLog"): _("Failed sign-ins"),
    ("axes", "AccessLog"): _("Sign-ins"),
    ("otp_totp", "TOTPDevice"): _("Authenticator apps"),
}


class PartnershipsAdminSite(admin.AdminSite):
    site_header = _("Partnerships records")
    site_title = _("Partnerships records")
    index_title = _("Foreign affairs office")
    index_template = "admin/partnerships_index.html"
    # Staff sign in with a password and, once they have set it up, a one-time code.
    login_form = two_factor.StaffLoginForm
    login_template = "registration/staff_login.html"

    def get_urls(self):
        # Before Django's own: its last pattern takes any app label.
        return [
            path("report/", self.admin_view(report_view), name="report"),
            path("review/", self.admin_view(review.queue_view), name="review"),
            path(
                "review/<int:pk>/",
                self.admin_view(review.draft_view),
                name="review_draft",
            ),
            path("two-factor/", two_factor.setup, name="two-factor"),
            path(
                "calendar/",
                self.admin_view(calendar_feed.calendar_page),
                name="calendar",
            ),
            path(
                "calendar/<str:token>.ics",
                calendar_feed.calendar_feed,
                name="calendar-feed",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        """The admin index with the office's dashboard above the list of records."""
        context = {
            "dashboard": dashboard.for_user(request.user),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        """The apps in the index and sidebar, the office's records before the rest.

        Third-party apps go by human names in the reader's language, not by
        their labels ("Otp_Totp").
        """
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = (app["app_label"], model["object_name"])
                model["name"] = MODEL_NAMES.get(key, model["name"])
        return sorted(apps, key=lambda app: app["app_label"] != "partnerships")

    def autocomplete_view(self, request):
        return LabelledAutocompleteView.as_view(admin_site=self)(request)
