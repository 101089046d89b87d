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
        for column in ("care", "search_medications", "never_in_search", "medications"):
            row[column] = [] if row[column] == "-" else row[column].split(",")
    return rows


TABLE_ROWS = load_table()
SUGGESTION_ROWS = [row for row in TABLE_ROWS if row["care"] != ["urgent"]]
URGENT_ROWS = [row for row in TABLE_ROWS if row["care"] == ["urgent"]]


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


def test_table_has_the_cases_the_issue_names():
    names = {row["name"] for row in TABLE_ROWS}
    assert {
        "heroin-daily-unwell-wants-home",
        "daily-alcohol-severe-before",
        "weekly-alcohol-no-withdrawal",
    } <= names
    assert len(URGENT_ROWS) == 4


@pytest.mark.parametrize("row", SUGGESTION_ROWS, ids=lambda row: row["name"])
def test_answer_set_table(guide, row):
    assert set(row["answers"]) == {q.code for q in guide.questions}, "each set answers every question"
    assert urgent_options(guide, row["answers"]) == []
    suggestion = suggest(guide, row["answers"])
    assert suggestion.levels == row["care"]
    assert suggestion.search_medications == row["search_medications"]
    assert not set(row["never_in_search"]) & set(suggestion.search_filters.get("medication", []))
    assert suggestion.medications == row["medications"]
    assert suggestion.care_rule.name == row["rule"]
    assert suggestion.care_rule.why  # every result says why
    assert all(rule.text for rule in suggestion.medication_rules)


@pytest.mark.parametrize("row", URGENT_ROWS, ids=lambda row: row["name"])
def test_emergency_rows_stop_the_guide(guide, row):
    (option,) = urgent_options(guide, row["answers"])
    assert option.urgent_reason


def test_reported_withdrawal_always_means_withdrawal_management():
    """Every row with withdrawal reported suggests detox (or, in pregnancy,
    starting methadone or buprenorphine); no row without withdrawal does."""
    for row in SUGGESTION_ROWS:
        withdrawal = row["answers"]["withdrawal"]
        if withdrawal[0] in {"withdrawal-moderate", "withdrawal-severe"}:
            assert "detox" in row["care"] or row["rule"].startswith("Pregnant"), row["name"]
        if withdrawal == ["withdrawal-none"]:
            assert "detox" not in row["care"], row["name"]


def test_table_covers_every_rule(guide):
    used = set()
    for row in SUGGESTION_ROWS:
        suggestion = suggest(guide, row["answers"])
        used.add(suggestion.care_rule.name)
        used.update(rule.name for rule in suggestion.medication_rules)
    assert used == {rule.name for rule in guide.rules}


def test_the_issue_scenario(guide):
    """Daily heroin, clearly unwell when stopping, no emergency, wants to stay
    at home: withdrawal management with buprenorphine or methadone, never
    "nothing points to medical supervision", never naltrexone in the search."""
    suggestion = suggest(
        guide,
        answers_for(guide, substances=["opioids"], how_often=["daily"], withdrawal=["withdrawal-moderate"]),
    )
    assert "detox" in suggestion.levels
    assert suggestion.search_medications == ["methadone", "buprenorphine"]
    assert "Nothing in your answers" not in suggestion.care_rule.why
    assert "naltrexone" not in suggestion.search_filters["medication"]
    assert [c.medication for c in suggestion.ruled_out] == ["naltrexone"]


def test_daily_rule_needs_both_conditions(guide):
    # all_of alone (daily, no alcohol or sedatives) or any_of alone (weekly alcohol) is not enough.
    unknown = {"withdrawal": ["withdrawal-unknown"]}
    assert (
        suggest(guide, answers_for(guide, how_often=["daily"], **unknown)).care_rule.name == "Everyone else"
    )
    assert (
        suggest(guide, answers_for(guide, substances=["alcohol"], **unknown)).care_rule.name
        == "Everyone else"
    )


