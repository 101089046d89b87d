"""manage.py import_articles: Markdown and plain text become draft articles."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from wagtail.models import Page

from content.importing import parse_article
from content.models import ArticlePage

from .factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def run(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_articles", *[str(FIXTURES / p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_markdown_title_byline_and_date():
    parsed = parse_article((FIXTURES / "wrapped.md").read_text())
    assert parsed.title == "Naloxone: reversing an opioid overdose"
    assert parsed.author == "Casey Morgan"
    assert parsed.date.isoformat() == "2025-03-03"
    assert parsed.summary.startswith("Naloxone is a medicine that can bring someone back")


def test_markdown_headings_paragraphs_lists_links_and_table():
    blocks = parse_article((FIXTURES / "wrapped.md").read_text()).blocks
    # The first paragraph is the summary, shown above the body: not repeated.
    assert [t for t, _ in blocks] == [
        "heading", "paragraph", "heading", "paragraph", "heading", "table", "paragraph",
    ]  # fmt: skip
    assert [v["text"] for t, v in blocks if t == "heading"] == [
        "How to recognize an overdose",
        "Giving naloxone",
        "Forms at a glance",
    ]
    assert blocks[1][1] == (
        "<p>Watch for these signs, and <b>call 911 first</b>:</p>"
        "<ul><li>slow or stopped breathing</li><li>blue lips or fingertips</li>"
        "<li>a person who cannot be woken</li></ul>"
    )
    assert blocks[3][1] == (
        "<ol><li>Call 911.</li><li>Spray one dose into a nostril, as described in the "
        '<a href="https://example.org/naloxone-leaflet">package leaflet</a>.</li>'
        "<li>Stay until help arrives.</li></ol>"
    )
    table = blocks[5][1]
    assert table["data"] == [
        ["Form", "How it is given", "Prescription"],
        ["Nasal spray", "Into the nose", "Not needed"],
        ["Injection", "Into a muscle", "Sometimes"],
    ]
    assert table["first_row_is_table_header"] is True
    # "[1]" has no reference to link to: removed and reported.
    assert blocks[6][1] == "<p>A second dose may be needed after two or three minutes.</p>"


def test_plain_text_short_lines_become_headings_and_page_furniture_is_dropped():
    parsed = parse_article((FIXTURES / "plain.txt").read_text())
    assert parsed.title == "Sober Living After Treatment"
    assert parsed.author == ""
    assert parsed.summary.startswith("Moving from treatment back home")
    assert [(t, v if t == "heading" else None) for t, v in parsed.blocks] == [
        ("heading", {"text": "What a sober home offers", "level": "h2"}),
        ("paragraph", None),
        ("heading", {"text": "Questions to ask", "level": "h2"}),
        ("paragraph", None),
    ]
    assert parsed.blocks[1][1] == (
        "<p>Residents share chores, go to meetings and agree to stay free of alcohol and drugs.</p>"
        "<p>House rules are written down and apply to everyone.</p>"
    )
    assert parsed.blocks[3][1] == (
        "<ul><li>Is the home certified?</li>"
        "<li>Are residents who take prescribed medication welcome?</li></ul>"
    )
    assert parsed.notes == [
        "Stopped at “Related Articles”: the rest looks like page furniture, not article.",
        "Dropped the empty section “References”.",
    ]


def test_byline_on_one_line_with_date():
    parsed = parse_article("Title here\n\nBy Jordan Lee, May 2, 2024\n\nFirst paragraph of text.\n")
    assert (parsed.author, parsed.date.isoformat()) == ("Jordan Lee", "2024-05-02")


def test_lead_paragraph_before_byline_becomes_summary_not_body():
    parsed = parse_article(
        "A title\n\nA one-line teaser.\n\nBy\nSam Staff\nJune 1, 2024\n\nBody text starts here.\n"
    )
    assert parsed.summary == "A one-line teaser."
    assert parsed.blocks == [("paragraph", "<p>Body text starts here.</p>")]


def test_html_in_source_is_escaped():
    parsed = parse_article("# Title\n\n<script>alert(1)</script> and **bold**\n")
    assert parsed.blocks == [("paragraph", "<p>&lt;script&gt;alert(1)&lt;/script&gt; and <b>bold</b></p>")]


def test_command_creates_drafts_with_author_and_date(learn_page):
    owner = UserFactory(username="editor")
    out, err = run("wrapped.md", "plain.txt", user="editor")
    assert err == ""
    naloxone = ArticlePage.objects.get(slug="naloxone-reversing-an-opioid-overdose")
    assert not naloxone.live
    assert naloxone.get_parent().specific == learn_page
    assert naloxone.owner == owner
    assert [a.name for a in naloxone.authors.all()] == ["Casey Morgan"]
    assert naloxone.first_published.isoformat() == "2025-03-03"
    assert [b.block_type for b in naloxone.body].count("table") == 1
    assert naloxone.get_latest_revision().user == owner
    assert (
        f"wrapped.md: draft “Naloxone: reversing an opioid overdose” (3 heading, 3 paragraph, 1 table; "
        f"author: Casey Morgan; dated 2025-03-03): /admin/pages/{naloxone.pk}/edit/"
    ) in out
    assert "  note: Dropped the empty section “References”." in out
    assert ArticlePage.objects.get(slug="sober-living-after-treatment").live is False


def test_imported_draft_renders_in_preview(client, learn_page):
    run("wrapped.md")
    article = ArticlePage.objects.get(slug="naloxone-reversing-an-opioid-overdose")
    client.force_login(UserFactory(is_superuser=True))
    response = client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert '<th scope="col"' in response.content.decode()


def test_dry_run_saves_nothing(learn_page):
    out, _ = run("wrapped.md", dry_run=True)
    assert "would import “Naloxone: reversing an opioid overdose”" in out
    assert not ArticlePage.objects.exists()


def test_bad_files_are_reported_and_the_rest_imported(learn_page):
    with pytest.raises(CommandError, match="^2 of 3 files were not imported.$"):
        run("empty.txt", "missing.md", "plain.txt")
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["Sober Living After Treatment"]


def test_same_title_is_not_imported_twice(learn_page):
    run("plain.txt")
    with pytest.raises(CommandError):
        out, err = run("plain.txt")
    assert ArticlePage.objects.count() == 1


def test_unknown_user_is_an_error(learn_page):
    with pytest.raises(CommandError, match="No user named “ghost”."):
        run("plain.txt", user="ghost")
    assert Page.objects.filter(title="Sober Living After Treatment").count() == 0
