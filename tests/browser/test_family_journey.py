"""The family journey of issue 27, on a 390x844 phone, with and without
JavaScript, on the demo data `make run` loads (tools/demo: the sample
directory, the demo center that has joined FindCare with two listings, the
demo articles).

A parent looks for help: home page -> a search for a place -> the page of a
program that has joined (an active center member reads its FindCare inbox,
portal/members.py) -> an inquiry, sent back with errors ten times before it
is right -> the thank-you page and the private status page say it was
delivered to the program's FindCare inbox. The care guide, for a parent
whose son uses heroin daily and is unwell when he stops, suggests
withdrawal management with medication and searches near the family with
Medicaid and without naltrexone; Back from that search shows the result
again. A listing nobody reads leads with
its phone and says why there is no form. Site search finds buprenorphine
programs and articles for "suboxone" and answers a double quote; "Detox
for: Opioids" finds programs. axe finds nothing on any page visited (axe
runs in the page, so only with JavaScript)."""

import re
from io import StringIO

import pytest
from django.core.cache import cache

from tests.browser.test_guide import ANSWERS as GUIDE_ANSWERS
from tests.browser.test_guide import RESULT_HEADING as GUIDE_RESULT_HEADING

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CORRECTIONS = 10  # forms sent back with errors before the right one


@pytest.fixture
def demo_site(settings):
    """The demo data of `make run` (fewer listings: the same generators)."""
    from directory.search import freshness
    from tools.demo import content, directory, guide, portal

    settings.INQUIRY_MIN_FILL_SECONDS = 0  # a robot types faster than a person
    cache.clear()  # the rate limiters' counters start at zero
    out = StringIO()
    directory.load(stdout=out, listings=120)
    portal.load(stdout=out)
    content.load()
    guide.load()
    freshness.reset()
    yield
    cache.clear()


def joined_program():
    from directory.models import Organization
    from inquiries.selectors import program_accepts_inquiries
    from tools.demo.portal import ORG_SLUG

    program = Organization.objects.get(slug=ORG_SLUG).programs.order_by("pk").first()
    assert program_accepts_inquiries(program)
    return program


def unjoined_program():
    from directory.models import Program
    from inquiries.selectors import program_accepts_inquiries

    programs = Program.objects.filter(is_sample=True, status=Program.Status.PUBLISHED).exclude(phone="")
    program = next(p for p in programs.order_by("pk") if not program_accepts_inquiries(p) and not p.is_closed)
    return program


def opioid_detox_zip():
    from directory.models import Program

    program = (
        Program.objects.filter(
            is_sample=True, status=Program.Status.PUBLISHED, detox_substances__slug="opioids"
        )
        .order_by("pk")
        .first()
    )
    assert program is not None, "the demo directory has detox programs for opioids"
    return program.zip_code


def check(page, axe, javascript):
    """No server error and, with JavaScript, no axe violation on this page."""
    assert "Traceback" not in page.content()
    if javascript:
        axe(page)


def submit_and_wait(page, button, url_pattern):
    with page.expect_navigation(url=url_pattern):
        button.click()


def fill_inquiry(page):
    page.get_by_label("Your name").fill("Pat (Sample)")
    page.get_by_label("Email address").fill("pat@example.org")
    page.get_by_role("radio", name="Email").check()
    page.get_by_role("radio", name="Someone I care about").check()
    page.get_by_label(re.compile(r"^Message")).fill("Our son, 19, uses heroin every day. Can he start soon?")
    page.get_by_role("checkbox", name=re.compile(r"^I agree that FindCare sends")).check()


