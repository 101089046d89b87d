"""A workflow that always has a next step, and says it: the edit page of a
page in review says who can act next and why, warns before an edit that
would take away one's own approval, periodic reviews are started by an
editor, an administrator is the second pair of eyes when nobody else is
left, and autosave either saves or says why it does not."""

import datetime
import json
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageLogEntry

from content.models import ArticlePage
from content.review_tasks import version_authors

from .factories import ArticlePageFactory, AuthorFactory, UserFactory
from .test_editorial_integrity import edit_data, try_action
from .test_workflow import act, submit_new_article

pytestmark = pytest.mark.django_db


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def banner(client, user, page):
    """The messages at the top of the page's edit screen for `user`."""
    client.force_login(user)
    html = BeautifulSoup(client.get(edit_url(page)).content, "html.parser")
    return [" ".join(item.get_text().split()) for item in html.select(".messages li")]


def save_edit(client, user, page, autosave=False, **overrides):
    client.force_login(user)
    page.refresh_from_db()
    data = edit_data(page, **overrides)
    revision = page.get_latest_revision()
    data["loaded_revision_id"] = str(revision.pk)
    data["loaded_revision_created_at"] = revision.created_at.isoformat()
    headers = {"HTTP_ACCEPT": "application/json"} if autosave else {}
    return client.post(edit_url(page), data, **headers)


def can_approve(user, page):
    page = ArticlePage.objects.get(pk=page.pk)
    return any(name == "approve" for name, *_ in page.current_workflow_task.get_actions(page, user))


def approvers(page):
    return list(
        PageLogEntry.objects.filter(page=page, action="wagtail.workflow.approve")
        .order_by("timestamp")
        .values_list("user__username", flat=True)
    )


@pytest.fixture
def overdue(reviewer):
    """A live article whose yearly review is past due."""
    today = timezone.localdate()
    return ArticlePageFactory(
        title="Overdue article",
        slug="overdue-article",
        authors=[AuthorFactory()],
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=35),
    )


def test_single_medical_reviewer_periodic_review_ends_published_with_four_eyes(
    client, editor, second_editor, reviewer, overdue
):
    # The only medical reviewer is not offered, and cannot post, "Submit":
    # as the submitter they could not approve, and nobody else could.
    client.force_login(reviewer)
    assert "action-submit" not in client.get(edit_url(overdue)).content.decode()
    response = client.post(edit_url(overdue), {**edit_data(overdue), "action-submit": "Submit"})
    assert response.status_code == HTTPStatus.FOUND
    assert ArticlePage.objects.get(pk=overdue.pk).current_workflow_state is None
    assert any("An editor submits" in message for message in banner(client, reviewer, overdue))

    # An editor starts it, unchanged: they submitted it, so another editor approves.
    client.force_login(editor)
    response = client.post(edit_url(overdue), {**edit_data(overdue), "action-submit": "Submit"})
    assert response.status_code == HTTPStatus.FOUND
    # (The test client's form data rewrites the body, so the editor also edited it.)
    assert (
        "Editorial review: waiting for an editor other than you (you submitted and edited this version). "
        f"Only {second_editor.get_full_name()} can approve it."
    ) in banner(client, editor, overdue)
    assert (
        f"Editorial review: waiting for an editor. Only {second_editor.get_full_name()} can approve it: "
        f"{editor.get_full_name()} submitted and edited it."
    ) in banner(client, reviewer, overdue)
    assert banner(client, second_editor, overdue)[-2:] == [
        "Editorial review: you can approve this version or request changes (you did not write or edit it).",
        "If you save changes, you become an author of this version and another editor must approve it. "
        "To keep your approval, use “Request changes” with a comment instead. Autosave is off for you on "
        "this page, so nothing is saved until you choose to.",
    ]
    act(client, second_editor, overdue)

    # The medical reviewer wrote nothing of this version, so they approve.
    assert reviewer.pk not in version_authors(ArticlePage.objects.get(pk=overdue.pk))
    assert (
        "Medical review: you can approve this version or request changes (you did not write or edit it)."
    ) in banner(client, reviewer, overdue)
    assert "Medical review: waiting for a medical reviewer. Only Maya Ellison can approve it." in banner(
        client, editor, overdue
    )
    page = act(client, reviewer, overdue)
    assert page.live and page.current_workflow_state is None
    assert page.last_reviewed == timezone.localdate()
    assert page.medical_reviewer.name == "Maya Ellison"
    assert approvers(page) == ["copyeditor", "reviewer"]


def test_authors_are_who_changed_what_readers_see_since_it_was_live(editor, second_editor, reviewer, overdue):
    """A periodic review submitted unchanged, or the review fields the
    medical approval records, make no one an author; a change does."""
    page = ArticlePage.objects.get(pk=overdue.pk)
    page.save_revision(user=editor)
    assert version_authors(page) == {}
    page.with_review(reviewer=None, on=timezone.localdate()).save_revision(user=reviewer)
    assert version_authors(page) == {}
    page.summary = "A changed summary."
    page.save_revision(user=second_editor)
    page.save_revision(user=editor)  # saved again, unchanged: the change stays second_editor's
    assert version_authors(page) == {second_editor.pk: {"edited"}}


