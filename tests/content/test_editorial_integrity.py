"""Four eyes, approvals that mean what they say, scoped rights, review
fields only the medical review sets, and past-due reviews that show."""

import datetime
import importlib
from http import HTTPStatus
from pathlib import Path

import pytest
import wagtail.admin
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, TaskState
from wagtail.test.utils.form_data import rich_text, streamfield

from content.models import ArticlePage, EditorialReviewTask, MedicalReviewTask, StandardPage
from content.review_tasks import revision_content

from .factories import ArticlePageFactory, AuthorFactory, UserFactory
from .test_workflow import act, article_form_data, submit_new_article

pytestmark = pytest.mark.django_db


def try_action(client, user, page, action="approve", data=None):
    client.force_login(user)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, action, task_state.pk])
    return client.post(url, data if data is not None else {"comment": "", "confirm": "on"})


def edit_data(page, **overrides):
    data = article_form_data(slug=page.slug, **overrides)
    data["authors"] = [author.pk for author in page.get_latest_revision_as_object().authors.all()]
    return data


def dashboard_action_urls(client, user):
    client.force_login(user)
    html = BeautifulSoup(client.get(reverse("wagtailadmin_home")).content, "html.parser")
    return [
        tag.get("data-workflow-action-url") or tag.get("href")
        for tag in html.select("[data-workflow-action-url], a")
    ]


# Four eyes


def test_submitter_cannot_approve_the_editorial_review(client, editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    response = try_action(client, editor, page)
    assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    assert page.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert page.current_workflow_task.specific.get_actions(page, editor) == []


def test_submitter_in_both_groups_cannot_approve_the_medical_review(client, second_editor, learn_page):
    both = UserFactory(username="both", groups=["Editors", "Medical reviewers"])
    page = submit_new_article(client, both, learn_page)
    act(client, second_editor, page)
    assert page.current_workflow_task.name == "Medical review"
    try_action(client, both, page)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.name == "Medical review"


def test_last_editor_of_the_revision_cannot_approve(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    client.force_login(second_editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        edit_data(page, summary="A sharper summary of how naloxone works."),
    )
    try_action(client, second_editor, page)
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    third = UserFactory(username="third", groups=["Editors"])
    act(client, third, page)
    assert page.current_workflow_task.name == "Medical review"


def test_dashboard_offers_quick_actions_only_to_other_reviewers(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    task = page.current_workflow_task.specific
    assert not task.get_task_states_user_can_moderate(editor).exists()
    assert task.get_task_states_user_can_moderate(second_editor).count() == 1

    action_prefix = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", 1])[
        : -len("approve/1/")
    ]
    assert not [url for url in dashboard_action_urls(client, editor) if url and url.startswith(action_prefix)]
    assert [
        url for url in dashboard_action_urls(client, second_editor) if url and url.startswith(action_prefix)
    ]


def test_approving_asks_for_a_confirmation(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    task = page.current_workflow_task.specific
    assert ("approve", "Approve", True) in task.get_actions(page, second_editor)
    # The modal (what the dashboard's quick action opens) has a preview link.
    client.force_login(second_editor)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", page.current_workflow_task_state.pk]
    )
    modal = client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert modal.status_code == HTTPStatus.OK
    assert reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk]) in modal.json()["html"]
    # Posting without ticking the confirmation approves nothing.
    try_action(client, second_editor, page, data={"comment": ""})
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"


UNCONFIRMED = "Tick the box to confirm you have read this version before approving."


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_approving_without_the_confirmation_says_why_and_approves_nothing(
    client, editor, second_editor, learn_page
):
    """Without JavaScript the modal cannot show the form's error: the page
    it returns to does, and the task stays where it was."""
    page = submit_new_article(client, editor, learn_page)
    task_state = page.current_workflow_task_state
    response = try_action(client, second_editor, page, data={"comment": "Looks fine"})
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    followed = client.get(response["Location"])
    assert any(UNCONFIRMED in message for message in messages_of(followed))
    assert "Approve" in " ".join(messages_of(followed))
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"


