"""The guide's screens through the test client: flow, safety stop, back and
change, errors, and privacy (nothing stored, logged, cached or in a URL)."""

import logging
import re
from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guide.state import GuideState, state_dump

pytestmark = pytest.mark.django_db

CALM = {
    "danger-now": ["safe-now"],
    "substances": ["opioids"],
    "how-often": ["daily"],
    "withdrawal": ["withdrawal-moderate"],
    "physical-health": ["health-ok"],
    "mental-health": ["mental-health-some"],
    "readiness": ["ready"],
    "past-attempts": ["first-time"],
    "home": ["home-supportive"],
    "daily-life": ["daily-life-ok"],
}


def test_get_shows_the_intro_and_is_never_cached(client, guide_page):
    response = client.get(guide_page.url)
    assert response.status_code == HTTPStatus.OK
    assert response.context["screen"] == "intro"
    assert "no-store" in response["Cache-Control"]
    assert b"Private by design" in response.content


def test_one_question_per_screen_with_progress(walker):
    response = walker.start("someone")
    assert response.context["screen"] == "question"
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Question 1 of 10" in html
    assert "Is any of this happening to them right now?" in html
    assert html.count('name="answer"') == 5  # the five options of one question only
    response = walker.answer("safe-now")
    assert "Question 2 of 10" in response.content.decode()
    assert "Which substances are they using" in response.content.decode()


def test_complete_guide_gives_result_and_filtered_search(walker):
    response = walker.complete(CALM)
    assert response.context["screen"] == "result"
    html = response.content.decode()
    assert "A place to start: Outpatient or Intensive outpatient" in html
    assert "A clinician&#x27;s assessment decides" in html or "A clinician's assessment decides" in html
    url = response.context["search_url"]
    assert url == (
        "/find/?care=outpatient&care=intensive-outpatient"
        "&medication=methadone&medication=buprenorphine&medication=naltrexone"
    )
    assert f'href="{url.replace("&", "&amp;")}"' in html
    assert "What to ask a program" in html
    assert "Do you offer an assessment before admission" in html


def test_search_link_opens_the_filtered_directory(client, walker):
    walker.complete(CALM)
    response = client.get(walker.response.context["search_url"])
    assert response.status_code == HTTPStatus.OK
    result = response.context["result"]
    assert result.notices == []
    assert result.form.cleaned_data["care"] == ["outpatient", "intensive-outpatient"]
    assert result.form.cleaned_data["medication"] == ["methadone", "buprenorphine", "naltrexone"]


@pytest.mark.parametrize(
    "code", ["overdose-signs", "suicide-thoughts", "severe-withdrawal", "alcohol-benzo-withdrawal"]
)
def test_danger_answer_stops_the_guide_with_crisis_lines(walker, code):
    walker.start()
    response = walker.answer(code)
    assert response.status_code == HTTPStatus.OK
    assert response.context["screen"] == "urgent"
    html = response.content.decode()
    for number in ('href="tel:911"', 'href="tel:988"', 'href="tel:+18006624357"'):
        assert number in html
    assert response.context["urgent"][0].code == code
    assert response.context["urgent"][0].urgent_reason in html.replace("&#x27;", "'")
    assert "Question 2" not in html
    # The carried state does not hold the urgent answer; going back shows question 1 again.
    response = walker.nav("stay")
    assert "Question 1 of 10" in response.content.decode()
    assert not response.context["form"].initial


def test_missing_answer_shows_error_summary_and_keeps_place(walker):
    walker.start()
    walker.answer("safe-now")
    response = walker.answer()
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_answer_0">Choose at least one answer to continue.</a>' in html
    assert "Question 2 of 10" in html


def test_answer_not_in_this_question_is_an_error(walker):
    walker.start()
    response = walker.answer("opioids")  # an answer from question 2
    assert "Choose one of the answers shown." in response.content.decode()
    assert "Question 1 of 10" in response.content.decode()


def test_back_keeps_answers_and_change_from_result(walker):
    walker.start()
    walker.answer("safe-now")
    walker.answer("alcohol", "opioids")
    response = walker.nav("back")
    assert "Question 2 of 10" in response.content.decode()
    assert response.context["form"].initial == {"answer": ["alcohol", "opioids"]}
    walker.complete(CALM)
    response = walker.nav("change-home")
    assert "Question 9 of 10" in response.content.decode()
    assert response.context["form"].initial == {"answer": "home-supportive"}
    walker.answer("no-stable-home")
    response = walker.answer("daily-life-ok")
    assert response.context["screen"] == "result"
    assert response.context["suggestion"].levels == ["residential", "sober-living"]


