"""Readers in a real browser: articles, the article index and site search,
with axe-core checks, and a find-treatment link that lands on the matching
directory search."""

import re

import pytest
from django.core.cache import cache

from tests.directory.factories import ProgramFactory
from tools.demo import content as demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def articles(db):
    cache.clear()
    demo.load()
    yield
    cache.clear()


def test_article_page_shows_review_details_and_passes_axe(live_server, page, axe, articles):
    response = page.goto(live_server.url + "/learn/medications-compared/")
    assert response.status == 200
    title = page.get_by_role("heading", level=1).inner_text()
    assert title == "Methadone, buprenorphine and naltrexone compared"
    meta = page.locator(".article-meta").inner_text()
    assert "Medically reviewed by" in meta
    assert "Maya Ellison, MD, FASAM" in meta
    assert "Next review due" in meta
    # This demo article's review is past due: readers are told, calmly.
    notice = page.get_by_role("note").filter(has_text="due for its regular medical review")
    assert notice.is_visible()
    table = page.get_by_role("region", name="Medications for opioid use disorder at a glance")
    assert table.get_by_role("columnheader", name="Methadone").is_visible()
    assert page.get_by_role("heading", name="References").is_visible()
    assert page.get_by_role("complementary", name="Medical disclaimer").is_visible()
    axe(page)


def test_table_of_contents_jumps_to_heading(live_server, page, articles):
    page.goto(live_server.url + "/learn/what-is-detox/")
    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="Where detox happens").click()
    assert page.evaluate("location.hash") == "#where-detox-happens"


def test_article_index_and_topic_filter_pass_axe(live_server, page, axe, articles):
    page.goto(live_server.url + "/learn/")
    assert page.locator(".article-card").count() == 8
    axe(page)
    topics = page.get_by_role("navigation", name="Topics")
    topics.get_by_role("link", name=re.compile(r"^Sober living")).click()
    page.wait_for_url(re.compile(r"topic=sober-living"))
    assert page.get_by_role("heading", level=1).inner_text() == "Learn: Sober living"
    axe(page)


def test_find_treatment_link_lands_on_matching_search(live_server, page, articles):
    """The block's search keeps its filter and asks for a place (an empty
    search lists nothing, issue 27); with the place, the match is listed."""
    detox = ProgramFactory(name="Harbor Detox (Sample)", levels_of_care=["detox"], is_sample=True)
    ProgramFactory(name="Cedar Outpatient (Sample)", levels_of_care=["outpatient"], is_sample=True)
    cache.clear()
    page.goto(live_server.url + "/learn/what-is-detox/")
    block = page.get_by_role("complementary", name="Find a detox program")
    assert "1 listed program matches." in block.inner_text()
    block.get_by_role("link", name="Search programs").click()
    page.wait_for_url(re.compile(r"/find/\?care=detox$"))
    assert "1 program across the country matches" in page.inner_text("#search-results")
    page.get_by_label("ZIP code, city or county").fill(detox.zip_code)
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"location="))
    page.get_by_text("Harbor Detox (Sample)").first.wait_for()
    assert "care=detox" in page.url
    assert page.get_by_text("Cedar Outpatient (Sample)").count() == 0


def test_site_search_passes_axe(live_server, page, axe, articles):
    page.goto(live_server.url + "/search/")
    page.get_by_label("Search articles and programs").fill("naltrexone")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url(re.compile(r"q=naltrexone"))
    assert page.get_by_role("link", name="Methadone, buprenorphine and naltrexone compared").is_visible()
    axe(page)


def test_articles_work_without_javascript(live_server, browser, articles):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(live_server.url + "/learn/heroin-withdrawal-timeline/")
        assert page.get_by_role("table").is_visible()
        page.get_by_role("link", name="Search programs").click()
        page.wait_for_url(re.compile(r"/find/\?care=detox&medication=buprenorphine&medication=methadone$"))
    finally:
        context.close()


def test_home_page_with_latest_articles_passes_axe(live_server, page, axe, articles):
    page.goto(live_server.url + "/")
    section = page.get_by_role("region", name="Understand detox, medications and recovery")
    assert section.get_by_role("link").count() == 4  # three articles and "all articles"
    axe(page)


def test_an_imported_article_keeps_its_internal_link_and_a_clickable_reference(live_server, page, db):
    """Issue 30: import_articles turns a link to this site's page into a
    page link and a reference's address into its URL; read as a family
    would, once the draft is published."""
    import io
    from pathlib import Path

    from django.core.management import call_command

    from content.models import ArticleIndexPage, ArticlePage
    from tests.content.factories import ArticlePageFactory

    learn = ArticleIndexPage.objects.get(slug="learn")
    ArticlePageFactory(title="What is detox?", slug="what-is-detox", parent=learn)
    source = Path(__file__).parent.parent / "content" / "fixtures" / "own_links.md"
    call_command("import_articles", str(source), stdout=io.StringIO(), stderr=io.StringIO())
    article = ArticlePage.objects.get(slug="fentanyl-test-strips-what-families-should-know")
    article.save_revision().publish()
    cache.clear()

    page.goto(live_server.url + article.url)
    cdc = page.get_by_role("link", name=re.compile("Fentanyl test strips: a harm reduction strategy"))
    assert cdc.get_attribute("href") == "https://www.cdc.gov/stop-overdose/safety/fentanyl-test-strips.html"
    page.get_by_role("link", name="what detox is").click()
    page.wait_for_url(live_server.url + "/learn/what-is-detox/")
    assert page.get_by_role("heading", level=1).inner_text() == "What is detox?"
