"""Titles, descriptions, canonical and Open Graph tags, JSON-LD, sitemap.xml,
robots.txt and the article feeds."""

import datetime
import json
import xml.etree.ElementTree as ET  # noqa: S405 (parses our own responses)
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup

from content.models import ArticleReference
from directory.models import Program
from tests.directory.factories import ProgramFactory

from .factories import ArticlePageFactory, AuthorFactory, MedicalReviewerFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def article():
    return ArticlePageFactory(
        title="Buprenorphine basics",
        slug="buprenorphine-basics",
        summary="How buprenorphine treats opioid use disorder.",
        authors=[AuthorFactory(name="Jordan Reyes", credentials="MPH")],
        medical_reviewer=MedicalReviewerFactory(name="Maya Ellison", credentials="MD"),
        first_published=datetime.date(2025, 2, 1),
        last_reviewed=datetime.date(2026, 4, 2),
        topics=["Medications"],
        references=[
            ArticleReference(title="TIP 63", publisher="SAMHSA", url="https://store.samhsa.gov/tip63")
        ],
        body=[
            ("h", "How it works"),
            ("p", "<p>It is a partial agonist.</p>"),
            (
                "faq",
                [
                    ("Is it safe?", "<p>Yes, <b>with care</b> & monitoring.</p>"),
                    ("</script>?", "<p>Odd.</p>"),
                ],
            ),
        ],
    )


def parse_xml(content):
    return ET.fromstring(content)  # noqa: S314 (our own sitemap and feeds, not untrusted input)


def page_html(client, url):
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    return BeautifulSoup(response.content, "html.parser")


def json_ld(html):
    return [json.loads(tag.string) for tag in html.select('script[type="application/ld+json"]')]


def test_medical_web_page_json_ld(client, article):
    medical = json_ld(page_html(client, "/learn/buprenorphine-basics/"))[0]
    assert medical["@type"] == "MedicalWebPage"
    assert medical["url"] == "http://localhost/learn/buprenorphine-basics/"
    assert medical["headline"] == "Buprenorphine basics"
    assert medical["description"] == "How buprenorphine treats opioid use disorder."
    assert medical["lastReviewed"] == "2026-04-02"
    assert medical["datePublished"] == "2025-02-01"
    assert medical["reviewedBy"] == {"@type": "Person", "name": "Maya Ellison", "honorificSuffix": "MD"}
    assert medical["author"] == [{"@type": "Person", "name": "Jordan Reyes", "honorificSuffix": "MPH"}]
    assert medical["citation"] == ["https://store.samhsa.gov/tip63"]
    assert medical["about"] == [{"@type": "Thing", "name": "Medications"}]


def test_faq_page_json_ld_with_safe_escaping(client, article):
    response = client.get("/learn/buprenorphine-basics/")
    assert "</script>?" not in response.content.decode().split("<main")[0]
    faq = json_ld(BeautifulSoup(response.content, "html.parser"))[1]
    assert faq["@type"] == "FAQPage"
    assert faq["mainEntity"][0] == {
        "@type": "Question",
        "name": "Is it safe?",
        "acceptedAnswer": {"@type": "Answer", "text": "Yes, with care & monitoring."},
    }
    assert faq["mainEntity"][1]["name"] == "</script>?"


def test_no_faq_json_ld_without_faq_block(client, learn_page):
    ArticlePageFactory(slug="plain")
    assert [doc["@type"] for doc in json_ld(page_html(client, "/learn/plain/"))] == ["MedicalWebPage"]


def test_unreviewed_article_has_no_review_claims(client, learn_page):
    ArticlePageFactory(slug="unreviewed")
    medical = json_ld(page_html(client, "/learn/unreviewed/"))[0]
    assert "lastReviewed" not in medical
    assert "reviewedBy" not in medical


def test_title_description_canonical_and_open_graph(client, article):
    html = page_html(client, "/learn/buprenorphine-basics/")
    assert html.title.get_text() == "Buprenorphine basics | FindCare"
    assert (
        html.select_one("meta[name=description]")["content"]
        == "How buprenorphine treats opioid use disorder."
    )
    assert html.select_one("link[rel=canonical]")["href"] == "http://localhost/learn/buprenorphine-basics/"
    og = {tag["property"]: tag["content"] for tag in html.select("meta[property^='og:']")}
    assert og == {
        "og:site_name": "FindCare",
        "og:type": "article",
        "og:title": "Buprenorphine basics",
        "og:description": "How buprenorphine treats opioid use disorder.",
        "og:url": "http://localhost/learn/buprenorphine-basics/",
    }


