from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="city-list"),
    path(
        "partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="city-detail"
    ),
]
