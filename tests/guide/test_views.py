"""The guide's screens through the test client: flow, safety stop, back and
change, errors, and privacy (nothing stored, logged, cached or in a URL)."""

import base64
import json
import logging
import re
import time
from http import HTTPStatus
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guide.state import MAX_AGE_SECONDS, GuideState, _fernet, result_dump, state_dump

from .test_rules import SUGGESTION_ROWS

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
CALM_ANSWERS = CALM


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
    response = walker.complete(CALM, place="37203", payment=["medicaid"])
    assert response.context["screen"] == "result"
    html = response.content.decode()
    assert (
        "A place to start: Detox (withdrawal management), Outpatient or Opioid treatment program (OTP)"
        in html
    )
    assert "A clinician&#x27;s assessment decides" in html or "A clinician's assessment decides" in html
    url = response.context["search_url"]
    assert url == (
        "/find/?location=37203&care=detox&care=outpatient&care=opioid-treatment-program"
        "&medication=methadone&medication=buprenorphine&payment=medicaid"
    )
    assert f'href="{url.replace("&", "&amp;")}"' in html
    assert "What to ask a program" in html
    assert "Do you offer an assessment before admission" in html


def test_the_issue_scenario_is_withdrawal_management_with_medication(walker):
    """Daily heroin, clearly unwell when stopping, no emergency, home is safe:
    withdrawal management with buprenorphine or methadone, and why; naltrexone
    named as not for now and never in the search."""
    html = walker.complete(CALM, payment=["medicaid"]).content.decode().replace("&#x27;", "'")
    assert "Nothing in your answers points to" not in html
    suggestion = walker.response.context["suggestion"]
    assert suggestion.care_rule.why in html
    assert "withdrawal management" in suggestion.care_rule.why
    for rule in suggestion.medication_rules:
        assert rule.text in html
    assert (
        "Not suggested for now" in html and "Naltrexone is not a choice while opioids are being used" in html
    )
    assert "naltrexone" not in walker.response.context["search_url"]
    assert "near 37203 (Nashville, TN)" in html and "taking Medicaid" in html


def test_result_is_a_get_page_that_reloads(client, walker):
    walker.complete(CALM)
    url = walker.result_url
    assert url.startswith(walker.page.url + "?result=")
    again = client.get(url)  # reload, or Back from the search
    assert again.status_code == HTTPStatus.OK
    assert again.context["screen"] == "result"
    assert "no-store" in again["Cache-Control"]
    assert again.context["search_url"] == walker.response.context["search_url"]


def test_result_address_holds_no_readable_answer(walker):
    walker.complete(CALM)
    token = walker.result_url.split("?result=", 1)[1]
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    for word in (b"opioids", b"daily", b"withdrawal", b"37203", b"myself"):
        assert word not in raw and word.decode() not in walker.result_url


def test_place_is_required_and_read_like_the_search(walker):
    walker.start()
    for question in walker.page.guide.questions:
        walker.answer(*CALM[question.code])
    assert walker.response.context["screen"] == "place"
    state = walker.state
    response = walker.post({"state": state, "location": "", "nav": "next"})
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a ZIP code or a city and state" in html
    response = walker.post({"state": state, "location": "Nashvile, TN", "nav": "next"})
    html = response.content.decode()
    assert "Did you mean Nashville, TN?" in html
    assert 'name="use_place" value="Nashville, TN"' in html
    response = walker.post({"state": state, "location": "Nashvile, TN", "use_place": "Nashville, TN"})
    assert response.status_code == HTTPStatus.SEE_OTHER
    response = walker.post({"state": state, "location": "37203", "payment": ["bitcoin"], "nav": "next"})
    assert "Choose one of the payment options shown." in response.content.decode()


def test_change_place_from_the_result(walker):
    walker.complete(CALM, place="37203", payment=["medicaid"])
    response = walker.nav("change-place")
    assert response.context["screen"] == "place"
    assert response.context["form"].initial == {"location": "37203", "payment": ["medicaid"]}
    response = walker.choose_place("Nashville, TN", payment=[])
    assert response.context["search_url"].startswith("/find/?location=Nashville%2C+TN&care=detox")
    assert "payment" not in response.context["search_url"]


def test_tampered_or_old_result_address(client, walker):
    walker.complete(CALM)
    url = walker.result_url
    response = client.get(url[:-4] + ("AAAA" if not url.endswith("AAAA") else "BBBB"))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "We could not continue the guide" in response.content.decode()
    response = client.get(walker.page.url + "?result=")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    state = GuideState(audience="myself", step=10, answers=CALM_ANSWERS, place="37203")
    data = json.dumps(state.payload()).encode()
    old = _fernet(walker.page).encrypt_at_time(data, int(time.time()) - MAX_AGE_SECONDS - 60).decode()
    response = client.get(f"{walker.page.url}?result={old}")
    assert response.status_code == HTTPStatus.GONE
    assert "This result has expired" in response.content.decode()
    # A complete, fresh token with a missing answer is refused too.
    state.answers = {k: v for k, v in CALM_ANSWERS.items() if k != "home"}
    fresh = result_dump(page=walker.page, state=state)
    assert client.get(f"{walker.page.url}?result={fresh}").status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("row", SUGGESTION_ROWS, ids=lambda row: row["name"])
def test_answer_set_table_through_the_pages(walker, row):
    """The reviewed table (answer_sets.tsv) as a family meets it: the result
    names the levels and says why, and its search link has the place, the
    medications and none of those the answers rule out."""
    response = walker.complete(row["answers"], place="37203", payment=["medicaid"])
    assert response.context["screen"] == "result"
    html = response.content.decode().replace("&#x27;", "'")
    assert [level.slug for level in response.context["levels"]] == row["care"]
    assert response.context["suggestion"].care_rule.why in html
    query = parse_qs(urlsplit(response.context["search_url"]).query)
    assert query["location"] == ["37203"] and query["payment"] == ["medicaid"]
    assert query["care"] == row["care"]
    assert query.get("medication", []) == row["search_medications"]
    assert not set(row["never_in_search"]) & set(query.get("medication", []))


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
    assert response.context["screen"] == "place"
    assert response.context["form"].initial["location"] == "37203"
    response = walker.choose_place("37203")
    assert response.context["screen"] == "result"
    # Withdrawal reported still comes first: the place to start is withdrawal management.
    assert response.context["suggestion"].levels == ["detox", "outpatient", "opioid-treatment-program"]


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
        walker.choose_place("37203", payment=["medicaid"])
        urls.append(walker.result_url)
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


def test_an_old_form_is_start_again_not_an_expired_result(walker, guide_page, monkeypatch):
    walker.start()
    token = walker.state
    monkeypatch.setattr("guide.state.MAX_AGE_SECONDS", -1)
    response = walker.post({"state": token, "answer": "safe-now"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "We could not continue the guide" in response.content.decode()