def test_unconfirmed_medical_approval_records_no_review(client, editor, second_editor, reviewer, learn_page):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    revisions = page.revisions.count()
    response = try_action(client, reviewer, page, data={"comment": ""})
    assert any(UNCONFIRMED in message for message in messages_of(client.get(response["Location"])))
    article = ArticlePage.objects.get(pk=page.pk)
    assert not article.live
    assert article.current_workflow_task.name == "Medical review"
    assert article.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert page.revisions.count() == revisions


def test_modal_shows_the_missing_confirmation_in_the_form(client, editor, second_editor, learn_page):
    """With JavaScript (the modal posts in the background) the error is shown
    next to the box, as before."""
    page = submit_new_article(client, editor, learn_page)
    client.force_login(second_editor)
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", page.current_workflow_task_state.pk]
    )
    response = client.post(url, {"comment": ""}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.json()["step"] == "action"
    assert UNCONFIRMED in response.json()["html"]
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"


def test_approval_without_the_confirmation_is_refused_by_the_task_itself(editor, second_editor, learn_page):
    """The editor's own "Approve" posts the modal's answers as JSON anyone
    could write; the task approves nothing without the confirmation."""
    page = ArticlePageFactory(parent=learn_page, slug="unconfirmed")
    page.save_revision(user=editor)
    page.get_workflow().start(page, editor)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    task_state.task.specific.on_action(task_state, second_editor, "approve", comment="")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    task_state.task.specific.on_action(task_state, second_editor, "approve", comment="", confirm=True)
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED


# Changes during medical review


def test_reviewers_edit_sends_the_article_back_to_editorial_review(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    client.force_login(reviewer)
    changed_body = streamfield([("paragraph", rich_text("<p>Text no editor has seen.</p>"))])
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_data(page, body=changed_body)
    )
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    assert not page.live
    # An editor approves the change; the reviewer who made it is now its last
    # editor, so another reviewer approves it. That text is what goes live.
    act(client, second_editor, page)
    assert page.current_workflow_task.name == "Medical review"
    try_action(client, reviewer, page)
    assert not ArticlePage.objects.get(pk=page.pk).live
    act(client, UserFactory(username="reviewer2", groups=["Medical reviewers"]), page)
    article = ArticlePage.objects.get(pk=page.pk)
    assert article.live
    assert "Text no editor has seen." in str(article.body)


def test_edit_and_approve_in_one_step_does_not_publish_unreviewed_text(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    client.force_login(reviewer)
    changed_body = streamfield([("paragraph", rich_text("<p>Slipped in at approval.</p>"))])
    data = {
        **edit_data(page, body=changed_body),
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": '{"comment": "", "confirm": true}',
    }
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    page.refresh_from_db()
    assert not page.live
    assert page.current_workflow_task.name == "Editorial review"


def test_published_revision_is_the_one_both_steps_approved(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    act(client, reviewer, page)
    page = ArticlePage.objects.get(pk=page.pk)
    states = TaskState.objects.filter(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_APPROVED
    )
    editorial = states.get(task__in=EditorialReviewTask.objects.all())
    medical = states.get(task__in=MedicalReviewTask.objects.all())
    assert revision_content(page.live_revision) == revision_content(editorial.revision)
    assert revision_content(page.live_revision) == revision_content(medical.revision)
    assert page.live_revision.content["last_reviewed"] == timezone.localdate().isoformat()


# Scoped rights


def test_editors_and_reviewers_get_403_on_site_pages(client, editor, reviewer):
    about = StandardPage.objects.get(slug="about")
    for user in (editor, reviewer):
        client.force_login(user)
        response = client.get(reverse("wagtailadmin_pages:edit", args=[about.pk]))
        assert response.status_code in (HTTPStatus.FORBIDDEN, HTTPStatus.FOUND)
        if response.status_code == HTTPStatus.FOUND:
            assert response["Location"] != reverse("wagtailadmin_pages:edit", args=[about.pk])
        assert not about.permissions_for_user(user).can_edit()
    home = Page.objects.get(url_path="/home/")
    assert not home.permissions_for_user(editor).can_edit()


def no_tree_wide_rights_migration():
    return importlib.import_module("content.migrations.0008_no_tree_wide_page_rights")


def test_no_group_holds_page_rights_on_the_whole_tree(learn_page):
    """Wagtail's default Moderators (no members) are gone with their rights
    on the root; Wagtail's default Editors keep rights on /learn/ only."""
    assert not GroupPagePermission.objects.filter(page__depth=1).exists()
    assert not Group.objects.filter(name="Moderators").exists()
    editors_pages = set(
        GroupPagePermission.objects.filter(group__name="Editors").values_list("page__url_path", flat=True)
    )
    assert editors_pages == {learn_page.url_path}


def root_rights(group):
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )


def test_migration_keeps_moderators_with_members_but_takes_their_tree_wide_rights(learn_page):
    moderators = Group.objects.create(name="Moderators")
    root_rights(moderators)
    root_rights(Group.objects.get(name="Editors"))
    GroupPagePermission.objects.create(
        group=moderators, page=learn_page, permission=Permission.objects.get(codename="change_page")
    )
    UserFactory(username="moderator", groups=["Moderators"])

    no_tree_wide_rights_migration().forwards(django_apps, None)

    assert Group.objects.filter(name="Moderators").exists()
    assert not GroupPagePermission.objects.filter(page__depth=1).exists()
    assert GroupPagePermission.objects.filter(group=moderators, page=learn_page).exists()


def test_migration_deletes_moderators_without_members(learn_page):
    root_rights(Group.objects.create(name="Moderators"))
    no_tree_wide_rights_migration().forwards(django_apps, None)
    assert not Group.objects.filter(name="Moderators").exists()
    assert not GroupPagePermission.objects.filter(page__depth=1).exists()


def test_site_editors_edit_site_pages_but_not_articles(client, learn_page):
    site_editor = UserFactory(username="siteeditor", groups=["Site editors"])
    about = StandardPage.objects.get(slug="about")
    client.force_login(site_editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[about.pk])).status_code == HTTPStatus.OK
    assert about.permissions_for_user(site_editor).can_publish()
    article = ArticlePageFactory()
    assert not article.permissions_for_user(site_editor).can_edit()


# Review fields and authors


def test_editor_cannot_set_the_review_fields(client, editor, learn_page):
    page = ArticlePageFactory(live=False, authors=[AuthorFactory()])
    client.force_login(editor)
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    form_html = client.get(edit_url).content.decode()
    assert 'name="last_reviewed"' not in form_html
    assert 'name="next_review_due"' not in form_html
    assert 'name="medical_reviewer"' not in form_html
    client.post(
        edit_url,
        edit_data(page, last_reviewed="2026-01-01", next_review_due="2030-01-01", medical_reviewer="1"),
    )
    article = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert article.last_reviewed is None
    assert article.next_review_due is None


def test_submission_without_an_author_is_refused(client, editor, learn_page):
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["content", "articlepage", learn_page.pk])
    response = client.post(url, {**article_form_data(), "action-submit": "Submit for review"})
    assert response.status_code == HTTPStatus.OK
    assert "Add at least one author before submitting the article for review." in response.content.decode()
    assert not ArticlePage.objects.filter(slug="naloxone-saves-lives").exists()
    # Saving a draft without an author is fine.
    client.post(url, article_form_data())
    assert ArticlePage.objects.filter(slug="naloxone-saves-lives").exists()


