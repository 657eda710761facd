"""A URLconf whose views fail as a dropped database or a bug would."""

from django.db import OperationalError
from django.urls import path

from foreignaffairs.urls import urlpatterns as project_urlpatterns

handler500 = "foreignaffairs.errors.server_error"


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def bug(request):
    raise ValueError("secret detail")


urlpatterns = [
    path("database-gone/", database_gone),
    path("bug/", bug),
    *project_urlpatterns,
]
