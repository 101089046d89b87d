"""The guide as plain data, and the rules that turn a set of answers into a
suggestion. Pure functions: no request, no database, nothing remembered."""

from dataclasses import dataclass, field

from content.find_treatment import CARE, MEDICATION

from .blocks import split_codes


@dataclass(frozen=True)
class Option:
    code: str
    label: str
    urgent: bool = False
    urgent_reason: str = ""
    # Substances (the directory's "Detox for" slugs) this answer says the
    # person uses now: what the safety rules (CONTRAINDICATIONS) read.
    uses_now: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    text_someone: str = ""
    explanation: str = ""
    multiple: bool = False
    options: tuple[Option, ...] = ()

    def wording(self, audience):
        return self.text_someone if audience == "someone" and self.text_someone else self.text

    def option(self, code):
        return next((option for option in self.options if option.code == code), None)


@dataclass(frozen=True)
class Rule:
    kind: str  # "care_rule" or "medication_rule"
    name: str
    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    why: str = ""
    involves: str = ""
    medications: tuple[str, ...] = ()
    filter_search: bool = True
    text: str = ""

    @property
    def codes(self):
        return (*self.all_of, *self.any_of, *self.none_of)

    def matches(self, chosen):
        """All of `all_of` chosen, at least one of `any_of` when it has any,
        and none of `none_of`."""
        return (
            set(self.all_of) <= chosen
            and (not self.any_of or bool(set(self.any_of) & chosen))
            and not set(self.none_of) & chosen
        )


@dataclass(frozen=True)
class Contraindication:
    """A medication never suggested, shown or searched for someone who uses
    a substance now, whatever the editable rules say (domain reference:
    "Safety rules a care guide must keep")."""

    medication: str  # a medication slug
    substance: str  # a "Detox for" slug, as in Option.uses_now
    reason: str


CONTRAINDICATIONS = (
    Contraindication(
        "naltrexone",
        "opioids",
        "Naltrexone is not a choice while opioids are being used: it needs 7 to 10 days without any "
        "opioid first, or it brings on sudden, severe withdrawal. Ask about it once opioids have stopped.",
    ),
)


@dataclass(frozen=True)
class Suggestion:
    care_rule: Rule | None
    medication_rules: tuple[Rule, ...] = ()
    ruled_out: tuple[Contraindication, ...] = ()

    @property
    def levels(self):
        return list(self.care_rule.levels) if self.care_rule else []

    @property
    def ruled_out_medications(self):
        return {c.medication for c in self.ruled_out}

    @property
    def medications(self):
        return list(
            dict.fromkeys(
                m
                for rule in self.medication_rules
                for m in rule.medications
                if m not in self.ruled_out_medications
            )
        )

    @property
    def search_medications(self):
        return list(
            dict.fromkeys(
                m
                for rule in self.medication_rules
                if rule.filter_search
                for m in rule.medications
                if m not in self.ruled_out_medications
            )
        )

    @property
    def search_filters(self):
        """The directory search's own parameters (directory/vocabularies.py)."""
        filters = {CARE.param: self.levels}
        if self.search_medications:
            filters[MEDICATION.param] = self.search_medications
        return filters


@dataclass(frozen=True)
class Guide:
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...] = field(default=())

    @property
    def care_rules(self):
        return [rule for rule in self.rules if rule.kind == "care_rule"]

    @property
    def medication_rules(self):
        return [rule for rule in self.rules if rule.kind == "medication_rule"]

    def question_index(self, code):
        return next((i for i, question in enumerate(self.questions) if question.code == code), None)


def guide_from_streams(questions, rules):
    """A Guide from a GuidePage's `questions` and `rules` StreamField values."""
    return Guide(
        questions=tuple(
            Question(
                code=block.value["code"],
                text=block.value["text"],
                text_someone=block.value.get("text_someone") or "",
                explanation=block.value.get("explanation") or "",
                multiple=bool(block.value.get("multiple")),
                options=tuple(
                    Option(
                        code=option["code"],
                        label=option["label"],
                        urgent=bool(option.get("urgent")),
                        urgent_reason=option.get("urgent_reason") or "",
                        uses_now=tuple(option.get("uses_now") or ()),
                    )
                    for option in block.value["options"]
                ),
            )
            for block in questions
        ),
        rules=tuple(rule_from_block(block) for block in rules),
    )