def test_seo_title_and_search_description_override_defaults(client, article):
    article.seo_title = "Buprenorphine: how it works"
    article.search_description = "A clear guide to buprenorphine."
    article.save_revision().publish()
    html = page_html(client, "/learn/buprenorphine-basics/")
    assert html.title.get_text() == "Buprenorphine: how it works | FindCare"
    assert html.select_one("meta[name=description]")["content"] == "A clear guide to buprenorphine."
    assert html.select_one("meta[property='og:title']")["content"] == "Buprenorphine: how it works"


def test_sitemap_lists_live_articles_and_published_programs(client, article):
    ArticlePageFactory(slug="still-a-draft", live=False)
    published = ProgramFactory(name="Open Door Clinic")
    ProgramFactory(name="Draft Clinic", status=Program.Status.DRAFT)
    response = client.get("/sitemap.xml")  # an index of sitemap pages
    assert response.status_code == HTTPStatus.OK
    locations = set()
    for page in parse_xml(response.content).findall("s:sitemap/s:loc", SITEMAP_NS):
        path = page.text.removeprefix("http://testserver")
        part = client.get(path)
        assert part.status_code == HTTPStatus.OK, path
        locations |= {loc.text for loc in parse_xml(part.content).findall("s:url/s:loc", SITEMAP_NS)}
    assert "http://localhost/learn/" in locations
    assert "http://localhost/learn/buprenorphine-basics/" in locations
    assert "http://localhost/learn/still-a-draft/" not in locations
    assert f"http://localhost/programs/{published.slug}/" in locations
    assert not any("draft-clinic" in loc for loc in locations)


def test_sitemap_index_pages_programs_by_limit(client, monkeypatch):
    from content.sitemaps import ProgramSitemap

    monkeypatch.setattr(ProgramSitemap, "limit", 2)
    programs = [ProgramFactory(name=f"Clinic {n}") for n in range(5)]
    index = parse_xml(client.get("/sitemap.xml").content)
    pages = [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS) if "programs" in loc.text]
    assert pages == [
        "http://testserver/sitemap-programs.xml",
        "http://testserver/sitemap-programs.xml?p=2",
        "http://testserver/sitemap-programs.xml?p=3",
    ]
    listed = []
    for page in pages:
        part = parse_xml(client.get(page.removeprefix("http://testserver")).content)
        listed += [loc.text for loc in part.findall("s:url/s:loc", SITEMAP_NS)]
    assert sorted(listed) == sorted(f"http://localhost/programs/{p.slug}/" for p in programs)


def test_robots_txt_points_at_sitemap_and_hides_search(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Disallow: /search/" in body


def test_rss_feed_lists_live_articles(client, article):
    ArticlePageFactory(title="Hidden draft", live=False)
    response = client.get("/learn/feed/")
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = parse_xml(response.content).find("channel")
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Buprenorphine basics"]
    assert items[0].findtext("link") == "http://localhost/learn/buprenorphine-basics/"
    assert items[0].findtext("description") == "How buprenorphine treats opioid use disorder."
    assert [c.text for c in items[0].findall("category")] == ["Medications"]


def test_atom_feed(client, article):
    response = client.get("/learn/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entry = parse_xml(response.content).find("a:entry", ns)
    assert entry.findtext("a:title", namespaces=ns) == "Buprenorphine basics"
    assert entry.findtext("a:author/a:name", namespaces=ns) == "Jordan Reyes"


def test_index_advertises_feeds(client, learn_page):
    html = page_html(client, "/learn/")
    assert html.select_one("link[type='application/rss+xml']")["href"] == "/learn/feed/"
    assert html.select_one("link[type='application/atom+xml']")["href"] == "/learn/feed/atom/"


def test_no_third_party_assets_on_article(client, article):
    html = client.get("/learn/buprenorphine-basics/").content.decode()
    head_and_body = BeautifulSoup(html, "html.parser")
    for tag in head_and_body.select("script[src], link[href], img[src]"):
        url = tag.get("src") or tag.get("href")
        assert not url.startswith("http") or url.startswith("http://localhost"), url
