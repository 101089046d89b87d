"""StreamField blocks editors use to write a guide: questions with their
answer options, and the rules that turn answers into a suggestion."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from wagtail import blocks

from content import find_treatment

CHECKBOXES = forms.CheckboxSelectMultiple
CODE_HELP = "A short code of lower-case letters, digits and dashes, unique in this guide, e.g. daily-alcohol."
CODES_HELP = "Answer codes separated by commas, e.g. alcohol, benzodiazepines. Leave empty for none."


def split_codes(text):
    """The answer codes in a rule's comma-separated list."""
    return [code.strip() for code in (text or "").split(",") if code.strip()]


class AnswerOptionBlock(blocks.StructBlock):
    code = blocks.CharBlock(max_length=40, validators=[validate_slug], help_text=CODE_HELP)
    label = blocks.CharBlock(max_length=200, help_text="The answer as the visitor reads it.")
    urgent = blocks.BooleanBlock(
        required=False, help_text="A danger right now: choosing it stops the guide and shows emergency help."
    )
    urgent_reason = blocks.TextBlock(
        required=False, help_text="For urgent answers: why this needs help now, in one or two sentences."
    )
    uses_now = blocks.MultipleChoiceBlock(
        choices=find_treatment.detox_substance_choices,
        widget=CHECKBOXES,
        required=False,
        label="Choosing this answer means the person uses now",
        help_text=(
            "For the safety rules: a medication that is unsafe with a substance used now (naltrexone "
            "with opioids) is never suggested or searched for when such an answer is chosen."
        ),
    )

    class Meta:
        icon = "radio-full"
        label = "Answer"

    def clean(self, value):
        value = super().clean(value)
        if value["urgent"] and not value["urgent_reason"].strip():
            raise blocks.StructBlockValidationError(
                {"urgent_reason": ValidationError("Say why this answer needs help now.", code="required")}
            )
        return value


class QuestionBlock(blocks.StructBlock):
    code = blocks.CharBlock(max_length=40, validators=[validate_slug], help_text=CODE_HELP)
    text = blocks.CharBlock(max_length=200, help_text="Asked of someone answering for themselves.")
    text_someone = blocks.CharBlock(
        max_length=200,
        required=False,
        label="Text for someone else",
        help_text="The question asked of a family member or friend. Leave empty to reuse the text above.",
    )
    explanation = blocks.TextBlock(required=False, help_text="Why we ask, shown under the question.")
    multiple = blocks.BooleanBlock(required=False, help_text="Allow more than one answer (checkboxes).")
    options = blocks.ListBlock(AnswerOptionBlock(), min_num=2, label="Answers")

    class Meta:
        icon = "help"
        label = "Question"


class RuleConditionsBlock(blocks.StructBlock):
    name = blocks.CharBlock(max_length=80, help_text="For editors and reviewers, e.g. Dangerous withdrawal.")
    all_of = blocks.CharBlock(
        required=False, label="When all of these answers are chosen", help_text=CODES_HELP
    )
    any_of = blocks.CharBlock(
        required=False, label="And at least one of these answers is chosen", help_text=CODES_HELP
    )
    none_of = blocks.CharBlock(
        required=False, label="Unless one of these answers is chosen", help_text=CODES_HELP
    )


class CareRuleBlock(RuleConditionsBlock):
    levels = blocks.MultipleChoiceBlock(
        choices=find_treatment.level_of_care_choices,
        widget=CHECKBOXES,
        label="Suggest these levels of care",
        help_text="One, or two or three when any of them is a reasonable start (the search finds any).",
    )
    why = blocks.TextBlock(
        help_text="Why these answers point to this care, in plain words: the result always shows it."
    )
    involves = blocks.TextBlock(help_text="What this care involves day to day.")

    class Meta:
        icon = "pick"
        label = "Care rule"

    def clean(self, value):
        value = super().clean(value)
        if not 1 <= len(value["levels"]) <= 3:
            raise blocks.StructBlockValidationError(
                {"levels": ValidationError("Choose one, two or three levels of care.", code="levels")}
            )
        return value


class MedicationRuleBlock(RuleConditionsBlock):
    medications = blocks.MultipleChoiceBlock(
        choices=find_treatment.medication_choices, widget=CHECKBOXES, label="Medications that apply"
    )
    filter_search = blocks.BooleanBlock(
        required=False,
        default=True,
        label="Add these medications to the search",
        help_text="Only programs offering one of them will be shown.",
    )
    text = blocks.TextBlock(help_text="What the visitor should know about these medications.")

    class Meta:
        icon = "plus-inverse"
        label = "Medication rule"


class RulesBlock(blocks.StreamBlock):
    care_rule = CareRuleBlock()
    medication_rule = MedicationRuleBlock()


class QuestionsBlock(blocks.StreamBlock):
    question = QuestionBlock()
