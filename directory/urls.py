from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("find/", views.search, name="search"),
    path("find/programs.csv", views.search_csv, name="search_csv"),
    path("find/terms/", views.search_terms, name="terms"),
    path("programs/<slug:slug>/", views.program_detail, name="program"),
    path("programs/<slug:slug>/report/", views.report_problem, name="report_problem"),
    path("programs/<slug:slug>/report/thanks/", views.report_thanks, name="report_thanks"),
    # The contact-change alert's "This was not us" link (signed; redacted in
    # logs: config/log_redaction.py).
    path("listing-safety/not-us/<str:token>/", views.contact_restore, name="contact_restore"),
]
