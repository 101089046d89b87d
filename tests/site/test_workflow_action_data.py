"""A workflow action posted from the admin editor ("Approve", "Request
changes" on the edit screen) carries the action modal's fields as JSON in
`workflow-action-extra-data`. Wagtail reads it with json.loads after saving
the edit, so anything but a JSON object was a 500 (with the reviewer's edit
already saved as a revision). It is a 400, our page, before anything runs;
a JSON object, or no field at all, works as before."""

from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django import forms
from django.test import Client
from django.urls import reverse
from wagtail.models import Revision, TaskState
from wagtail.test.utils.form_data import rich_text, streamfield

from config.workflow_actions import action_data_fits_form
from content.models import ArticlePage
from directory.models import Program
from directory.review.workflow import program_submit_changes
from tests.content.factories import UserFactory
from tests.content.test_editorial_integrity import edit_data
from tests.content.test_workflow import submit_new_article
from tests.portal.factories import center

from .test_errors import assert_ours

pytestmark = pytest.mark.django_db

BAD = ["{not json", "", "[1]", "null", '"approve"', "[" * 100_000]


@pytest.fixture
def raising_client():
    return Client(raise_request_exception=False)


def editor_form_data(client, url):
    """What the admin's edit form would post, read from the edit page."""
    form = BeautifulSoup(client.get(url).content, "html.parser").find("form", id="w-editor-form")
    data = {}
    for tag in form.find_all(["input", "select", "textarea"]):
        name = tag.get("name")
        if not name or tag.get("disabled") is not None:
            continue
        if tag.name == "input":
            kind = tag.get("type", "text")
            if kind in {"submit", "button", "file", "image"}:
                continue
            if kind in {"checkbox", "radio"} and tag.get("checked") is None:
                continue
            data.setdefault(name, []).append(tag.get("value", "on" if kind in {"checkbox", "radio"} else ""))
        elif tag.name == "select":
            options = tag.find_all("option")
            chosen = [
                option.get("value", option.text) for option in options if option.get("selected") is not None
            ]
            if not chosen and tag.get("multiple") is None and options:
                chosen = [options[0].get("value", options[0].text)]
            data.setdefault(name, []).extend(chosen)
        else:
            data.setdefault(name, []).append(tag.text.removeprefix("\n"))
    return data


def workflow_action(data, extra=None, action="approve"):
    data = {**data, "action-workflow-action": "true", "workflow-action-name": action}
    if extra is not None:
        data["workflow-action-extra-data"] = extra
    return data


@pytest.fixture
def listing_under_review(raising_client):
    """A center's phone change waiting for review, and a reviewer on its
    admin edit screen."""
    user, _, (program, _) = center()
    program_submit_changes(program=program, data={"phone": "555-0199"}, user=user)
    reviewer = UserFactory(username="listingreviewer", groups=["Listing reviewers"])
    raising_client.force_login(reviewer)
    url = reverse("wagtailsnippets_directory_program:edit", args=[program.pk])
    return program, url, editor_form_data(raising_client, url)


def revisions(obj):
    return Revision.objects.for_instance(obj).count()


@pytest.mark.parametrize("extra", BAD, ids=["broken", "empty", "list", "null", "string", "deep"])
def test_listing_bad_action_data_is_400_and_nothing_happens(raising_client, listing_under_review, extra):
    program, url, data = listing_under_review
    before = revisions(program)
    response = raising_client.post(url, workflow_action(data, extra))
    assert_ours(response, HTTPStatus.BAD_REQUEST)
    assert b"Reload the page" in response.content
    program.refresh_from_db()
    assert program.phone != "555-0199"
    assert program.current_workflow_state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert revisions(program) == before


def test_listing_bad_action_data_sent_urlencoded_is_400(raising_client, listing_under_review):
    program, url, data = listing_under_review
    body = urlencode(workflow_action(data, "{not json"), doseq=True)
    response = raising_client.generic("POST", url, body, content_type="application/x-www-form-urlencoded")
    assert_ours(response, HTTPStatus.BAD_REQUEST)


