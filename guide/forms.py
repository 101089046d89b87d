from django import forms

from content.find_treatment import payment_choices

from . import selectors
from .state import AUDIENCES, MAX_PLACE_LENGTH


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


class PlaceForm(forms.Form):
    """Where to look and, optionally, how care will be paid for: the last
    screen, read the way the directory search reads them (its own place
    parsing and payment vocabulary)."""

    location = forms.CharField(
        label="Where should we look?",
        help_text="A 5-digit ZIP code or a city and state, such as 37203 or Nashville, TN.",
        max_length=MAX_PLACE_LENGTH,
        error_messages={
            "required": "Enter a ZIP code or a city and state, such as 37203 or Nashville, TN.",
            "max_length": "Enter a ZIP code or a city and state of at most %(limit_value)d characters.",
        },
    )
    payment = forms.MultipleChoiceField(
        label="How will care be paid for? (optional)",
        help_text="Choose any that apply: the search then shows programs that take at least one of them.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose one of the payment options shown."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment"].choices = payment_choices()
        self.place = None
        self.place_suggestions = []

    def clean_location(self):
        text = " ".join(self.cleaned_data["location"].split())
        self.place, error, self.place_suggestions = selectors.read_place(text)
        if error:
            raise forms.ValidationError(error, code="place")
        return text
