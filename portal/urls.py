from django.urls import path

from . import listing_views, views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("listings/<slug:slug>/", views.program_stats, name="program_stats"),
    path("listings/<slug:slug>/edit/", listing_views.listing_edit, name="listing_edit"),
    path(
        "listings/<slug:slug>/availability/", listing_views.listing_availability, name="listing_availability"
    ),
    path("organizations/<slug:org_slug>/team/", views.team, name="team"),
    path("organizations/<slug:org_slug>/team/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path(
        "organizations/<slug:org_slug>/invitations/<int:pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("organizations/<slug:org_slug>/inbox/", views.inbox, name="inbox"),
    path("organizations/<slug:org_slug>/inbox/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    path("organizations/<slug:org_slug>/inbox/<int:pk>/status/", views.inquiry_status, name="inquiry_status"),
    path("organizations/<slug:org_slug>/inbox/<int:pk>/note/", views.inquiry_note, name="inquiry_note"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("claim/listing/<slug:slug>/", views.claim_program, name="claim_program"),
    path("claim/organization/<slug:slug>/", views.claim_organization, name="claim_organization"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
]
