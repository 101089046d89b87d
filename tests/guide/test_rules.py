# ruff: noqa: E501 (guide prose reads better unwrapped than split mid-sentence)
"""The demo guide's mapping from answers to care, rule by rule and as a
reviewed table of answer sets (answer_sets.tsv), plus the checks that keep
an edited guide sound."""

import csv
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict

from directory.search.filterset import ProgramFilter
from guide.rules import Guide, Option, Question, Rule, problems, suggest, urgent_options
from tools.demo import guide_content as demo_guide
from tools.demo.guide import build_guide_page

TABLE = Path(__file__).with_name("answer_sets.tsv")


def load_table():
    lines = [line for line in TABLE.read_text().splitlines() if line and not line.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for row in rows:
        answers = {"danger-now": ["safe-now"]}
        for part in row["answers"].split(";"):
            question, codes = part.split("=")
            answers[question] = codes.split(",")
        row["answers"] = answers
        for column in ("care", "search_medications", "medications"):
            row[column] = [] if row[column] == "-" else row[column].split(",")
    return rows


@pytest.fixture
def guide(db):
    return build_guide_page().guide


def answers_for(guide, **chosen):
    """A complete, harmless answer set with some answers replaced."""
    base = {
        "danger-now": ["safe-now"],
        "substances": ["other-substance"],
        "how-often": ["occasional"],
        "withdrawal": ["withdrawal-none"],
        "physical-health": ["health-ok"],
        "mental-health": ["mental-health-ok"],
        "readiness": ["ready"],
        "past-attempts": ["first-time"],
        "home": ["home-supportive"],
        "daily-life": ["daily-life-ok"],
    }
    assert set(base) == {q.code for q in guide.questions}
    base.update({key.replace("_", "-"): value for key, value in chosen.items()})
    return base


@pytest.mark.parametrize("row", load_table(), ids=lambda row: row["name"])
def test_answer_set_table(guide, row):
    assert set(row["answers"]) == {q.code for q in guide.questions}, "each set answers every question"
    suggestion = suggest(guide, row["answers"])
    assert suggestion.levels == row["care"]
    assert suggestion.search_medications == row["search_medications"]
    assert suggestion.medications == row["medications"]


def test_table_covers_every_rule(guide):
    used = set()
    for row in load_table():
        suggestion = suggest(guide, row["answers"])
        used.add(suggestion.care_rule.name)
        used.update(rule.name for rule in suggestion.medication_rules)
    assert used == {rule.name for rule in guide.rules}


@pytest.mark.parametrize(
    ("chosen", "rule_name", "levels"),
    [
        ({"withdrawal": ["withdrawal-severe"]}, "Dangerous withdrawal", ["detox", "inpatient"]),
        ({"substances": ["alcohol"], "how_often": ["daily"]}, "Daily alcohol or sedatives", ["detox", "inpatient"]),
        ({"substances": ["benzodiazepines"], "how_often": ["daily"]}, "Daily alcohol or sedatives", ["detox", "inpatient"]),
        ({"physical_health": ["pregnant"]}, "Medical or mental health needs", ["inpatient", "residential"]),
        ({"physical_health": ["serious-illness"]}, "Medical or mental health needs", ["inpatient", "residential"]),
        ({"mental_health": ["mental-health-severe"]}, "Medical or mental health needs", ["inpatient", "residential"]),
        ({"home": ["home-difficult"]}, "Home is not a safe base", ["residential", "sober-living"]),
        ({"home": ["no-stable-home"]}, "Home is not a safe base", ["residential", "sober-living"]),
        ({"past_attempts": ["returned-quickly"]}, "Needs more structure", ["partial-hospitalization", "intensive-outpatient"]),
        ({"daily_life": ["needs-structure"]}, "Needs more structure", ["partial-hospitalization", "intensive-outpatient"]),
        ({}, "Everyone else", ["outpatient", "intensive-outpatient"]),
    ],
)  # fmt: skip
def test_each_care_rule(guide, chosen, rule_name, levels):
    suggestion = suggest(guide, answers_for(guide, **chosen))
    assert suggestion.care_rule.name == rule_name
    assert suggestion.levels == levels


def test_daily_rule_needs_both_conditions(guide):
    # all_of alone (daily, no alcohol or sedatives) or any_of alone (weekly alcohol) is not enough.
    assert suggest(guide, answers_for(guide, how_often=["daily"])).care_rule.name == "Everyone else"
    assert suggest(guide, answers_for(guide, substances=["alcohol"])).care_rule.name == "Everyone else"


def test_opioids_bring_medications_into_the_search(guide):
    suggestion = suggest(guide, answers_for(guide, substances=["opioids", "stimulants"]))
    assert [rule.name for rule in suggestion.medication_rules] == ["Opioid use"]
    assert suggestion.search_filters == {
        "care": ["outpatient", "intensive-outpatient"],
        "medication": ["methadone", "buprenorphine", "naltrexone"],
    }


def test_alcohol_medication_is_named_but_does_not_narrow_the_search(guide):
    suggestion = suggest(guide, answers_for(guide, substances=["alcohol"]))
    assert suggestion.medications == ["naltrexone"]
    assert "medication" not in suggestion.search_filters


def test_no_medication_rule_without_opioids_or_alcohol(guide):
    assert suggest(guide, answers_for(guide)).medication_rules == ()


@pytest.mark.parametrize(
    "code", ["overdose-signs", "suicide-thoughts", "severe-withdrawal", "alcohol-benzo-withdrawal"]
)
def test_every_danger_answer_is_urgent_with_a_reason(guide, code):
    (option,) = urgent_options(guide, {"danger-now": [code]})
    assert option.code == code and option.urgent_reason


def test_the_first_question_screens_for_danger(guide):
    first = guide.questions[0]
    assert first.code == "danger-now"
    assert [o.code for o in first.options if not o.urgent] == ["safe-now"]
    assert urgent_options(guide, {"danger-now": ["safe-now"]}) == []


def test_demo_guide_length_and_audiences(guide):
    assert 8 <= len(guide.questions) <= 12
    assert all(q.wording("someone") != q.wording("myself") for q in guide.questions)


@pytest.mark.django_db
def test_search_filters_are_the_directory_vocabulary(guide):
    """Every level and medication a rule names is a slug /find/ accepts under
    the parameter the suggestion uses: none would be dropped as unknown."""
    for rule in guide.rules:
        data = QueryDict(mutable=True)
        data.setlist("care", list(rule.levels))
        data.setlist("medication", list(rule.medications))
        filterset = ProgramFilter(data)
        assert filterset.is_valid()
        assert filterset.form.notices == [], rule.name
        assert filterset.form.cleaned_data["care"] == list(rule.levels)
        assert filterset.form.cleaned_data["medication"] == list(rule.medications)


def small_guide(**changes):
    questions = changes.pop(
        "questions",
        (
            Question(
                code="now",
                text="Now?",
                options=(Option("danger", "Danger", True, "Why"), Option("fine", "Fine")),
            ),
        ),
    )
    rules = changes.pop("rules", (Rule(kind="care_rule", name="Default", levels=("outpatient",)),))
    return Guide(questions=questions, rules=rules)


def test_problems_empty_for_a_sound_guide():
    assert problems(small_guide()) == []


def test_problem_first_question_without_urgent_answer():
    guide = small_guide(
        questions=(Question(code="q", text="Q?", options=(Option("a", "A"), Option("b", "B"))),)
    )
    assert problems(guide) == [
        "The first question must screen for danger now: mark at least one of its answers as urgent."
    ]


def test_problem_unknown_code_and_no_fallback():
    guide = small_guide(
        rules=(Rule(kind="care_rule", name="Typo", any_of=("fien",), levels=("outpatient",)),)
    )
    assert problems(guide) == [
        "Rule “Typo” uses answer codes that no question has: fien.",
        "The last care rule must have no conditions, so every set of answers gets a suggestion.",
    ]


def test_problem_duplicate_code():
    question = Question(
        code="now", text="Now?", options=(Option("now", "Danger", True, "Why"), Option("b", "B"))
    )
    assert problems(small_guide(questions=(question,))) == [
        "The code “now” is used more than once: each question and answer needs its own."
    ]


@pytest.mark.django_db
def test_page_clean_reports_problems():
    page = build_guide_page(rules="[]")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert error.value.messages == [
        "The last care rule must have no conditions, so every set of answers gets a suggestion."
    ]


def test_demo_texts_are_ours():
    # Plain-language: every question has a reason shown under it.
    assert all(explanation for _, _, _, explanation, _, _ in demo_guide.QUESTIONS)
