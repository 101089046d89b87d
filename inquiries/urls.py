from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("programs/<slug:slug>/inquire/", views.inquiry_create, name="create"),
    path("inquiries/thanks/", views.inquiry_thanks, name="thanks"),
    path("inquiries/status/<str:token>/", views.inquiry_status, name="status"),
    path("inquiries/deleted/", views.inquiry_deleted, name="deleted"),
]
