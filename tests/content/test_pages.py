"""Article and article index pages as readers see them."""

import datetime
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import ArticleReference, RelatedArticle

from .factories import ArticlePageFactory, AuthorFactory, MedicalReviewerFactory

pytestmark = pytest.mark.django_db


def text(element):
    return " ".join(element.get_text().split())


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def article():
    return ArticlePageFactory(
        title="Heroin withdrawal timeline",
        slug="withdrawal-timeline",
        summary="What to expect day by day.",
        authors=[AuthorFactory(name="Jordan Reyes", credentials="MPH", bio="Health writer.")],
        medical_reviewer=MedicalReviewerFactory(name="Maya Ellison", credentials="MD", bio="Physician."),
        first_published=datetime.date(2025, 1, 5),
        last_reviewed=datetime.date(2026, 3, 1),
        topics=["Withdrawal", "Detox"],
        references=[
            ArticleReference(
                title="Opioid withdrawal",
                publisher="MedlinePlus",
                url="https://medlineplus.gov/x",
                date=datetime.date(2024, 6, 1),
            ),
            ArticleReference(title="TIP 63", publisher="SAMHSA"),
        ],  # fmt: skip
    )


def test_article_shows_trust_information(client, article):
    html = get_html(client, "/learn/withdrawal-timeline/")
    assert html.h1.get_text() == "Heroin withdrawal timeline"
    meta = {dt.get_text(): text(dt.find_next_sibling("dd")) for dt in html.select(".article-meta dt")}
    assert meta == {
        "Written by": "Jordan Reyes, MPH",
        "Medically reviewed by": "Maya Ellison, MD",
        "Published": "January 5, 2025",
        "Last reviewed": "March 1, 2026",
        "Next review due": "March 1, 2027",
        "Reading time": "1 min",
    }


def test_article_lists_numbered_references_the_text_cites(client, article):
    html = get_html(client, "/learn/withdrawal-timeline/")
    refs = html.select(".references li")
    assert [li["id"] for li in refs] == ["ref-1", "ref-2"]
    assert text(refs[0]) == "Opioid withdrawal. MedlinePlus, June 2024."
    assert text(refs[1]) == "TIP 63. SAMHSA."
    assert refs[0].a["href"] == "https://medlineplus.gov/x"
    assert html.select_one("sup.cite a")["href"] == "#ref-1"


def test_article_table_of_contents_links_to_headings(client, article):
    html = get_html(client, "/learn/withdrawal-timeline/")
    links = html.select(".toc a")
    assert [(a["href"], a.get_text()) for a in links] == [
        ("#what-happens-first", "What happens first"),
        ("#what-comes-next", "What comes next"),
    ]
    for a in links:
        assert html.find(id=a["href"][1:]) is not None


def test_article_has_disclaimer_and_crisis_lines(client, article):
    html = get_html(client, "/learn/withdrawal-timeline/")
    note = html.select_one(".article__disclaimer")
    assert "This article is educational and is not medical advice." in note.get_text()
    assert {a["href"] for a in note.select("a")} == {"tel:911", "tel:988", "tel:+18006624357"}


def test_article_topics_link_to_filtered_index(client, article):
    html = get_html(client, "/learn/withdrawal-timeline/")
    assert {a.get_text(): a["href"] for a in html.select(".topics a")} == {
        "Detox": "/learn/?topic=detox",
        "Withdrawal": "/learn/?topic=withdrawal",
    }


def test_related_articles_chosen_by_editor_win(client, article):
    chosen = ArticlePageFactory(title="Chosen one")
    ArticlePageFactory(title="Shares topics", topics=["Withdrawal", "Detox"])
    article.related_links = [RelatedArticle(article=chosen)]
    article.save_revision().publish()
    html = get_html(client, "/learn/withdrawal-timeline/")
    assert [a.get_text() for a in html.select(".related h3 a")] == ["Chosen one"]


