"""The project's URLs plus the benchmark's anchors: a bare admin and a trivial view."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from foreignaffairs.urls import urlpatterns as project_urlpatterns
from partnerships.models import Visit


class BareVisitAdmin(admin.ModelAdmin):
    """Stock ModelAdmin; only the joins its __str__ column needs."""

    list_select_related = ("partner_city", "home_party")


bare_site = admin.AdminSite(name="bench_admin")
bare_site.register(Visit, BareVisitAdmin)


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/admin/", bare_site.urls),
    *project_urlpatterns,
]