def rule_from_block(block):
    value = block.value
    common = {
        "kind": block.block_type,
        "name": value["name"],
        "all_of": tuple(split_codes(value.get("all_of"))),
        "any_of": tuple(split_codes(value.get("any_of"))),
        "none_of": tuple(split_codes(value.get("none_of"))),
    }
    if block.block_type == "care_rule":
        return Rule(**common, levels=tuple(value["levels"]), why=value["why"], involves=value["involves"])
    return Rule(
        **common,
        medications=tuple(value["medications"]),
        filter_search=bool(value.get("filter_search")),
        text=value["text"],
    )


def chosen_codes(answers):
    """Every answer code chosen, from {question code: [answer codes]}."""
    return {code for codes in answers.values() for code in codes}


def urgent_options(guide, answers):
    """The urgent answers among these: any one stops the guide."""
    found = []
    for question in guide.questions:
        for code in answers.get(question.code, []):
            option = question.option(code)
            if option and option.urgent:
                found.append(option)
    return found


def substances_used_now(guide, answers):
    """The substances the chosen answers say are used now (Option.uses_now)."""
    found = set()
    for question in guide.questions:
        for code in answers.get(question.code, []):
            option = question.option(code)
            if option:
                found.update(option.uses_now)
    return found


def suggest(guide, answers):
    """The first care rule whose conditions the answers meet, every
    medication rule they meet, and the medications these answers rule out
    (never shown as an option, never in the search)."""
    chosen = chosen_codes(answers)
    care_rule = next((rule for rule in guide.care_rules if rule.matches(chosen)), None)
    medication_rules = tuple(rule for rule in guide.medication_rules if rule.matches(chosen))
    using = substances_used_now(guide, answers)
    ruled_out = tuple(c for c in CONTRAINDICATIONS if c.substance in using)
    return Suggestion(care_rule=care_rule, medication_rules=medication_rules, ruled_out=ruled_out)


def problems(guide):
    """What would make this guide unsafe or unable to answer, in plain
    words for the editor; empty when it is sound."""
    found = []
    if not guide.questions:
        return ["Add at least one question."]
    question_codes = [q.code for q in guide.questions]
    option_codes = [o.code for q in guide.questions for o in q.options]
    codes = question_codes + option_codes
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        found.append(f"The code “{code}” is used more than once: each question and answer needs its own.")
    if not any(option.urgent for option in guide.questions[0].options):
        found.append(
            "The first question must screen for danger now: mark at least one of its answers as urgent."
        )
    known = set(option_codes)
    for rule in guide.rules:
        unknown = [code for code in rule.codes if code not in known]
        if unknown:
            found.append(f"Rule “{rule.name}” uses answer codes that no question has: {', '.join(unknown)}.")
    care_rules = guide.care_rules
    if not care_rules or care_rules[-1].codes:
        found.append("The last care rule must have no conditions, so every set of answers gets a suggestion.")
    found.extend(contraindication_problems(guide))
    return found


def contraindication_problems(guide):
    """A medication rule must not offer a medication to someone whose answers
    rule it out (naltrexone while using opioids): the rule must leave out, with
    "unless", every answer marked as using that substance now."""
    found = []
    for contraindication in CONTRAINDICATIONS:
        rules = [rule for rule in guide.medication_rules if contraindication.medication in rule.medications]
        if not rules:
            continue
        users = [
            option.code
            for question in guide.questions
            for option in question.options
            if contraindication.substance in option.uses_now
        ]
        if not users:
            found.append(
                f"Rules name {contraindication.medication}, but no answer is marked as meaning "
                f"{contraindication.substance} are used now, so the guide cannot keep it from people "
                f"using {contraindication.substance}. Mark those answers."
            )
            continue
        for rule in rules:
            missing = [code for code in users if code not in rule.none_of]
            if missing:
                found.append(
                    f"Rule “{rule.name}” would offer {contraindication.medication} to someone using "
                    f"{contraindication.substance} now ({', '.join(missing)}): add "
                    f"{', '.join(missing)} to its “unless” answers. {contraindication.reason}"
                )
    return found
