"""An editor and a medical reviewer take an article from draft to published
through the Wagtail admin: heading, table and find-treatment blocks, submit,
editorial review, medical review, live."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.utils import timezone
from wagtail.models import PageLogEntry

from content.models import ArticleIndexPage, ArticlePage
from tests.content.factories import ArticlePageFactory, AuthorFactory, UserFactory
from tests.directory.factories import ProgramFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin_page(browser):
    """Desktop-sized pages: the admin's editing tools are laid out for it."""
    contexts = []

    def open_page():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, base_url, username):
    page.goto(base_url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/admin/")


def insert_block(page, name):
    page.locator("[data-contentpath='body'] button[title='Insert a block']").last.click()
    page.get_by_role("option", name=name, exact=True).click()


def fill_table_cell(page, container, row, col, text):
    container.locator(".ht_master tbody tr").nth(row).locator("td").nth(col).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def footer_action(page, name):
    # The dropdown works once the admin's scripts have started.
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name=name, exact=True).click()


def approve_in_modal(page):
    """Approving opens Wagtail's action modal, which asks for a confirmation."""
    modal = page.locator(".modal-dialog")
    modal.get_by_label(re.compile("I have read this version in full")).check()
    modal.get_by_role("button", name="Approve").click()


def test_editor_and_reviewer_publish_an_article(live_server, admin_page):
    UserFactory(username="editor", groups=["Editors"])
    UserFactory(username="editor2", groups=["Editors"])
    AuthorFactory(name="Jordan Reyes", credentials="MPH")
    UserFactory(username="reviewer", first_name="Maya", last_name="Ellison", groups=["Medical reviewers"])
    ProgramFactory(name="Harbor Detox (Sample)", levels_of_care=["detox"], is_sample=True)
    cache.clear()
    learn = ArticleIndexPage.objects.get(slug="learn")

    editor = admin_page()
    sign_in(editor, live_server.url, "editor")
    editor.goto(f"{live_server.url}/admin/pages/add/content/articlepage/{learn.pk}/")
    editor.locator("#id_title").fill("Naloxone at home")
    editor.locator("#id_summary").fill("Why every family should keep naloxone and how to use it.")

    insert_block(editor, "Heading")
    editor.locator("#body-0-value-text").fill("How naloxone works")

    insert_block(editor, "Table")
    editor.locator("select[id^='body-1-value'][id$='header-choice']").select_option("row")
    editor.locator("#body-1-value-handsontable-col-caption").fill("Forms of naloxone")
    table = editor.locator("#body-1-value-handsontable-container")
    for row, cells in enumerate([["Form", "Given"], ["Nasal spray", "Into the nose"]]):
        for col, text in enumerate(cells):
            fill_table_cell(editor, table, row, col, text)

    insert_block(editor, "Find treatment")
    editor.locator("#body-2-value-heading").fill("Find a detox program")
    editor.get_by_label("Detox (withdrawal management)", exact=True).check()

    editor.get_by_label("Jordan Reyes, MPH").check()
    footer_action(editor, "Submit to Article review")
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    article = ArticlePage.objects.get(slug="naloxone-at-home")
    assert not article.live
    assert article.current_workflow_task.name == "Editorial review"

    # The editorial review: another member of Editors approves, never the submitter.
    editor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    editor.wait_for_load_state("networkidle")
    editor.get_by_role("button", name="More actions").click()
    assert editor.get_by_role("button", name="Approve", exact=True).count() == 0
    editor.goto("about:blank")  # no editing-session pings while the next user edits
    second = admin_page()
    sign_in(second, live_server.url, "editor2")
    second.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    footer_action(second, "Approve")
    approve_in_modal(second)
    second.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    article.refresh_from_db()
    assert article.current_workflow_task.name == "Medical review"

    reviewer = admin_page()
    sign_in(reviewer, live_server.url, "reviewer")
    assert reviewer.get_by_text("Naloxone at home").first.is_visible()  # awaiting their review
    reviewer.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    footer_action(reviewer, "Approve and Publish")  # the last task publishes
    approve_in_modal(reviewer)
    reviewer.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert article.medical_reviewer.name == "Maya Ellison"
    assert article.last_reviewed == timezone.localdate()

    reviewer.goto(live_server.url + "/learn/naloxone-at-home/")
    assert reviewer.get_by_role("heading", name="How naloxone works").is_visible()
    assert reviewer.get_by_role("columnheader", name="Form").is_visible()
    assert "Medically reviewed by" in reviewer.locator(".article-meta").inner_text()
    find = reviewer.get_by_role("complementary", name="Find a detox program")
    assert "1 listed program matches." in find.inner_text()
    find.get_by_role("link", name="Search programs").click()
    reviewer.wait_for_url(re.compile(r"/find/\?care=detox$"))
    assert "1 program across the country matches" in reviewer.inner_text("#search-results")


# Who acts next (issue 30): every screen of a review says it, and nobody is stranded.


def top_messages(page):
    return " ".join(page.locator(".messages").inner_text().split())


def watch_responses(page, failures):
    """Every response of 400 or more the page gets (autosave's included)."""
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.request.method} {response.url} {response.status}")
            if response.status >= 400
            else None
        ),
    )