def test_related_articles_fall_back_to_shared_topics(client, article):
    ArticlePageFactory(title="One shared", topics=["Detox"])
    ArticlePageFactory(title="Two shared", topics=["Detox", "Withdrawal"])
    ArticlePageFactory(title="Unrelated", topics=["Families"])
    ArticlePageFactory(title="Draft sharing", topics=["Detox"], live=False)
    html = get_html(client, "/learn/withdrawal-timeline/")
    assert [a.get_text() for a in html.select(".related h3 a")] == ["Two shared", "One shared"]


def test_index_lists_live_articles_newest_first_with_pagination(client, learn_page):
    for n in range(12):
        ArticlePageFactory(title=f"Article number {n:02d}")
    ArticlePageFactory(title="Unpublished draft", live=False)
    first = get_html(client, "/learn/")
    titles = [a.get_text() for a in first.select(".article-card__title a")]
    assert len(titles) == 10
    assert titles[0] == "Article number 11"
    assert "Unpublished draft" not in first.get_text()
    assert first.select_one(".pager a[rel=next]")["href"] == "?page=2"
    second = get_html(client, "/learn/?page=2")
    assert [a.get_text() for a in second.select(".article-card__title a")] == [
        "Article number 01",
        "Article number 00",
    ]
    assert (
        get_html(client, "/learn/?page=999").select_one(".pager [aria-current]").get_text() == "Page 2 of 2"
    )


def test_index_filters_by_topic(client, learn_page):
    ArticlePageFactory(title="About detox", topics=["Detox"])
    ArticlePageFactory(title="About families", topics=["Families"])
    html = get_html(client, "/learn/?topic=families")
    assert [a.get_text() for a in html.select(".article-card__title a")] == ["About families"]
    assert html.h1.get_text() == "Learn: Families"
    current = html.select_one(".topic-filter a[aria-current=page]")
    assert current["href"] == "/learn/?topic=families"


def test_index_ignores_unknown_topic(client, learn_page):
    ArticlePageFactory(title="About detox", topics=["Detox"])
    html = get_html(client, "/learn/?topic=nope")
    assert [a.get_text() for a in html.select(".article-card__title a")] == ["About detox"]


def test_index_query_count_does_not_grow_with_articles(client, learn_page):
    ArticlePageFactory(topics=["Detox"])
    client.get("/learn/")  # warm per-process caches (site root, content types)
    with CaptureQueriesContext(connection) as few:
        client.get("/learn/")
    for _ in range(6):
        ArticlePageFactory(topics=["Detox", "Recovery"])
    with CaptureQueriesContext(connection) as many:
        client.get("/learn/")
    assert len(many) == len(few)


def test_all_blocks_render_on_one_article(client, learn_page):
    ArticlePageFactory(
        slug="everything",
        body=[
            ("h", "Heading"),
            ("p", "<p>Paragraph [1].</p>"),
            ("table", "Caption", ["A", "B"], [["1", "2"]]),
            ("callout", "tip", "Tip", "<p>Tip text</p>"),
            ("faq", [("Question?", "<p>Answer.</p>")]),
            ("quote", "Quoted.", "Someone"),
            ("find", "Find care", "", {"care": ["detox"]}),
        ],
    )
    html = get_html(client, "/learn/everything/")
    body = html.select_one(".article__body")
    for selector in ["h2#heading", "sup.cite", "table thead th", "aside.callout--tip", "section.faq dt",
                     "figure.quote blockquote", "aside.find-treatment a.button"]:  # fmt: skip
        assert body.select_one(selector) is not None, selector


def test_home_page_features_the_latest_articles(client, learn_page):
    for n in range(4):
        ArticlePageFactory(title=f"Guide {n}")
    ArticlePageFactory(title="Draft guide", live=False)
    html = get_html(client, "/")
    section = html.select_one("section.home-articles")
    assert [a.get_text() for a in section.select("h3 a")] == ["Guide 3", "Guide 2", "Guide 1"]
    assert section.select("a")[-1]["href"] == "/learn/"


def test_standard_page_description_and_open_graph(client):
    html = get_html(client, "/about/")
    intro = "FindCare helps people find addiction treatment programs and understand their options."
    assert html.select_one("meta[name=description]")["content"] == intro
    assert html.select_one("meta[property='og:description']")["content"] == intro
    assert html.select_one("meta[property='og:title']")["content"] == "About"
