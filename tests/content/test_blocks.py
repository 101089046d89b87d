"""Each article block renders accessible HTML; the find-treatment block links
to the matching directory search with the live program count."""

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from content.blocks import ArticleBodyBlock, FindTreatmentBlock
from content.find_treatment import FIND_TREATMENT_VOCABULARIES
from content.templatetags.content_tags import cite_links
from directory.models import Program
from directory.vocabularies import by_param
from tests.directory.factories import ProgramFactory
from tools.demo.content import stream_block

pytestmark = pytest.mark.django_db


def render(spec):
    raw = stream_block(spec)
    stream = ArticleBodyBlock().to_python([raw])
    return BeautifulSoup(str(stream[0].render()), "html.parser")


def test_heading_has_anchor_for_table_of_contents():
    html = render(("h", "Signs of withdrawal"))
    assert html.h2["id"] == "signs-of-withdrawal"
    assert html.h2.text == "Signs of withdrawal"


def test_paragraph_links_numbered_citations_to_references():
    html = render(("p", "<p>Symptoms peak on day two [2].</p>"))
    link = html.select_one("sup.cite a")
    assert link["href"] == "#ref-2"
    assert link.get_text() == "reference 2"


@pytest.mark.parametrize(
    "markup",
    [
        '<img alt="Chart from study [1]" src="/media/chart.png">',
        '<a href="https://example.org/report?part=[1]" title="Table [2]">the report</a>',
        "<span title='a > b [3]'>text</span>",
        "<!-- draft note [4] -->",
    ],
)
def test_citation_markers_in_attributes_and_comments_are_left_alone(markup):
    """Only text is rewritten: a marker inside an attribute (or a comment)
    stays as it is, so the markup stays whole."""
    assert cite_links(markup) == markup


def test_citations_in_text_around_tags_still_link():
    html = BeautifulSoup(
        cite_links('<p>Before [1] <img alt="Figure [2]" src="/x.png"> after [3].</p>'), "html.parser"
    )
    assert [a["href"] for a in html.select("sup.cite a")] == ["#ref-1", "#ref-3"]
    assert html.img["alt"] == "Figure [2]"


def test_marker_already_inside_a_link_is_not_linked_again():
    markup = '<p>See <a href="/learn/">part [2]</a> and [1].</p>'
    html = BeautifulSoup(cite_links(markup), "html.parser")
    assert [a["href"] for a in html.select("a")] == ["/learn/", "#ref-1"]


def test_table_has_header_row_caption_and_scrollable_region():
    html = render(
        ("table", "Medicines", ["Medicine", "Where"], [["Methadone", "OTP"], ["Naltrexone", "Clinic"]])
    )
    region = html.select_one(".table-wrap")
    assert region["role"] == "region"
    assert region["aria-label"] == "Medicines"
    assert html.caption.get_text(strip=True) == "Medicines"
    assert [th.get_text(strip=True) for th in html.select("thead th[scope=col]")] == ["Medicine", "Where"]
    assert [td.get_text(strip=True) for td in html.select("tbody td")] == [
        "Methadone",
        "OTP",
        "Naltrexone",
        "Clinic",
    ]


@pytest.mark.parametrize("kind", ["important", "warning", "tip"])
def test_callout_kinds(kind):
    html = render(("callout", kind, "Heads up", "<p>Carry naloxone.</p>"))
    aside = html.aside
    assert f"callout--{kind}" in aside["class"]
    assert aside["aria-label"] == "Heads up"
    assert "Carry naloxone." in aside.get_text()


def test_callout_without_title_is_labelled_by_kind():
    html = render(("callout", "warning", "", "<p>Text</p>"))
    assert html.aside["aria-label"] == "Warning"
    assert html.select_one(".callout__label").get_text() == "Warning"


def test_faq_renders_questions_and_answers():
    html = render(
        (
            "faq",
            [("Is detox treatment?", "<p>No, it is the first step.</p>"), ("How long?", "<p>A week.</p>")],
        )
    )
    assert html.h2["id"] == "frequently-asked-questions"
    assert [dt.get_text() for dt in html.select("dt")] == ["Is detox treatment?", "How long?"]
    assert html.select("dd")[0].get_text(strip=True) == "No, it is the first step."


def test_quote_with_attribution():
    html = render(("quote", "Keep walking.", "A peer coach"))
    assert html.blockquote.get_text(strip=True) == "Keep walking."
    assert html.figcaption.get_text() == "A peer coach"


