"""The staff reports (medically reviewed pages whose review is overdue or
due soon; the link check's broken links) and the admin views of pages in the
editorial workflow."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.utils import get_latest_str
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.views.reports import ReportView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import WorkflowState

from . import next_step, selectors
from .models import review_status
from .review_tasks import EDITORS, MEDICAL_REVIEWERS
from .tasks import check_links


def _date(field):
    def accessor(page):
        value = getattr(page, field)
        return format_date(value, "M j, Y") if value else "never"

    return accessor


def remember_workflow_state(request, page):
    """before_edit_page, first: load the page's active workflow state once
    for a GET of the edit page, as Wagtail's `prefetch_workflow_states()`
    does for listings. The edit view builds the page from its latest
    revision, without that prefetch, and then reads
    `page.current_workflow_state` (a query each time) from some twenty places
    (the action menu's items, the lock, the status panel, the four-eyes
    checks): twenty queries, about a fifth of the page's time. Not on POST,
    where the request itself changes the workflow."""
    if request.method == "GET" and not hasattr(page, "_current_workflow_states"):
        page._current_workflow_states = list(
            WorkflowState.objects.for_instance(page).active().select_related("current_task_state__task")
        )


class ReviewDueReportView(ReportView):
    """Every live medically reviewed page, of any type, whose review is
    overdue or due within 30 days. (URL names kept from when it listed
    articles only.)"""

    page_title = "Medical reviews due"
    header_icon = "time"
    index_url_name = "content_review_due"
    index_results_url_name = "content_review_due_results"
    columns = [
        TitleColumn(
            "title", label="Page", get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk])
        ),
        Column("type", label="Type", accessor=lambda page: page.get_verbose_name()),
        Column("status", label="Status", accessor=review_status),
        Column("next_review_due", label="Next review due", accessor=_date("next_review_due")),
        Column("last_reviewed", label="Last reviewed", accessor=_date("last_reviewed")),
        Column("medical_reviewer", label="Medical reviewer"),
    ]
    list_export = ["title", "get_verbose_name", "next_review_due", "last_reviewed", "medical_reviewer"]
    export_headings = {
        "title": "Title",
        "get_verbose_name": "Type",
        "next_review_due": "Next review due",
        "last_reviewed": "Last reviewed",
        "medical_reviewer": "Medical reviewer",
    }

    def get_queryset(self):
        return selectors.reviews_due()

    def get_filename(self):
        return "medical-reviews-due"


class LinkCheckReportView(ReportView):
    """The last link check's problems (content/link_check.py): broken links
    first, then those it could not confirm, then moved ones, each with its
    article and where in it the link is."""

    page_title = "Broken links"
    header_icon = "link"
    index_url_name = "content_link_check"
    index_results_url_name = "content_link_check_results"
    results_template_name = "content/admin/link_check_report_results.html"
    columns = [
        TitleColumn(
            "page",
            label="Article",
            accessor=lambda result: result.page.title,
            get_url=lambda result: reverse("wagtailadmin_pages:edit", args=[result.page_id]),
        ),
        Column("where", label="Where"),
        Column("url", label="Link"),
        Column("status", label="Result", accessor="get_status_display"),
        Column("message", label="Details"),
    ]
    list_export = ["page.title", "where", "url", "get_status_display", "http_status", "final_url", "message"]
    export_headings = {
        "page.title": "Article",
        "where": "Where",
        "url": "Link",
        "get_status_display": "Result",
        "http_status": "HTTP status",
        "final_url": "Leads to",
        "message": "Details",
    }

    def get_queryset(self):
        return selectors.link_problems()

    def get_filename(self):
        return "broken-links"

    @property
    def no_results_message(self):
        if selectors.link_check_last_run() is None:
            return "No link check has run yet. Run manage.py check_links (or ask a developer to)."
        return "The last link check found no broken or moved links."

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["last_check"] = selectors.link_check_last_run()
        context["can_run"] = can_run_link_check(self.request.user)
        return context


def can_run_link_check(user):
    return user.is_superuser or user.groups.filter(name__in=[EDITORS, MEDICAL_REVIEWERS]).exists()


@require_POST
def link_check_run_view(request):
    """The report's "Check links now": queues the link check task (which
    takes no arguments); its results replace the report's when it is done."""
    if not can_run_link_check(request.user):
        raise PermissionDenied
    check_links.enqueue()
    messages.success(
        request,
        "Link check started. Its results replace these when it is done (it can take a few minutes): "
        "reload this report.",
    )
    return redirect("content_link_check")


class ConfirmedWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action view (the modal the editor and the dashboard
    open), except that a posted action whose form does not validate, e.g.
    "Approve" without the "I have read this version" box ticked and without
    JavaScript to show the error in the modal, says why nothing happened
    instead of returning silently to the page."""

    def post(self, request, *args, **kwargs):
        is_ajax = request.headers.get("x-requested-with") == "XMLHttpRequest"
        if self.form_class and not (self.action_modal and is_ajax):
            form = self.form_class(request.POST)
            if not form.is_valid():
                title = get_latest_str(self.object)
                for error in (error for errors in form.errors.values() for error in errors):
                    messages.error(request, f"Not done: {self.action_verbose_name} “{title}”. {error}")
                if is_ajax:
                    return self.render_modal_json(request, {"step": "success", "redirect": self.redirect_url})
                return redirect(self.redirect_url)
        return super().post(request, *args, **kwargs)


class ReviewedPageEditView(EditView):
    """Wagtail's page editor, with autosave only where a save changes
    nothing about who may approve (`next_step.autosave_allowed`). Wagtail 8
    autosaves by posting the form to this view with `Accept:
    application/json`; in review, such a save by a reviewer who may approve
    made them an author of the version (so nobody else was left to approve),
    sent the page back to editorial review on a medical reviewer's first
    keystroke, and from a user the workflow locks out was a 400 "locked" on
    every change. Here autosave is not started in those cases, and a stale
    tab's autosave gets the reason in words the editor's footer shows
    ("Autosave is paused" and the reason) instead of a bare refusal."""

    @property
    def autosave_allowed(self):
        return next_step.autosave_allowed(self.page, self.request.user)

    def post(self, request, *args, **kwargs):
        if self.expects_json_response and not self.autosave_allowed:
            # "locked" is one of the error codes Wagtail's autosave shows
            # with its message (an unknown code reads "A server error occurred").
            return self.json_error_response("locked", next_step.autosave_refusal(self.page, request.user))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context.get("autosave_enabled") and not self.autosave_allowed:
            context["autosave_enabled"] = False
            context.pop("autosave_indicator", None)
        return context


class ReviewedPageViewSet(PageViewSet):
    """The admin views of a page type that goes through the editorial
    workflow (register one per page type with `register_admin_viewset`)."""

    edit_view_class = ReviewedPageEditView
    workflow_action_view_class = ConfirmedWorkflowActionView
