"""Inquiries in the Wagtail admin: a list with delivery state (never the
contents), filters by state, and a detail view (inquiries/admin_views.py)."""

from django.urls import path
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .admin_views import InquiryDetailView, InquiryResendView
from .models import Inquiry


class InquiryViewSet(ModelViewSet):
    model = Inquiry
    url_prefix = "inquiries"
    url_namespace = "inquiries_admin"
    icon = "mail"
    menu_label = "Inquiries"
    menu_order = 160
    add_to_admin_menu = True
    list_display = ["reference", "program", "created_at", "delivery_state", "delivery_attempts", "status"]
    list_filter = ["delivery_state", "status"]
    search_fields = ["reference", "program__name"]
    search_backend_name = None
    ordering = ["-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["status"]  # unused: there is no add or edit view

    def get_common_view_kwargs(self, **kwargs):
        # No add/edit/delete/history views: rows link to the detail view.
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": self.get_url_name("inspect"),
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                **kwargs,
            }
        )

    def get_urlpatterns(self):
        # Listing, detail and resend only: inquiries are made by families,
        # never typed in or edited by staff.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", InquiryDetailView.as_view(), name="inspect"),
            path("resend/<int:pk>/", InquiryResendView.as_view(), name="resend"),
        ]


@hooks.register("register_admin_viewset")
def register_inquiry_viewset():
    return InquiryViewSet("inquiries")


# Audit log entries say what happened, never what the family wrote.
LOG_ACTIONS = [
    ("inquiries.view_contents", "View inquiry contents", "Viewed the inquiry's contents"),
    ("inquiries.set_status", "Change inquiry status", "Changed the inquiry's status"),
    ("inquiries.set_note", "Edit inquiry note", "Edited the program's private note"),
    ("inquiries.resend", "Resend inquiry", "Asked to send the notification again"),
    ("inquiries.deleted_by_family", "Deleted by family", "The family deleted the inquiry"),
]


@hooks.register("register_log_actions")
def register_inquiry_log_actions(actions):
    for action, label, message in LOG_ACTIONS:
        actions.register_action(action, label, message)
