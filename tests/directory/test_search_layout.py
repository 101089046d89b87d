"""The search page as a family meets it on a phone: results first, filters
in a disclosure, chosen filters as removable chips, counts that agree with
the results, help on its own page, directions in the visitor's map app."""

import re
from http import HTTPStatus

import pytest

from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db
SEARCH = "/find/"


@pytest.fixture
def directory():
    ProgramFactory(name="Harbor Detox (Sample)", zip_code="10001", levels_of_care=["detox"],
                   medications=["buprenorphine"], payment_options=["medicaid"])  # fmt: skip
    ProgramFactory(name="Cedar Outpatient (Sample)", zip_code="10001", levels_of_care=["outpatient"],
                   payment_options=["medicaid"])  # fmt: skip
    ProgramFactory(name="River Detox (Sample)", zip_code="10001", levels_of_care=["detox"])


def facet_count(html, name, value):
    pattern = rf'name="{name}" value="{value}"[^>]*>[^<]*<span class="facet__count">\((\d+)'
    match = re.search(pattern, html)
    return int(match[1])


def test_results_come_before_the_filters_and_the_filters_fold(client, directory):
    html = client.get(SEARCH, {"location": "10001", "care": "detox"}).content.decode()
    panel = html.index('<details class="filters-panel" id="filters-panel">')
    assert panel < html.index('id="search-results"')
    # The panel is closed in the HTML: on a phone the results are what shows first.
    assert '<details class="filters-panel" id="filters-panel" open' not in html
    assert "(1 chosen)" in html


def test_chips_apply_button_and_counts_agree_with_the_results(client, directory):
    html = client.get(SEARCH, {"location": "10001", "care": "detox", "payment": "medicaid"}).content.decode()
    assert "1 program within 25 miles" in html
    # A full page's button carries no count: without JavaScript it would go
    # stale as boxes are ticked (issue 27). search.js's fetch gets the count.
    assert 'id="apply-filters">Show results</button>' in html
    params = {"location": "10001", "care": "detox", "payment": "medicaid"}
    fetched = client.get(SEARCH, params, headers={"X-Requested-With": "fetch"}).content.decode()
    assert 'id="apply-filters">Show 1 program</button>' in fetched
    chips = re.findall(r'<a class="chip" href="\?([^"]*)">([^<]*)<', html)
    assert [label for _, label in chips] == ["Detox (withdrawal management)", "Medicaid"] or len(chips) == 2
    # Each chip's link is the same search without that value.
    assert any("care=detox" not in href and "payment=medicaid" in href for href, _ in chips)
    assert "Clear all filters" in html
    # Counts: choosing Medicaid with detox already chosen gives the one result shown.
    assert facet_count(html, "payment", "medicaid") == 1
    assert facet_count(html, "care", "outpatient") == 1  # outpatient OR detox, with Medicaid


def test_help_sentences_live_on_their_own_page_not_under_every_option(client, directory):
    html = client.get(SEARCH).content.decode()
    assert "facet__help" in html  # one "What these mean" link per group, no paragraph per option
    assert html.count('class="help facet__help"') == 0
    assert 'href="/find/terms/#terms-care"' in html
    terms = client.get("/find/terms/")
    assert terms.status_code == HTTPStatus.OK
    body = terms.content.decode()
    for group in ("care", "medication", "payment", "population", "language", "accreditation"):
        assert f'id="terms-{group}"' in body
    assert "<dt>Methadone</dt>" in body


def test_long_groups_fold_with_the_chosen_options_shown(client, directory):
    html = client.get(SEARCH, {"language": "spanish"}).content.decode()
    start = html.index('id="facet-language"')
    languages = html[start : html.index("</fieldset>", start)]
    folded = languages.index('<details class="facet__more" id="more-language">')
    assert languages.index('value="spanish"') < folded  # chosen: shown above the fold
    assert languages.index('value="sign-language"') > folded


def test_fetch_returns_the_whole_form_so_counts_chips_and_results_update_together(client, directory):
    response = client.get(SEARCH, {"care": "detox"}, headers={"x-requested-with": "fetch"})
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="filters-panel"' in html and 'class="chip"' in html and 'id="search-results"' in html


def test_program_page_offers_a_choice_of_map_apps(client):
    program = ProgramFactory(street1="1 Main St", zip_code="10001")
    html = client.get(program.get_absolute_url()).content.decode()
    for host in ("https://maps.apple.com/?daddr=", "https://www.google.com/maps/dir/?api=1&amp;destination=",
                 "https://www.openstreetmap.org/search?query=", 'href="geo:'):  # fmt: skip
        assert host in html
    assert "<iframe" not in html and "<img" not in html.split("directions-links")[1].split("</ul>")[0]
