from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from config.workflow_actions import refuse_unexpected_workflow_action_data

from . import next_step, selectors
from .admin_views import (
    LinkCheckReportView,
    ReviewDueReportView,
    ReviewedPageViewSet,
    link_check_run_view,
    remember_workflow_state,
)
from .models import ArticleIndexPage, Author, MedicalReviewer
from .review_tasks import (
    APPROVE_LABEL,
    EDITORS,
    MEDICAL_REVIEWERS,
    MedicalReviewTaskMixin,
    another_task_follows,
    changed_since_editorial_approval,
    changes_requested,
    workflow_send_back_to_editorial,
)


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


@hooks.register("register_admin_viewset")
def register_reviewed_page_viewsets():
    """Every page type that can live under /learn/ (where the Article review
    workflow is assigned): articles, the care guide."""
    return [
        ReviewedPageViewSet(f"{model._meta.app_label}_{model._meta.model_name}_pages", model=model)
        for model in ArticleIndexPage.allowed_subpage_models()
    ]


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
    return MenuItem("Medical reviews due", reverse("content_review_due"), icon_name="time", order=650)


@hooks.register("register_admin_urls")
def register_link_check_report_urls():
    return [
        path("reports/broken-links/", LinkCheckReportView.as_view(), name="content_link_check"),
        path(
            "reports/broken-links/results/",
            LinkCheckReportView.as_view(results_only=True),
            name="content_link_check_results",
        ),
        path("reports/broken-links/run/", link_check_run_view, name="content_link_check_run"),
    ]


@hooks.register("register_reports_menu_item")
def register_link_check_report_menu_item():
    return MenuItem("Broken links", reverse("content_link_check"), icon_name="link", order=660)


# Before every other hook that reads the page's workflow state.
hooks.register("before_edit_page", remember_workflow_state, order=-100)

# The editor's "Approve" / "Request changes" carries only what the task's
# own action form declares (config/workflow_actions.py).
hooks.register("before_edit_page", refuse_unexpected_workflow_action_data)


@hooks.register("before_edit_page")
def show_requested_changes(request, page):
    """While changes are requested, the edit page says so at the top, with
    the reviewer's comment (otherwise only in the status dialog, the history
    and the email)."""
    if request.method != "GET":
        return None
    task_state = changes_requested(page)
    if task_state is None:
        return None
    reviewer = task_state.finished_by.get_full_name() or task_state.finished_by.get_username()
    comment = task_state.comment.strip()
    said = f" They wrote: “{comment}”" if comment else " They left no comment."
    messages.warning(
        request,
        f"Changes requested in {task_state.task.name} by {reviewer}.{said} "
        "Make the changes, then resubmit the article for review.",
    )
    return None


@hooks.register("before_edit_page")
def show_who_acts_next(request, page):
    """The edit page of a page in review says at the top who can act next
    and why, and warns a reviewer who may approve that saving a change
    would take that right away (content/next_step.py)."""
    if request.method != "GET":
        return None
    for notice in next_step.notices(page, request.user):
        add = messages.warning if notice.level == next_step.WARNING else messages.info
        add(request, notice.text)
    return None


START_ACTIONS = ("action-submit", "action-restart-workflow")


@hooks.register("before_edit_page")
def refuse_review_started_by_a_later_step(request, page):
    """Only those who may start a review submit (next_step.may_start_review):
    a medical reviewer who submitted a periodic review could not approve
    it, and nobody else could either."""
    if request.method != "POST" or not any(request.POST.get(action) for action in START_ACTIONS):
        return None
    if next_step.may_start_review(page, request.user):
        return None
    messages.error(request, next_step.start_refusal(page))
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("construct_page_action_menu")
def offer_submit_only_to_those_who_start_reviews(menu_items, request, context):
    page = context.get("page")
    if page is None or page.pk is None or next_step.may_start_review(page, request.user):
        return
    menu_items[:] = [item for item in menu_items if item.name not in START_ACTIONS]


@hooks.register("after_edit_page")
def send_changed_page_back_to_editorial_review(request, page):
    """A change saved during medical review goes back to editorial review:
    what goes live is only ever text both steps approved."""
    task_state = page.specific_class.objects.get(pk=page.pk).current_workflow_task_state
    if task_state is None or not isinstance(task_state.task.specific, MedicalReviewTaskMixin):
        return None
    if changed_since_editorial_approval(task_state.workflow_state):
        workflow_send_back_to_editorial(task_state=task_state, user=request.user)
        messages.warning(
            request,
            f"“{page.title}” changed during medical review, so it went back to editorial review. "
            "An editor approves the change first; then it comes back to you.",
        )
    return None


@hooks.register("construct_page_action_menu")
def approve_says_publish_only_on_the_last_step(menu_items, request, context):
    """The editor's "Approve" button reads "Approve and Publish" only when
    approving publishes: not in editorial review, whose approval hands the
    page on to medical review, also on a later round."""
    page = context.get("page")
    workflow_state = page.current_workflow_state if page is not None else None
    if workflow_state is None or not another_task_follows(workflow_state):
        return
    for item in menu_items:
        if isinstance(item, WorkflowMenuItem) and item.name == "approve":
            item.label = APPROVE_LABEL


class ReviewsPastDuePanel(Component):
    """At the top of the dashboard for reviewers and editors: live medically
    reviewed pages (articles, the care guide) whose review date has passed."""

    name = "content_reviews_past_due"
    template_name = "content/admin/reviews_past_due_panel.html"
    order = 50

    def __init__(self, pages):
        self.pages = pages

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context.update(pages=self.pages[:10], total=len(self.pages), report_url=reverse("content_review_due"))
        return context


@hooks.register("construct_homepage_panels")
def add_reviews_past_due_panel(request, panels):
    user = request.user
    if not (user.is_superuser or user.groups.filter(name__in=[EDITORS, MEDICAL_REVIEWERS]).exists()):
        return
    pages = list(selectors.reviews_past_due())
    if pages:
        panels.insert(0, ReviewsPastDuePanel(pages))
