"""The admin's edit page reads an article's workflow state once
(content.admin_views.remember_workflow_state): Wagtail's edit view builds the
page from its latest revision, without the prefetch its listings use, and
then asks for `current_workflow_state` from some twenty places."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_workflow import submit_new_article


def workflow_state_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries if 'FROM "wagtailcore_workflowstate"' in q["sql"]]


def test_the_edit_page_of_an_article_in_review_reads_its_workflow_state_once(
    client, editor, second_editor, learn_page
):
    page = submit_new_article(client, editor, learn_page)
    client.force_login(second_editor)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    client.get(url)  # warm: content types, permissions
    # One for the page built from its revision, one for the page record
    # Wagtail loads with the prefetch, at most two more of Wagtail's own
    # (the fallback for finished workflows, the status panel); it was 20+.
    assert len(workflow_state_queries(client, url)) <= 4
    html = client.get(url).content.decode()
    assert "Request changes" in html  # the second editor still gets the review's actions
