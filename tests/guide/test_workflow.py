"""Editors change the guide; the change goes through the same editorial and
medical review as articles before visitors see it."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.models import TaskState, Workflow

from guide.models import GuidePage

pytestmark = pytest.mark.django_db

OLD = "Is any of this happening to you right now?"
NEW = "Right now, is any of this happening to you?"


def approve(client, user, page):
    client.force_login(user)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": "", "confirm": "on"})  # "I have read this version"
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    return page


def first_question_on_site(client, page):
    client.logout()
    response = client.post(page.url, {"audience": "myself", "nav": "start"})
    return response.context["question"].text


def test_guide_is_covered_by_the_article_review_workflow(guide_page):
    assert guide_page.get_workflow() == Workflow.objects.get(name="Article review")


def test_editor_can_edit_but_not_publish(client, editor, guide_page):
    permissions = guide_page.permissions_for_user(editor)
    assert permissions.can_edit() and not permissions.can_publish()
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[guide_page.pk]))
    assert response.status_code == HTTPStatus.OK
    assert OLD in response.content.decode().replace("\\u0027", "'").replace("&#x27;", "'")


def test_editor_can_add_a_guide_under_learn(client, editor, learn_page):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["guide", "guidepage", learn_page.pk])
    assert client.get(url).status_code == HTTPStatus.OK


def test_changed_question_goes_live_only_after_medical_review(
    client, editor, second_editor, reviewer, guide_page
):
    draft = guide_page.get_latest_revision_as_object()
    questions = draft.questions.raw_data
    questions[0]["value"]["text"] = NEW
    draft.questions = questions
    draft.save_revision(user=editor)
    guide_page.get_workflow().start(guide_page, editor)

    assert first_question_on_site(client, guide_page) == OLD
    page = approve(client, second_editor, guide_page)
    assert page.current_workflow_task.name == "Medical review"
    assert first_question_on_site(client, guide_page) == OLD

    approve(client, reviewer, page)
    page = GuidePage.objects.get(pk=guide_page.pk)
    assert page.current_workflow_task is None
    assert first_question_on_site(client, page) == NEW


def test_editor_cannot_approve_the_medical_review(client, editor, second_editor, guide_page):
    draft = guide_page.get_latest_revision_as_object()
    draft.save_revision(user=editor)
    guide_page.get_workflow().start(guide_page, editor)
    page = approve(client, second_editor, guide_page)
    client.force_login(editor)
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    client.post(url, {"comment": "", "confirm": "on"})
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Medical review"


def test_approving_the_guide_without_the_confirmation_says_why(client, editor, second_editor, guide_page):
    draft = guide_page.get_latest_revision_as_object()
    draft.save_revision(user=editor)
    guide_page.get_workflow().start(guide_page, editor)
    guide_page.refresh_from_db()
    client.force_login(second_editor)
    task_state = guide_page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[guide_page.pk, "approve", task_state.pk])
    response = client.post(url, {"comment": ""}, follow=True)
    messages = [str(message) for message in response.context["messages"]]
    assert any("Tick the box to confirm you have read this version" in message for message in messages)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS


def test_an_unsound_guide_cannot_be_saved_in_the_admin(client, editor, guide_page):
    """The checks in GuidePage.clean reach the editor as form errors."""
    page = guide_page.get_latest_revision_as_object()
    page.rules = "[]"
    with pytest.raises(Exception) as error:
        page.full_clean()
    assert "The last care rule must have no conditions" in str(error.value)