# Past-due reviews


@pytest.fixture
def past_due(reviewer):
    today = timezone.localdate()
    return ArticlePageFactory(
        title="Overdue article",
        slug="overdue-article",
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=35),
    )


def test_past_due_article_shows_a_calm_notice(client, past_due):
    current = ArticlePageFactory(slug="current", last_reviewed=timezone.localdate(), next_review_due=None)
    html = client.get(past_due.url).content.decode()
    assert "due for its regular medical review" in html
    assert "due for its regular medical review" not in client.get(current.url).content.decode()


def test_past_due_article_is_on_the_reviewers_dashboard_and_report(client, reviewer, past_due):
    client.force_login(reviewer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Medical reviews past due (1)" in home
    assert (
        home.index("Medical reviews past due") < home.index("Awaiting your review")
        if ("Awaiting your review" in home)
        else True
    )
    assert "Overdue article" in client.get(reverse("content_review_due")).content.decode()


def test_remind_reviews_due_emails_each_medical_reviewer_and_editor(reviewer, past_due):
    UserFactory(username="reviewer2", groups=["Medical reviewers"])
    UserFactory(username="plain-editor", groups=["Editors"])
    call_command("remind_reviews_due")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "plain-editor@example.org",
        "reviewer2@example.org",
        "reviewer@example.org",
    ]
    message = mail.outbox[0]
    assert message.subject == "1 medical review past due"
    assert "Overdue article" in message.body
    assert f"/admin/pages/{past_due.pk}/edit/" in message.body


