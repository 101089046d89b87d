from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .admin_views import ReviewDueReportView
from .models import Author, MedicalReviewer


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    list_display = ["name", "credentials"]
    search_fields = ["name"]


class MedicalReviewerViewSet(SnippetViewSet):
    model = MedicalReviewer
    icon = "user"
    menu_label = "Medical reviewers"
    list_display = ["name", "credentials", "user"]
    search_fields = ["name"]


register_snippet(AuthorViewSet)
register_snippet(MedicalReviewerViewSet)


@hooks.register("register_admin_urls")
def register_review_due_report_urls():
    return [
        path("reports/reviews-due/", ReviewDueReportView.as_view(), name="content_review_due"),
        path(
            "reports/reviews-due/results/",
            ReviewDueReportView.as_view(results_only=True),
            name="content_review_due_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_review_due_report_menu_item():
    return MenuItem("Article reviews due", reverse("content_review_due"), icon_name="time", order=650)
