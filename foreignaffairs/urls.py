from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from foreignaffairs.health import healthz
from partnerships import file_views, report_views, two_factor
from partnerships.sitemaps import sitemaps

handler500 = "foreignaffairs.errors.server_error"

# Staff sign in with a password and, once they have set it up, a one-time code.
admin.site.login_form = two_factor.StaffLoginForm
admin.site.login_template = "registration/staff_login.html"


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("partnerships/favicon.svg"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("files/cities/<int:pk>/photo", file_views.city_photo, name="city-photo"),
    path(
        "files/agreements/<int:pk>/document",
        file_views.agreement_document,
        name="agreement-document",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
]

urlpatterns += i18n_patterns(
    path("", RedirectView.as_view(pattern_name="partnerships:city-list"), name="home"),
    path("admin/two-factor/", two_factor.setup, name="two-factor"),
    path("admin/report/", report_views.report, name="admin-report"),
    path("admin/", admin.site.urls),
    path("", include("partnerships.urls")),
    prefix_default_language=False,
)
