from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .reminders import REMINDER_ACTION
from .selectors import REVIEW_OUTCOME_ACTION


@hooks.register("register_admin_urls")
def register_claim_urls():
    return [
        path("listing-claims/", admin_views.claim_index, name="portal_claims"),
        path("listing-claims/<int:pk>/", admin_views.claim_review, name="portal_claim_review"),
    ]


class ClaimMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("portal.change_listingclaim")


@hooks.register("register_admin_menu_item")
def register_claim_menu_item():
    return ClaimMenuItem("Listing claims", reverse("portal_claims"), icon_name="user", order=260)


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action("portal.claim_approve", "Approve listing claim", "Listing claim approved")
    actions.register_action("portal.claim_refuse", "Refuse listing claim", "Listing claim refused")
    actions.register_action("portal.member_remove", "Remove portal member", "Portal member removed")
    actions.register_action(
        REVIEW_OUTCOME_ACTION, "Tell the center of the review", "Center told of the review"
    )
    actions.register_action(REMINDER_ACTION, "Availability reminder sent", "Availability reminder sent")
