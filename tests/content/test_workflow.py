"""The editorial workflow through the Wagtail admin: an editor drafts and
submits, an editor approves the editorial review, a medical reviewer
approves the medical review, which records the review and publishes."""

import datetime
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Workflow
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content.models import ArticlePage, MedicalReviewer, MedicalReviewTask

from .factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def article_form_data(**overrides):
    data = {
        "title": "Naloxone saves lives",
        "slug": "naloxone-saves-lives",
        "summary": "How naloxone reverses an opioid overdose.",
        "body": streamfield([
            ("heading", {"text": "What naloxone does"}),
            ("paragraph", rich_text("<p>It reverses an overdose for a while.</p>")),
        ]),
        "image_alt": "",
        "topics": "Overdose",
        "references-TOTAL_FORMS": "0", "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0", "references-MAX_NUM_FORMS": "1000",
        "related_links-TOTAL_FORMS": "0", "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0", "related_links-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0", "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0", "comments-MAX_NUM_FORMS": "1000",
    }  # fmt: skip
    data.update(overrides)
    return nested_form_data(data)


def submit_new_article(client, user, learn_page, **overrides):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", learn_page.pk])
    data = {
        "authors": [AuthorFactory().pk],
        **article_form_data(**overrides),
        "action-submit": "Submit for review",
    }
    response = client.post(url, data)
    assert response.status_code == HTTPStatus.FOUND, response.context and response.context["form"].errors
    return ArticlePage.objects.get(slug=overrides.get("slug", "naloxone-saves-lives"))


def act(client, user, page, action="approve"):
    client.force_login(user)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    response = client.post(url, {"comment": "", "confirm": "on"})
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    return page


def test_groups_and_workflow_exist_after_migrate(learn_page):
    workflow = Workflow.objects.get(name="Article review")
    assert [task.name for task in workflow.tasks] == ["Editorial review", "Medical review"]
    assert learn_page.get_workflow() == workflow
    medical = MedicalReviewTask.objects.get(name="Medical review")
    assert list(medical.groups.values_list("name", flat=True)) == ["Medical reviewers"]
    editors = Group.objects.get(name="Editors")
    assert editors.permissions.filter(codename="access_admin").exists()
    page_perms = set(
        GroupPagePermission.objects.filter(group=editors, page=learn_page).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_page", "change_page"} <= page_perms
    assert "publish_page" not in page_perms


def test_editor_cannot_publish_directly(client, editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        {**article_form_data(), "action-publish": "Publish"},
    )
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.name == "Editorial review"


def test_editor_submits_then_editorial_and_medical_review_publish(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    assert not page.live
    assert page.current_workflow_task.name == "Editorial review"

    page = act(client, second_editor, page)
    assert not page.live
    assert page.current_workflow_task.name == "Medical review"
    assert page.last_reviewed is None

    page = act(client, reviewer, page)
    article = ArticlePage.objects.get(pk=page.pk)
    today = timezone.localdate()
    assert article.live
    assert article.last_reviewed == today
    assert article.next_review_due.year == today.year + 1
    assert article.medical_reviewer == MedicalReviewer.objects.get(user=reviewer)
    assert article.medical_reviewer.name == "Maya Ellison"
    assert client.get("/learn/naloxone-saves-lives/").status_code == HTTPStatus.OK


def test_approval_uses_the_reviewers_existing_profile(client, editor, second_editor, reviewer, learn_page):
    profile = MedicalReviewer.objects.create(name="Dr. Maya Ellison", credentials="MD", user=reviewer)
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    act(client, reviewer, page)
    assert ArticlePage.objects.get(pk=page.pk).medical_reviewer == profile
    assert MedicalReviewer.objects.count() == 1


def test_editor_cannot_approve_the_medical_review(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    client.force_login(editor)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "", "confirm": "on"}, follow=True)
    # Wagtail's admin answers a permission error with a redirect and a message.
    assert "Sorry, you do not have permission to access this area." in [
        str(m).strip() for m in response.context["messages"]
    ]
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.name == "Medical review"


def test_reviewer_requesting_changes_does_not_record_a_review(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    act(client, reviewer, page, action="reject")
    article = ArticlePage.objects.get(pk=page.pk)
    assert not article.live
    assert article.get_latest_revision_as_object().last_reviewed is None


def test_scheduled_article_goes_live_with_publish_scheduled(
    client, editor, second_editor, reviewer, learn_page
):
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    page = submit_new_article(client, editor, learn_page, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))
    act(client, second_editor, page)
    act(client, reviewer, page)
    page.refresh_from_db()
    assert not page.live
    assert page.get_latest_revision().approved_go_live_at is not None

    call_command("publish_scheduled")
    assert not Page.objects.get(pk=page.pk).live

    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + datetime.timedelta(hours=3)
        patch.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled")
    article = ArticlePage.objects.get(pk=page.pk)
    assert article.live
    assert article.last_reviewed == timezone.localdate()


def test_staff_authors_snippet_is_editable_by_editors(client, editor):
    author = AuthorFactory(name="Jordan Reyes")
    client.force_login(editor)
    response = client.get(reverse("wagtailsnippets_content_author:edit", args=[author.pk]))
    assert response.status_code == HTTPStatus.OK


def test_imported_drafts_can_enter_the_workflow(editor, learn_page):
    page = ArticlePageFactory(live=False)
    workflow = page.get_workflow()
    workflow.start(page, editor)
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
