from django import forms

from .state import AUDIENCES


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(
        choices=list(AUDIENCES.items()),
        error_messages={
            "required": "Choose who the guide is for.",
            "invalid_choice": "Choose who the guide is for.",
        },
    )


class AnswerForm(forms.Form):
    """One question's answer, checked against that question's options."""

    def __init__(self, *args, question, audience, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(option.code, option.label) for option in question.options]
        messages = {
            "required": (
                "Choose at least one answer to continue."
                if question.multiple
                else "Choose an answer to continue."
            ),
            "invalid_choice": "Choose one of the answers shown.",
            "invalid_list": "Choose one of the answers shown.",
        }
        field_class, widget = (
            (forms.MultipleChoiceField, forms.CheckboxSelectMultiple)
            if question.multiple
            else (forms.ChoiceField, forms.RadioSelect)
        )
        self.fields["answer"] = field_class(
            label=question.wording(audience),
            help_text=question.explanation,
            choices=choices,
            widget=widget,
            error_messages=messages,
        )

    def chosen(self):
        value = self.cleaned_data["answer"]
        return list(value) if isinstance(value, list) else [value]