@pytest.mark.parametrize("extra", ['{"comment": "Called the number."}', None], ids=["object", "absent"])
def test_listing_good_action_data_still_approves(raising_client, listing_under_review, extra):
    program, url, data = listing_under_review
    response = raising_client.post(url, workflow_action(data, extra))
    assert response.status_code == HTTPStatus.FOUND
    program = Program.objects.get(pk=program.pk)
    assert program.phone == "555-0199" and program.current_workflow_state is None


@pytest.fixture
def article_under_review(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    client.force_login(second_editor)
    return page, reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_article_bad_action_data_is_400_and_nothing_happens(client, article_under_review):
    page, url = article_under_review
    before = revisions(page)
    client.raise_request_exception = False
    response = client.post(url, workflow_action(edit_data(page), "{not json"))
    assert_ours(response, HTTPStatus.BAD_REQUEST)
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    assert revisions(page) == before


def test_article_good_action_data_reaches_the_workflow(client, article_under_review):
    """The form is saved as posted (a revision that changes nothing readers
    see: block ids aside, the same text), so the approval goes through and
    medical review follows. (An edit made while approving makes the
    approver an author, tests/content.)"""
    page, url = article_under_review
    before = revisions(page)
    response = client.post(url, workflow_action(edit_data(page), '{"comment": "", "confirm": true}'))
    assert response.status_code == HTTPStatus.FOUND
    assert revisions(page) == before + 1
    assert ArticlePage.objects.get(pk=page.pk).current_workflow_task.name == "Medical review"


def test_the_field_elsewhere_is_checked_only_on_post(client):
    assert client.get("/find/", {"workflow-action-extra-data": "{not json"}).status_code == HTTPStatus.OK


# A JSON object whose keys are not the action form's fields. Wagtail passes
# the object to the task's on_action as keyword arguments: an unknown key was
# a TypeError (500) after the edit was saved, and a key naming one of
# Wagtail's own arguments changed what the action does ("update": false
# approved the task without moving the workflow on). Only the fields of the
# action's own form (Task.get_form_for_action), as that form cleans them, are
# accepted.

UNEXPECTED = [
    '{"bogus": 1}',
    '{"update": false}',
    '{"comment": "Fine.", "update": false}',
    '{"user": 1}',
    '{"comment": null}',
    '{"comment": ["a", "b"]}',
    '{"comment": {"text": "hi"}}',
    '{"comment": 5}',
]
UNEXPECTED_IDS = ["bogus", "update", "comment-and-update", "user", "null", "list", "object", "number"]


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("extra", UNEXPECTED, ids=UNEXPECTED_IDS)
def test_listing_unexpected_action_data_is_400_and_nothing_happens(
    raising_client, listing_under_review, extra, action
):
    program, url, data = listing_under_review
    before = revisions(program)
    response = raising_client.post(url, workflow_action(data, extra, action=action))
    assert_ours(response, HTTPStatus.BAD_REQUEST)
    assert b"Reload the page" in response.content
    program = Program.objects.get(pk=program.pk)
    assert program.phone != "555-0199"
    state = program.current_workflow_state
    assert state.status == state.STATUS_IN_PROGRESS
    assert state.current_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert revisions(program) == before


def test_listing_approve_with_comment_keeps_the_comment(raising_client, listing_under_review):
    program, url, data = listing_under_review
    response = raising_client.post(url, workflow_action(data, '{"comment": "Called the number."}'))
    assert response.status_code == HTTPStatus.FOUND
    program = Program.objects.get(pk=program.pk)
    assert program.phone == "555-0199" and program.current_workflow_state is None
    task_state = TaskState.objects.filter(workflow_state__object_id=str(program.pk)).get()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.comment == "Called the number."


def test_listing_reject_with_comment_requests_changes(raising_client, listing_under_review):
    program, url, data = listing_under_review
    response = raising_client.post(
        url, workflow_action(data, '{"comment": "That number rings a pharmacy."}', action="reject")
    )
    assert response.status_code == HTTPStatus.FOUND
    program = Program.objects.get(pk=program.pk)
    assert program.phone != "555-0199"
    state = program.current_workflow_state
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert state.current_task_state.status == TaskState.STATUS_REJECTED
    assert state.current_task_state.comment == "That number rings a pharmacy."


def unchanged_article_data(page):
    """The article's edit form as the reviewer found it: no content change,
    so no revision of the reviewer's own (which would make them its last
    editor and end the action in the four-eyes refusal before Wagtail's
    approve or reject runs)."""
    latest = page.get_latest_revision_as_object()
    blocks = [
        (block.block_type, rich_text(value.source) if hasattr(value, "source") else dict(value))
        for block in latest.body
        for value in [block.value]
    ]
    data = edit_data(page, body=streamfield(blocks))
    data.update({f"body-{i}-id": block.id for i, block in enumerate(latest.body)})
    return data


ARTICLE_UNEXPECTED = {
    "bogus": '{"bogus": 1}',
    "update": '{"comment": "", "confirm": true, "update": false}',
    "null": '{"comment": null}',
    "confirm-string": '{"confirm": "yes"}',
}


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize("extra", ARTICLE_UNEXPECTED.values(), ids=ARTICLE_UNEXPECTED.keys())
def test_article_unexpected_action_data_is_400_and_nothing_happens(
    client, article_under_review, extra, action
):
    page, url = article_under_review
    data = unchanged_article_data(page)
    before = revisions(page)
    client.raise_request_exception = False
    response = client.post(url, workflow_action(data, extra, action=action))
    assert_ours(response, HTTPStatus.BAD_REQUEST)
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.current_workflow_task.name == "Editorial review"
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert revisions(page) == before


def test_article_reject_with_comment_requests_changes(client, article_under_review):
    page, url = article_under_review
    before = revisions(page)
    data = unchanged_article_data(page)
    response = client.post(url, workflow_action(data, '{"comment": "Cite the dose."}', action="reject"))
    assert response.status_code == HTTPStatus.FOUND
    page = ArticlePage.objects.get(pk=page.pk)
    state = page.current_workflow_state
    assert state.status == state.STATUS_NEEDS_CHANGES
    assert state.current_task_state.comment == "Cite the dose."
    assert revisions(page) == before


def test_article_approve_unchanged_moves_on_to_medical_review(client, article_under_review):
    page, url = article_under_review
    data = unchanged_article_data(page)
    response = client.post(url, workflow_action(data, '{"comment": "Reads well.", "confirm": true}'))
    assert response.status_code == HTTPStatus.FOUND
    page = ArticlePage.objects.get(pk=page.pk)
    assert page.current_workflow_task.name == "Medical review"
    approval = page.current_workflow_state.task_states.get(status=TaskState.STATUS_APPROVED)
    assert approval.comment == "Reads well."


class PriorityForm(forms.Form):
    priority = forms.IntegerField()
    comment = forms.CharField(required=False)


@pytest.mark.parametrize(
    "form_class, data, fits",
    [
        (PriorityForm, {"priority": 2}, True),
        (PriorityForm, {"comment": "ok"}, True),  # a field left out: the task's defaults
        (PriorityForm, {}, True),
        (PriorityForm, {"priority": "2"}, False),  # not what the form cleans it to
        (PriorityForm, {"priority": 2, "update": False}, False),
        (PriorityForm, {"comment": " padded "}, False),
        (None, {}, True),
        (None, {"comment": ""}, False),
    ],
)
def test_the_rule_is_the_action_forms_own_declaration(form_class, data, fits):
    assert action_data_fits_form(form_class, data) is fits