def test_back_from_first_question_returns_to_intro(walker):
    walker.start()
    response = walker.nav("back")
    assert response.context["screen"] == "intro"


@pytest.mark.parametrize("data", [{"nav": "start"}, {"nav": "start", "audience": "robot"}])
def test_start_without_audience_is_a_clear_error(walker, data):
    response = walker.post(data)  # a browser sends no audience when none is chosen
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert '<a href="#id_audience_0">Choose who the guide is for.</a>' in html


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-signed-value",
    ],
)
def test_bad_state_is_rejected_with_400(walker, token):
    response = walker.post({"state": token, "answer": "safe-now"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "We could not continue the guide" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_tampered_state_is_rejected_with_400(walker):
    walker.start()
    walker.answer("safe-now")
    token = walker.state
    value, signature = token.rsplit(":", 1)
    forged = value + ":" + ("A" if signature[0] != "A" else "B") + signature[1:]
    response = walker.post({"state": forged, "answer": ["opioids"]})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Your answers could not be read" in response.content.decode()


def test_signed_state_with_answers_not_in_the_guide_is_rejected(walker, guide_page):
    """Even a correctly signed state is checked against the guide: an answer
    skipped past the safety question, or an unknown one, is refused."""
    for state in [
        GuideState(audience="myself", step=2, answers={"substances": ["opioids"]}),
        GuideState(audience="myself", step=1, answers={"danger-now": ["overdose-signs"]}),
        GuideState(audience="myself", step=1, answers={"danger-now": ["made-up"]}),
        GuideState(audience="robot", step=0, answers={}),
        GuideState(audience="myself", step=99, answers={}),
    ]:
        response = walker.post({"state": state_dump(page=guide_page, state=state), "nav": "stay"})
        assert response.status_code == HTTPStatus.BAD_REQUEST, state


def test_change_to_an_unreached_question_is_rejected(walker):
    walker.start()
    response = walker.nav("change-home")
    assert response.status_code == HTTPStatus.BAD_REQUEST


CANARY = "Canary-Zebra-4471"


@pytest.fixture
def canary_page(guide_page):
    """The guide with a canary answer, to follow where answers go."""
    questions = guide_page.questions.raw_data
    questions[1]["value"]["options"][0]["value"]["label"] = CANARY
    guide_page.questions = questions
    guide_page.save_revision().publish()
    guide_page.refresh_from_db()
    return guide_page


def test_answers_never_stored_logged_or_in_urls(client, canary_page, caplog):
    from .conftest import Walker

    walker = Walker(client, canary_page)
    caplog.set_level(logging.DEBUG)
    urls = []
    with CaptureQueriesContext(connection) as queries:
        walker.start()
        walker.answer("safe-now")
        walker.answer("opioids")  # the canary answer
        for question in canary_page.guide.questions[2:]:
            walker.answer(*CALM[question.code])
            urls.append(walker.response.get("Location", ""))
    result = walker.response
    assert result.context["screen"] == "result"
    assert CANARY in result.content.decode()  # shown back to the visitor only
    sql = [query["sql"] for query in queries.captured_queries]
    writes = [statement for statement in sql if re.match(r"\s*(INSERT|UPDATE|DELETE)", statement, re.I)]
    assert writes == []
    assert Session.objects.count() == 0
    assert "sessionid" not in result.cookies
    assert CANARY not in caplog.text and "opioids" not in caplog.text
    for url in [*urls, result.context["search_url"]]:
        assert CANARY not in url and "opioids" not in url and "safe-now" not in url
    hrefs = re.findall(r'href="([^"]*)"', result.content.decode())
    assert not [href for href in hrefs if CANARY in href or "answer" in href]
    assert all(m == "post" for m in re.findall(r'<form method="(\w+)"', result.content.decode()))


def test_review_preview_lists_every_question_and_rule(guide_page):
    response = guide_page.make_preview_request(preview_mode="review")
    html = response.rendered_content if hasattr(response, "rendered_content") else response.content.decode()
    for question in guide_page.guide.questions:
        assert question.text in html.replace("&#x27;", "'")
    for rule in guide_page.guide.rules:
        assert rule.name in html
    assert "Urgent: stops the guide." in html
    assert "Suggests Detoxification" in html or "Suggests Detox" in html


def test_answers_are_masked_in_error_reports(rf, guide_page):
    from django.views.debug import SafeExceptionReporterFilter

    request = rf.post(guide_page.url, {"audience": "myself", "answer": CANARY, "nav": "start"})
    request.user = None
    guide_page.serve(request)
    masked = SafeExceptionReporterFilter().get_post_parameters(request)
    assert masked["answer"] == masked["audience"] == SafeExceptionReporterFilter.cleansed_substitute
