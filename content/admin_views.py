"""The staff report of articles whose medical review is overdue or due soon."""

from django.urls import reverse
from django.utils.dateformat import format as format_date
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from . import selectors
from .models import review_status


def _date(field):
    def accessor(article):
        value = getattr(article, field)
        return format_date(value, "M j, Y") if value else "never"

    return accessor


class ReviewDueReportView(ReportView):
    page_title = "Article reviews due"
    header_icon = "time"
    index_url_name = "content_review_due"
    index_results_url_name = "content_review_due_results"
    columns = [
        TitleColumn(
            "title", label="Article", get_url=lambda a: reverse("wagtailadmin_pages:edit", args=[a.pk])
        ),
        Column("status", label="Status", accessor=review_status),
        Column("next_review_due", label="Next review due", accessor=_date("next_review_due")),
        Column("last_reviewed", label="Last reviewed", accessor=_date("last_reviewed")),
        Column("medical_reviewer", label="Medical reviewer"),
    ]
    list_export = ["title", "next_review_due", "last_reviewed", "medical_reviewer"]

    def get_queryset(self):
        return selectors.articles_due_for_review()

    def get_filename(self):
        return "article-reviews-due"
