"""An editor previews an article in the admin's side panel: the site's
strict Content-Security-Policy lets the admin (and only it) frame the
preview, and Wagtail's Checks panel reads the framed article (issue 30:
the panel was blank and the checks gave a false all-clear)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.content.factories import ArticlePageFactory, UserFactory

from .test_editor_workflow import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_preview_panel_renders_the_article_and_checks_find_a_planted_problem(live_server, desktop_page):
    UserFactory(username="editor", groups=["Editors"])
    article = ArticlePageFactory(title="Fentanyl test strips", live=False)
    # The planted problem: the first heading after the title is a subsection
    # (h1 then h3), which Wagtail's checks report as a heading-order issue.
    article.body = [
        ("heading", {"text": "How the strips work", "level": "h3"}),
        ("paragraph", "<p>Dip the strip in water with a little of the drug. One line means fentanyl.</p>"),
    ]
    article.save_revision()
    cache.clear()
    page = desktop_page
    console = []
    page.on("console", lambda message: console.append(message.text))

    sign_in(page, live_server.url, "editor")
    page.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    expect(preview.get_by_role("heading", name="Fentanyl test strips", level=1)).to_be_visible()
    expect(preview.get_by_role("heading", name="How the strips work")).to_be_visible()

    page.get_by_role("button", name="Toggle checks").click()
    checks = page.locator("[data-side-panel='checks']")
    expect(checks.locator("[data-content-word-count]")).to_have_text(re.compile(r"^\d+$"))
    expect(checks.locator("[data-content-reading-time]")).not_to_have_text("-")
    expect(checks.locator("[data-content-checker-count]")).not_to_have_text("0")
    expect(checks.locator("[data-content-checker-name]").first).to_have_text(re.compile("heading", re.I))
    assert [text for text in console if "frame-ancestors" in text] == []
