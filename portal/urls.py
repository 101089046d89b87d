from django.urls import path

from . import listing_views, views

app_name = "portal"


def portal_path(route, view, name):
    """Every portal view explains to someone removed from an organization
    that their access ended (portal.views.explains_access_ended)."""
    return path(route, views.explains_access_ended(view), name=name)


urlpatterns = [
    portal_path("", views.dashboard, name="dashboard"),
    portal_path("listings/<slug:slug>/", views.program_stats, name="program_stats"),
    portal_path("listings/<slug:slug>/edit/", listing_views.listing_edit, name="listing_edit"),
    portal_path(
        "listings/<slug:slug>/availability/", listing_views.listing_availability, name="listing_availability"
    ),
    portal_path("organizations/<slug:org_slug>/team/", views.team, name="team"),
    portal_path("organizations/<slug:org_slug>/team/<int:pk>/role/", views.member_role, name="member_role"),
    portal_path(
        "organizations/<slug:org_slug>/team/<int:pk>/remove/", views.member_remove, name="member_remove"
    ),
    portal_path(
        "organizations/<slug:org_slug>/invitations/<int:pk>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    portal_path("organizations/<slug:org_slug>/inbox/", views.inbox, name="inbox"),
    portal_path("organizations/<slug:org_slug>/inbox/<int:pk>/", views.inquiry_detail, name="inquiry_detail"),
    portal_path(
        "organizations/<slug:org_slug>/inbox/<int:pk>/status/", views.inquiry_status, name="inquiry_status"
    ),
    portal_path(
        "organizations/<slug:org_slug>/inbox/<int:pk>/note/", views.inquiry_note, name="inquiry_note"
    ),
    portal_path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    portal_path("claim/listing/<slug:slug>/", views.claim_program, name="claim_program"),
    portal_path("claim/organization/<slug:slug>/", views.claim_organization, name="claim_organization"),
    portal_path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
]