def walk(page, base, axe, javascript):
    from directory.models import Program
    from inquiries.models import Inquiry

    joined = joined_program()

    # Home page -> a search for the place where the joined program is.
    response = page.goto(base + "/")
    assert response.status == 200
    check(page, axe, javascript)
    page.get_by_label("ZIP code, city or county").fill(joined.zip_code)
    submit_and_wait(page, page.get_by_role("button", name="Search programs"), re.compile(r"/find/\?"))
    assert page.locator(".program-card").count() > 0
    check(page, axe, javascript)

    # The results, narrowed by the program's name, lead to its page.
    page.locator(".filters-panel__summary").click()
    page.get_by_label(re.compile(r"^Program or organization name")).fill(joined.name)
    submit_and_wait(page, page.get_by_role("button", name=re.compile(r"^Show")), re.compile(r"q="))
    card_link = page.locator(".program-card").get_by_role("link", name=joined.name, exact=True).first
    card_link.wait_for()
    check(page, axe, javascript)
    submit_and_wait(page, card_link, re.compile(re.escape(joined.get_absolute_url()) + r"(\?search=[^#]+)?$"))

    # The program page: the phone first, then the inquiry form.
    assert page.get_by_role("heading", name=f"Ask {joined.name} for help").is_visible()
    assert "read messages in their FindCare inbox" in page.locator(".inquiry-reader").inner_text()
    check(page, axe, javascript)

    # Ten forms sent back with errors (an empty one), then the right one.
    send = page.get_by_role("button", name="Send inquiry")
    for attempt in range(CORRECTIONS):
        submit_and_wait(page, send, re.compile(r"/inquire/$"))
        assert "There is a problem" in page.locator("#error-summary").inner_text(), attempt
    check(page, axe, javascript)
    fill_inquiry(page)
    submit_and_wait(page, send, re.compile(r"/inquiries/thanks/(\?search=[^#]+)?$"))

    # The thank-you page says exactly what happened.
    assert page.get_by_role("heading", level=1).inner_text() == "Your inquiry was delivered"
    assert f"Delivered to the FindCare inbox of {joined.name}" in page.inner_text("main")
    check(page, axe, javascript)
    inquiry = Inquiry.objects.filter(program=joined).latest("pk")  # encrypted: read, not queried
    assert inquiry.name == "Pat (Sample)"
    assert inquiry.message.startswith("Our son, 19")

    # The private status page says so too.
    status_link = page.locator(".private-link a").get_attribute("href")
    page.goto(status_link)
    assert "Delivered to the program's FindCare inbox" in page.inner_text("main")
    check(page, axe, javascript)

    # The care guide: daily heroin, clearly unwell when stopping, no
    # emergency, a safe home; then the place and Medicaid. The result is a
    # GET page (Back and reload show it), suggests withdrawal management with
    # medication, and its search has the place, Medicaid and no naltrexone.
    page.goto(base + "/")
    page.get_by_role("link", name="Take the 2-minute guide").click()
    page.wait_for_url(re.compile(r"/learn/which-care/$"))
    check(page, axe, javascript)
    page.get_by_label("Someone I care about").check()
    page.get_by_role("button", name="Start the guide").click()
    for number, answer in enumerate(GUIDE_ANSWERS, start=1):
        page.get_by_text(f"Question {number} of {len(GUIDE_ANSWERS)}").wait_for()
        page.get_by_label(answer, exact=True).check()
        page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Where should we look for programs?").wait_for()
    check(page, axe, javascript)
    page.get_by_label("ZIP code or city").fill(joined.zip_code)
    page.get_by_label("Medicaid", exact=True).check()
    page.get_by_role("button", name="Show my result").click()
    page.get_by_role("heading", name=GUIDE_RESULT_HEADING).wait_for()
    result_url = page.url
    assert "?result=" in result_url and "heroin" not in result_url.lower()
    main = page.inner_text("main")
    assert "withdrawal management" in main and "buprenorphine" in main
    assert "Nothing in your answers points to" not in main
    check(page, axe, javascript)
    href = page.get_by_role("link", name="See matching programs").get_attribute("href")
    assert f"location={joined.zip_code}" in href and "payment=medicaid" in href
    assert "medication=buprenorphine" in href and "naltrexone" not in href
    page.get_by_role("link", name="See matching programs").click()
    page.wait_for_url(re.compile(r"/find/\?.*payment=medicaid"))
    check(page, axe, javascript)
    page.go_back()
    page.get_by_role("heading", name=GUIDE_RESULT_HEADING).wait_for()
    assert page.url == result_url

    # A listing nobody at the program reads: the phone first, and why no form.
    unjoined = unjoined_program()
    page.goto(base + unjoined.get_absolute_url())
    assert page.locator('input[name="form_token"]').count() == 0
    note = page.locator(".inquiry-note").inner_text()
    assert note.startswith("This program does not receive messages through FindCare yet. Call")
    assert "Nobody at the program reads messages on FindCare" in page.inner_text("main")
    first_call = page.locator('main a[href^="tel:"]').first.bounding_box()
    assert first_call["y"] < page.locator(".inquiry-box").bounding_box()["y"]
    check(page, axe, javascript)

    # Site search finds what families type: "suboxone" is buprenorphine.
    page.goto(base + "/search/?q=suboxone")
    articles = page.locator('section[aria-labelledby="articles-heading"] .article-card__title')
    assert "Methadone, buprenorphine and naltrexone compared" in articles.all_inner_texts()
    links = page.locator('section[aria-labelledby="programs-heading"] .article-card__title a')
    hrefs = links.evaluate_all("els => els.map(a => a.href)")
    slugs = {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}
    assert slugs, "suboxone finds programs"
    with_buprenorphine = Program.objects.filter(slug__in=slugs, medications__slug="buprenorphine")
    assert with_buprenorphine.count() == len(slugs)
    check(page, axe, javascript)

    # A double quote in the site search box is an answer, not a 500.
    response = page.goto(base + '/search/?q=a"b')
    assert response.status == 200
    check(page, axe, javascript)

    # "Detox for: Opioids" finds programs.
    page.goto(base + f"/find/?location={opioid_detox_zip()}")
    page.locator(".filters-panel__summary").click()
    detox_for = page.get_by_role("group", name=re.compile(r"^Detox for"))
    detox_for.get_by_role("checkbox", name=re.compile(r"^Opioids")).check()
    if javascript:
        page.wait_for_url(re.compile(r"detox=opioids"))
        page.locator("#search-form:not([aria-busy])").wait_for()
    else:
        submit_and_wait(page, page.get_by_role("button", name="Show results"), re.compile(r"detox=opioids"))
    assert page.locator(".program-card").count() > 0
    assert not page.locator("#results-heading").inner_text().startswith("No programs")
    check(page, axe, javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_family_journey_on_a_phone(live_server, browser, axe, demo_site, javascript):
    context = browser.new_context(java_script_enabled=javascript, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        walk(page, live_server.url, axe, javascript)
    finally:
        context.close()