def test_opioids_bring_medications_into_the_search(guide):
    suggestion = suggest(guide, answers_for(guide, substances=["opioids", "stimulants"]))
    assert [rule.name for rule in suggestion.medication_rules] == ["Opioid use now"]
    assert suggestion.search_filters == {
        "care": ["outpatient", "intensive-outpatient"],
        "medication": ["methadone", "buprenorphine"],
    }


def test_alcohol_medication_is_named_but_does_not_narrow_the_search(guide):
    suggestion = suggest(guide, answers_for(guide, substances=["alcohol"]))
    assert suggestion.medications == ["naltrexone"]
    assert "medication" not in suggestion.search_filters


def test_alcohol_medication_rule_is_left_out_when_opioids_are_used(guide):
    suggestion = suggest(guide, answers_for(guide, substances=["alcohol", "opioids"]))
    assert [rule.name for rule in suggestion.medication_rules] == ["Opioid use now"]
    assert "naltrexone" not in suggestion.medications


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


def test_demo_guide_has_no_problems(guide):
    assert problems(guide) == []


def opioid_guide(*medication_rules, mark=True):
    question = Question(
        code="now",
        text="Now?",
        options=(
            Option("danger", "Danger", True, "Why"),
            Option("opioids", "Opioids", uses_now=("opioids",) if mark else ()),
            Option("alcohol", "Alcohol", uses_now=("alcohol",)),
        ),
    )
    rules = (Rule(kind="care_rule", name="Default", levels=("outpatient",)), *medication_rules)
    return Guide(questions=(question,), rules=rules)


def test_problem_naltrexone_in_an_opioids_now_search():
    """The old demo rule (opioids -> methadone, buprenorphine, naltrexone in
    the search) is refused: naltrexone would reach someone using opioids now."""
    unsafe = Rule(
        kind="medication_rule",
        name="Opioid use",
        any_of=("opioids",),
        medications=("methadone", "buprenorphine", "naltrexone"),
        text="Medications help.",
    )
    (message,) = problems(opioid_guide(unsafe))
    assert message.startswith(
        "Rule “Opioid use” would offer naltrexone to someone using opioids now (opioids)"
    )
    # Also a rule that never names opioids: alcohol and opioids can be chosen together.
    alcohol = Rule(kind="medication_rule", name="Alcohol", any_of=("alcohol",), medications=("naltrexone",))
    assert len(problems(opioid_guide(alcohol))) == 1
    safe = Rule(
        kind="medication_rule",
        name="Alcohol",
        any_of=("alcohol",),
        none_of=("opioids",),
        medications=("naltrexone",),
    )
    assert problems(opioid_guide(safe)) == []


def test_problem_naltrexone_without_any_answer_marked_as_opioid_use():
    rule = Rule(kind="medication_rule", name="Alcohol", any_of=("alcohol",), medications=("naltrexone",))
    (message,) = problems(opioid_guide(rule, mark=False))
    assert "no answer is marked as meaning opioids are used now" in message


def test_suggest_keeps_naltrexone_out_even_if_a_rule_names_it():
    """The safety rule holds at run time too (for a guide saved before the
    check, or changed outside the editor)."""
    unsafe = Rule(
        kind="medication_rule",
        name="Opioid use",
        any_of=("opioids",),
        medications=("buprenorphine", "naltrexone"),
        filter_search=True,
    )
    guide = opioid_guide(unsafe)
    suggestion = suggest(guide, {"now": ["opioids"]})
    assert suggestion.search_medications == ["buprenorphine"]
    assert suggestion.medications == ["buprenorphine"]
    assert [c.medication for c in suggestion.ruled_out] == ["naltrexone"]


def test_none_of_is_checked_for_unknown_codes():
    guide = small_guide(
        rules=(
            Rule(
                kind="care_rule", name="Unless", any_of=("fine",), none_of=("fien",), levels=("outpatient",)
            ),
            Rule(kind="care_rule", name="Default", levels=("outpatient",)),
        )
    )
    assert problems(guide) == ["Rule “Unless” uses answer codes that no question has: fien."]
