from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views
from .reminders import REMINDER_ACTION
from .selectors import REVIEW_OUTCOME_ACTION, staff_queues


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


class StaffQueuesPanel(Component):
    """At the top of the admin dashboard for staff who review claims or
    listing changes: what is waiting (counts) and for how long (the
    oldest), linking to the lists. Shown even when nothing waits, so that
    "0" can be trusted."""

    name = "portal_staff_queues"
    template_name = "portal/admin/staff_queues_panel.html"
    order = 40

    def __init__(self, *, claims, reviews):
        self.claims, self.reviews = claims, reviews

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(claims=self.claims, reviews=self.reviews)
        return context


def may_review_listing_changes(user) -> bool:
    return user.has_perm("directory.publish_program")


@hooks.register("construct_homepage_panels")
def add_staff_queues_panel(request, panels):
    user = request.user
    may_claims = user.has_perm("portal.change_listingclaim")
    may_reviews = may_review_listing_changes(user)
    if not (may_claims or may_reviews):
        return
    queues = staff_queues()
    panels.insert(
        0,
        StaffQueuesPanel(
            claims=queues["claims"] if may_claims else None,
            reviews=queues["reviews"] if may_reviews else None,
        ),
    )


@hooks.register("register_log_actions")
def register_portal_log_actions(actions):
    actions.register_action("portal.claim_approve", "Approve listing claim", "Listing claim approved")
    actions.register_action("portal.claim_refuse", "Refuse listing claim", "Listing claim refused")
    actions.register_action("portal.member_remove", "Remove portal member", "Portal member removed")
    role_changed = "Portal member's role changed"
    actions.register_action("portal.member_role", "Change portal member's role", role_changed)
    actions.register_action(
        REVIEW_OUTCOME_ACTION, "Tell the center of the review", "Center told of the review"
    )
    actions.register_action(REMINDER_ACTION, "Availability reminder sent", "Availability reminder sent")