def test_single_medical_reviewer_periodic_review_ends_published_with_four_eyes(live_server, admin_page):
    UserFactory(username="editor", first_name="Sam", last_name="Ortiz", groups=["Editors"])
    UserFactory(username="editor2", first_name="Lee", last_name="Park", groups=["Editors"])
    UserFactory(username="reviewer", first_name="Maya", last_name="Ellison", groups=["Medical reviewers"])
    today = timezone.localdate()
    article = ArticlePageFactory(
        title="Fentanyl test strips",
        slug="fentanyl-test-strips",
        authors=[AuthorFactory(name="Jordan Reyes")],
        last_reviewed=today - datetime.timedelta(days=400),
        next_review_due=today - datetime.timedelta(days=35),
    )
    cache.clear()
    failures = []
    edit = f"{live_server.url}/admin/pages/{article.pk}/edit/"

    # The only medical reviewer is not the one to start it: they would be its submitter.
    reviewer = admin_page()
    watch_responses(reviewer, failures)
    sign_in(reviewer, live_server.url, "reviewer")
    reviewer.goto(edit)
    reviewer.wait_for_load_state("networkidle")
    assert reviewer.locator("button[name='action-submit']").count() == 0
    reviewer.goto("about:blank")

    editor = admin_page()
    watch_responses(editor, failures)
    sign_in(editor, live_server.url, "editor")
    editor.goto(edit)
    footer_action(editor, "Submit to Article review")
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    editor.goto(edit)
    # A page made outside the editor (here a factory; the demo, an import)
    # gets its blocks' defaults on its first save in the editor, a change.
    assert re.search(
        r"Editorial review: waiting for an editor other than you "
        r"\(you submitted( and edited)? this version\)\. Only Lee Park can approve it\.",
        top_messages(editor),
    )
    editor.goto("about:blank")

    second = admin_page()
    watch_responses(second, failures)
    sign_in(second, live_server.url, "editor2")
    second.goto(edit)
    said = top_messages(second)
    assert "Editorial review: you can approve this version or request changes" in said
    assert (
        "If you save changes, you become an author of this version and another editor must approve it."
        in said
    )
    footer_action(second, "Approve")
    approve_in_modal(second)
    second.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    second.goto("about:blank")

    reviewer.goto(edit)
    said = top_messages(reviewer)
    assert "Medical review: you can approve this version or request changes" in said
    assert "goes back to editorial review" in said
    footer_action(reviewer, "Approve and Publish")
    approve_in_modal(reviewer)
    reviewer.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.current_workflow_state is None
    assert article.last_reviewed == today
    assert article.medical_reviewer.name == "Maya Ellison"
    approvals = PageLogEntry.objects.filter(page=article, action="wagtail.workflow.approve")
    assert sorted(approvals.values_list("user__username", flat=True)) == ["editor2", "reviewer"]
    assert failures == []


def test_edit_during_editorial_review_ends_published_and_autosave_saves(live_server, admin_page):
    UserFactory(username="editor", first_name="Sam", last_name="Ortiz", groups=["Editors"])
    UserFactory(username="editor2", first_name="Lee", last_name="Park", groups=["Editors"])
    UserFactory(username="reviewer", first_name="Maya", last_name="Ellison", groups=["Medical reviewers"])
    article = ArticlePageFactory(
        title="Naloxone at home",
        slug="naloxone-at-home",
        live=False,
        authors=[AuthorFactory(name="Jordan Reyes")],
    )
    cache.clear()
    failures = []
    edit = f"{live_server.url}/admin/pages/{article.pk}/edit/"

    editor = admin_page()
    watch_responses(editor, failures)
    sign_in(editor, live_server.url, "editor")
    editor.goto(edit)
    footer_action(editor, "Submit to Article review")
    editor.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    # The submitter edits during editorial review; autosave saves it (no 400).
    # Wagtail compares the form with a copy it takes a moment after loading
    # (then "w-unsaved:watch-edits"): type only once it has it.
    editor.add_init_script(
        "document.addEventListener('w-unsaved:watch-edits', "
        "() => { document.documentElement.dataset.watchingEdits = 'yes'; });"
    )
    editor.goto(edit)
    editor.locator("html[data-watching-edits='yes']").wait_for(state="attached")
    assert re.search(
        r"waiting for an editor other than you \(you submitted( and edited)? this version\)",
        top_messages(editor),
    )

    def is_autosave(response):
        return response.request.method == "POST" and response.url == edit

    with editor.expect_response(is_autosave, timeout=60_000) as autosaved:
        editor.locator("#id_summary").fill("Why every family should keep naloxone, and how to use it.")
    assert autosaved.value.status == 200
    assert autosaved.value.json()["success"] is True
    editor.reload()
    assert "waiting for an editor other than you (you submitted and edited this version)" in top_messages(
        editor
    )
    editor.goto("about:blank")

    # The other editor can still approve, and autosave does not run for them.
    second = admin_page()
    watch_responses(second, failures)
    sign_in(second, live_server.url, "editor2")
    second.goto(edit)
    said = top_messages(second)
    assert "Editorial review: you can approve this version or request changes" in said
    assert "Autosave is off for you on this page" in said
    assert second.locator("[data-w-autosave-interval-value]").count() == 0
    footer_action(second, "Approve")
    approve_in_modal(second)
    second.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    second.goto(edit)
    assert (
        "Medical review: waiting for a medical reviewer. Only Maya Ellison can approve it."
        in top_messages(second)
    )
    second.goto("about:blank")

    reviewer = admin_page()
    watch_responses(reviewer, failures)
    sign_in(reviewer, live_server.url, "reviewer")
    reviewer.goto(edit)
    assert "Medical review: you can approve this version or request changes" in top_messages(reviewer)
    footer_action(reviewer, "Approve and Publish")
    approve_in_modal(reviewer)
    reviewer.wait_for_url(re.compile(r"/admin/pages/\d+/$"))

    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live
    assert article.summary == "Why every family should keep naloxone, and how to use it."
    assert failures == []