def test_remind_reviews_due_sends_nothing_when_all_are_current(reviewer):
    ArticlePageFactory(last_reviewed=timezone.localdate())
    call_command("remind_reviews_due")
    assert mail.outbox == []


# Labels


def approve_label(client, user, page):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    buttons = BeautifulSoup(response.content, "html.parser").select("[data-workflow-action-name=approve]")
    return [" ".join(button.get_text().split()) for button in buttons]


def test_approve_publishes_only_on_the_last_step(client, editor, second_editor, reviewer, learn_page):
    page = submit_new_article(client, editor, learn_page)
    assert approve_label(client, second_editor, page) == ["Approve"]
    act(client, second_editor, page)
    assert approve_label(client, reviewer, page) == ["Approve and Publish"]


def test_second_round_of_editorial_review_says_approve(client, editor, second_editor, reviewer, learn_page):
    """After changes were requested and the page resubmitted, editorial
    review still hands on to medical review (it said "Approve and Publish")."""
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    act(client, reviewer, page, action="reject")
    client.force_login(editor)
    changed_body = streamfield([("paragraph", rich_text("<p>Fixed as the reviewer asked.</p>"))])
    data = {**edit_data(page, body=changed_body), "action-submit": "Resubmit"}
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == HTTPStatus.FOUND
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    assert approve_label(client, second_editor, page) == ["Approve"]
    act(client, second_editor, page)
    assert page.current_workflow_task.name == "Medical review"
    assert approve_label(client, reviewer, page) == ["Approve and Publish"]


def test_editorial_review_after_a_send_back_says_approve(client, editor, second_editor, reviewer, learn_page):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    client.force_login(reviewer)
    changed_body = streamfield([("paragraph", rich_text("<p>Text no editor has seen.</p>"))])
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), edit_data(page, body=changed_body))
    page.refresh_from_db()
    assert page.current_workflow_task.name == "Editorial review"
    assert approve_label(client, second_editor, page) == ["Approve"]


def test_requested_changes_show_at_the_top_with_the_reviewers_comment(
    client, editor, second_editor, reviewer, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    act(client, second_editor, page)
    try_action(client, reviewer, page, action="reject", data={"comment": "Cite the CDC's 2024 figures."})
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    html = BeautifulSoup(response.content, "html.parser")
    messages = [" ".join(m.get_text().split()) for m in html.select(".messages li.warning")]
    assert messages == [
        "Changes requested in Medical review by Maya Ellison. They wrote: “Cite the CDC's 2024 figures.” "
        "Make the changes, then resubmit the article for review."
    ]
    status = " ".join(html.select_one("[data-side-panel='status']").get_text().split())
    assert "Changes requested" in status
    assert "In Moderation" not in status


def test_status_says_in_moderation_while_in_review(client, editor, second_editor, learn_page):
    page = submit_new_article(client, editor, learn_page)
    client.force_login(second_editor)
    html = BeautifulSoup(
        client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content, "html.parser"
    )
    assert not [m for m in html.select(".messages li.warning") if "Changes requested" in m.get_text()]
    assert "In Moderation" in html.select_one("[data-side-panel='status']").get_text()


def test_status_template_is_wagtails_but_for_changes_requested():
    """The status panel's template is a copy of Wagtail's with one line
    changed: after a Wagtail upgrade, copy it again and change that line."""
    name = "wagtailadmin/shared/side_panels/includes/status/workflow.html"
    ours = (Path(__file__).parents[2] / "content" / "templates" / name).read_text().splitlines()
    theirs = (Path(wagtail.admin.__file__).parent / "templates" / name).read_text().splitlines()
    added = [line for line in ours if line not in theirs]
    removed = [line for line in theirs if line not in ours]
    assert [line.strip() for line in removed] == ["{% trans 'In Moderation' as title %}"]
    assert "Changes requested" in added[-1]
    assert len(ours) - len(theirs) == 4  # the comment saying it is a copy
