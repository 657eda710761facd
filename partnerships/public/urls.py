from django.urls import path

from . import calendars, confirm, contact, opendata, views

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
    path("calendar.ics", calendars.calendar, name="calendar"),
    path(
        "partners/<slug:slug>/calendar.ics",
        calendars.partner_calendar,
        name="city-calendar",
    ),
    path(
        "partners/<slug:slug>/", views.PartnerDetailView.as_view(), name="city-detail"
    ),
    path("contact/", contact.ContactView.as_view(), name="contact"),
    path("contact/sent/", contact.ContactSentView.as_view(), name="contact-sent"),
    path("privacy/", contact.PrivacyNoticeView.as_view(), name="privacy"),
    # A partner's page to confirm a record: the token is the credential.
    path("confirm/thanks/", confirm.thanks, name="confirm-thanks"),
    path("confirm/<str:token>/", confirm.confirm, name="confirm"),
    path(
        "partners/<slug:slug>/visits/",
        views.PartnerVisitsView.as_view(),
        name="city-visits",
    ),
]