def test_edit_during_editorial_review_ends_published(client, editor, second_editor, reviewer, learn_page):
    page = submit_new_article(client, editor, learn_page)
    # The submitter fixes a typo during editorial review; autosave saves it.
    response = save_edit(client, editor, page, autosave=True, summary="How naloxone reverses an overdose.")
    assert response.status_code == HTTPStatus.OK, response.content
    assert ArticlePage.objects.get(pk=page.pk).get_latest_revision().user == editor
    # The other editor can still approve, and does.
    assert can_approve(second_editor, page)
    act(client, second_editor, page)
    page = act(client, reviewer, page)
    assert page.live
    assert page.get_latest_revision_as_object().summary == "How naloxone reverses an overdose."
    assert approvers(page) == ["copyeditor", "reviewer"]


def test_reviewing_editor_who_edits_is_an_author_and_an_administrator_is_the_second_pair(
    client, editor, second_editor, reviewer, learn_page
):
    admin = UserFactory(username="admin", first_name="Ada", last_name="Admin", is_superuser=True)
    page = submit_new_article(client, editor, learn_page)
    response = save_edit(client, second_editor, page, summary="Changed by the reviewing editor.")
    assert response.status_code == HTTPStatus.FOUND
    # An edit by the submitter after it does not give the reviewing editor
    # their approval back: their change is still in this version.
    save_edit(client, editor, page, summary="Changed again by the submitter.")
    assert not can_approve(second_editor, page)
    assert not can_approve(editor, page)
    assert (
        "Editorial review: waiting for an editor other than you (you edited this version). "
        f"No other editor can approve it: {editor.get_full_name()} submitted and edited it, so an "
        "administrator approves it as the second pair of eyes (recorded in the page's history)."
    ) in banner(client, second_editor, page)
    assert (
        "Editorial review: you can approve this version or request changes as the administrator who is "
        "the second pair of eyes (you did not write or edit it)."
    ) in banner(client, admin, page)
    act(client, admin, page)
    page = act(client, reviewer, page)
    assert page.live
    assert approvers(page) == ["admin", "reviewer"]


def test_medical_reviewer_who_edited_cannot_approve_that_change(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    warning = banner(client, reviewer, page)[-1]
    assert warning.startswith("If you save changes, “Naloxone saves lives” goes back to editorial review")
    save_edit(client, reviewer, page, summary="A reviewer's correction.")
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    act(client, second_editor, page)
    assert not can_approve(reviewer, page)
    assert (
        "Medical review: waiting for a medical reviewer other than you (you edited this version). "
        "No one who did not write it can approve it: an administrator adds another medical reviewer."
    ) in banner(client, reviewer, page)


# Autosave


def test_autosave_is_off_where_a_save_would_change_who_approves(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    client.force_login(second_editor)
    assert "data-w-autosave-interval-value" not in client.get(edit_url(page)).content.decode()
    client.force_login(editor)
    assert "data-w-autosave-interval-value" in client.get(edit_url(page)).content.decode()


def test_autosave_by_a_reviewer_who_may_approve_says_why_and_saves_nothing(
    client, editor, second_editor, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    revisions = page.revisions.count()
    response = save_edit(client, second_editor, page, autosave=True, summary="Typed by the reviewer.")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    body = json.loads(response.content)
    # "locked": a code Wagtail's autosave shows with its message.
    assert body["error_code"] == "locked"
    assert body["error_message"].startswith("Saving here changes who approves this version")
    assert page.revisions.count() == revisions
    assert can_approve(second_editor, page)


def test_autosave_during_medical_review_does_not_send_the_page_back(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    response = save_edit(client, reviewer, page, autosave=True, summary="One keystroke.")
    assert json.loads(response.content)["error_code"] == "locked"
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Medical review"
    # An editor's tab open during medical review: the reason, in words.
    response = save_edit(client, editor, page, autosave=True, summary="From an open tab.")
    assert json.loads(response.content)["error_message"] == (
        "“Naloxone saves lives” is in Medical review: only medical reviewers can change it now."
    )


def test_autosave_saves_a_draft_whose_image_has_no_description_yet(client, editor, learn_page):
    """Choosing an image, then typing its description: the save between the
    two is a draft, so it is not refused (submitting still is)."""
    page = ArticlePageFactory(
        title="Draft article", slug="draft-article", live=False, authors=[AuthorFactory()]
    )
    page.save_revision(user=editor)
    image = Image.objects.create(title="Clinic", file=get_test_image_file())
    response = save_edit(client, editor, page, autosave=True, image=str(image.pk), image_alt="")
    assert response.status_code == HTTPStatus.OK, response.content
    response = save_edit(
        client, editor, page, image=str(image.pk), image_alt="", **{"action-submit": "Submit"}
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["image_alt"] == [
        "Describe the image for people who cannot see it."
    ]


# Emails


def test_emails_say_what_happened_in_our_words(client, editor, second_editor, reviewer, learn_page):
    page = submit_new_article(client, editor, learn_page)
    submitted = [message for message in mail.outbox if second_editor.email in message.to]
    assert [message.subject for message in submitted] == [
        "Please review “Naloxone saves lives” (Editorial review)"
    ]
    assert "you did not write or edit it" in submitted[0].body
    mail.outbox.clear()
    act(client, second_editor, page)
    try_action(client, reviewer, page, action="reject", data={"comment": "Cite the CDC's 2024 figures."})
    to_editor = [message for message in mail.outbox if editor.email in message.to]
    assert [message.subject for message in to_editor] == ["Changes requested on “Naloxone saves lives”"]
    assert "rejected" not in to_editor[0].body
    assert "Maya Ellison asked for changes in Medical review" in to_editor[0].body
    assert "“Cite the CDC's 2024 figures.”" in to_editor[0].body
    assert f"/admin/pages/{page.pk}/edit/" in to_editor[0].body
