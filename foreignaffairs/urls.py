from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView

from foreignaffairs.health import healthz
from partnerships.public import files
from partnerships.public.sitemaps import sitemaps

handler500 = "foreignaffairs.errors.server_error"


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("partnerships/favicon.svg"), permanent=True)


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("files/cities/<int:pk>/photo", files.city_photo, name="city-photo"),
    path("files/site/emblem", files.site_emblem, name="site-emblem"),
    path(
        "files/agreements/<int:pk>/document",
        files.agreement_document,
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
    path("admin/", admin.site.urls),
    path("", include("partnerships.public.urls")),
    prefix_default_language=False,
)