def test_image_block_uses_the_required_alt_text():
    image = Image.objects.create(title="Clinic", file=get_test_image_file())
    raw = {
        "type": "image",
        "value": {"image": image.pk, "alt_text": "A nurse taking a pulse", "caption": "Care"},
    }
    html = BeautifulSoup(str(ArticleBodyBlock().to_python([raw])[0].render()), "html.parser")
    assert html.img["alt"] == "A nurse taking a pulse"
    assert html.figcaption.get_text() == "Care"


def test_image_block_requires_alt_text():
    image = Image.objects.create(title="Clinic", file=get_test_image_file())
    block = ArticleBodyBlock().child_blocks["image"]
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "caption": ""}))
    assert list(error.value.block_errors) == ["alt_text"]


def test_find_treatment_links_to_search_with_live_count():
    ProgramFactory.create_batch(2, levels_of_care=["detox"], medications=["buprenorphine"])
    ProgramFactory(levels_of_care=["detox"], medications=["naltrexone"])
    ProgramFactory(levels_of_care=["detox"], medications=["buprenorphine"], status=Program.Status.DRAFT)
    ProgramFactory(levels_of_care=["outpatient"], medications=["buprenorphine"])
    html = render(("find", "Find detox", "Search now.", {"care": ["detox"], "medication": ["buprenorphine"]}))
    link = html.select_one("a.button")
    assert link["href"] == "/find/?care=detox&medication=buprenorphine"
    assert link.get_text() == "Search programs"
    assert html.select_one(".find-treatment__count").get_text() == "2 listed programs match."


def test_find_treatment_count_for_one_and_none():
    ProgramFactory(levels_of_care=["sober-living"])
    one = render(("find", "Homes", "", {"care": ["sober-living"]}))
    none = render(("find", "Detox", "", {"care": ["detox"]}))
    assert one.select_one(".find-treatment__count").get_text() == "1 listed program matches."
    assert none.select_one(".find-treatment__count").get_text() == (
        "No listed programs match yet: the search lets you widen it."
    )


def test_find_treatment_link_lands_on_matching_directory_search(client):
    ProgramFactory(name="Harbor Detox", zip_code="10001", levels_of_care=["detox"], medications=["methadone"])
    ProgramFactory(name="Hilltop Outpatient", zip_code="10001", levels_of_care=["outpatient"])
    html = render(("find", "Detox", "", {"care": ["detox"], "medication": ["methadone"]}))
    href = html.select_one("a.button")["href"]
    page = client.get(href).content.decode()
    # No place in an article's link: the search asks for one and counts the matches (issue 27).
    assert "Enter a ZIP code or city to see programs near you" in page
    assert "1 program across the country matches the filters you chose." in page
    near = client.get(href + "&location=10001").content.decode()
    assert "Harbor Detox" in near
    assert "Hilltop Outpatient" not in near


def test_find_treatment_choices_come_from_directory_vocabularies():
    block = FindTreatmentBlock()
    care = dict(block.child_blocks["care"].field.choices)
    medication = dict(block.child_blocks["medication"].field.choices)
    assert care["detox"] == "Detox (withdrawal management)"
    assert care["sober-living"] == "Sober living / recovery residence"
    assert medication["buprenorphine"] == "Buprenorphine"


def test_find_treatment_filters_are_the_registry_vocabularies():
    """Each filter field is named by its vocabulary's search parameter (the
    link's parameter) and labelled as the search page labels it."""
    block = FindTreatmentBlock()
    filters = [name for name in block.child_blocks if name not in {"heading", "text", "button_label"}]
    assert filters == [vocabulary.param for vocabulary in FIND_TREATMENT_VOCABULARIES]
    for vocabulary in FIND_TREATMENT_VOCABULARIES:
        assert vocabulary is by_param()[vocabulary.param]
        assert block.child_blocks[vocabulary.param].label == vocabulary.label


def test_find_treatment_needs_at_least_one_filter():
    block = FindTreatmentBlock()
    value = block.to_python({"heading": "Find", "text": "", "care": [], "medication": [], "payment": [],
                             "language": [], "button_label": "Go"})  # fmt: skip
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert [e.message for e in error.value.non_block_errors.as_data()] == ["Choose at least one filter."]


def test_table_with_first_column_as_row_headers():
    html = render(("table", "Compared", ["", "Methadone"], [["How it acts", "Full agonist"]], True))
    assert [th.get_text(strip=True) for th in html.select("tbody th[scope=row]")] == ["How it acts"]
    assert [td.get_text(strip=True) for td in html.select("tbody td")] == ["Full agonist"]


def test_block_labels_editors_see():
    labels = {name: block.label for name, block in ArticleBodyBlock().child_blocks.items()}
    assert labels["faq"] == "FAQ"
    assert labels["find_treatment"] == "Find treatment"
