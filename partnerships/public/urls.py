from django.urls import path

from . import opendata, views

app_name = "partnerships"

urlpatterns = [
    path("partners/", views.PartnerListView.as_view(), name="city-list"),
    path("partners.csv", opendata.partners_csv, name="city-list-csv"),
    path(
        "partners-excel.csv",
        opendata.partners_excel_csv,
        name="city-list-csv-excel",
    ),
    path("partners.json", opendata.partners_json, name="city-list-json"),
    path(
        "partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="city-detail"
    ),
]
