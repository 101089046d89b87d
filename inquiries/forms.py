"""The inquiry form: only what a program needs to answer, errors in plain
language, and two quiet checks against bots (a honeypot field and a signed
minimum fill time) that never bother a person."""

import re
import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing

from config import phones

from .models import Inquiry

SIGNING_SALT = "findcare.inquiry-form"
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE_MAX = 1000


class Rejected(Exception):
    """A submission we do not store (bot-like); `reason` is counted."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def new_form_token(now=None) -> str:
    """A one-time key (makes repeated submits one inquiry) with the time the
    form was shown, signed so neither can be forged."""
    return signing.dumps({"k": secrets.token_urlsafe(24), "t": int(now or time.time())}, salt=SIGNING_SALT)


def read_form_token(value: str) -> dict | None:
    try:
        payload = signing.loads(value, salt=SIGNING_SALT, max_age=settings.INQUIRY_FORM_MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), str):
        return None
    return payload


class InquiryForm(forms.Form):
    name = forms.CharField(
        label="Your name",
        max_length=80,
        help_text="Your first name or initials is enough.",
        error_messages={"required": "Enter a name the program can call you by (initials are fine)."},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com."},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label="Phone number",
        required=False,
        max_length=30,
        help_text="A US number, for example 212-555-0123.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    contact_method = forms.ChoiceField(
        label="How should the program contact you?",
        choices=Inquiry.ContactMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how the program should contact you."},
    )
    best_time = forms.ChoiceField(
        label="Best time to reach you",
        choices=Inquiry.BestTime.choices,
        initial=Inquiry.BestTime.ANY,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the best time to reach you."},
    )
    for_whom = forms.ChoiceField(
        label="Who is the help for?",
        choices=Inquiry.ForWhom.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the help is for."},
    )
    message = forms.CharField(
        label="Message (optional)",
        required=False,
        max_length=MESSAGE_MAX,
        help_text=f"Anything the program should know before contacting you (up to {MESSAGE_MAX} characters).",
        error_messages={"max_length": f"Shorten your message to {MESSAGE_MAX} characters or fewer."},
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MESSAGE_MAX}),
    )
    send_confirmation = forms.BooleanField(
        label="Email me a confirmation with a reference number (it will not repeat your message)",
        required=False,
    )
    consent = forms.BooleanField(
        required=True,
        error_messages={"required": "Tick the box to agree, so we can send your inquiry to the program."},
    )
    # Honeypot: hidden from people (and from screen readers), filled by bots.
    fax_extension = forms.CharField(required=False, label="Leave this empty")
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["consent"].label = (
            f"I agree that FindCare sends my name, contact details, preferences and message to "
            f"{program.name}, so they can contact me about treatment."
        )
        if not self.is_bound:
            self.initial["form_token"] = new_form_token()
        self.token_payload = None
        self.rejected_reason = None

    def clean_name(self):
        return CONTROL_CHARS.sub("", self.cleaned_data["name"]).strip()

    def clean_phone(self):
        """The project's one phone rule (config.phones): "(212) 555-0123" or a form error."""
        return phones.clean_phone_input(self.cleaned_data["phone"])

    def clean_message(self):
        return CONTROL_CHARS.sub("", self.cleaned_data["message"]).strip()

    def clean(self):
        data = super().clean()
        self._check_token()
        email, phone, method = data.get("email"), data.get("phone"), data.get("contact_method")
        if "email" not in self.errors and "phone" not in self.errors:
            if not email and not phone:
                self.add_error("email", "Enter an email address or a phone number, so the program can reply.")
            elif method == Inquiry.ContactMethod.EMAIL and not email:
                self.add_error("email", "Enter an email address, or choose to be contacted by phone.")
            elif method in (Inquiry.ContactMethod.PHONE, Inquiry.ContactMethod.TEXT) and not phone:
                self.add_error("phone", "Enter a phone number, or choose to be contacted by email.")
        if data.get("send_confirmation") and not email and "email" not in self.errors:
            self.add_error("email", "Enter an email address for the confirmation, or untick that box.")
        return data

    def _check_token(self):
        if self.data.get("fax_extension"):
            raise Rejected("honeypot")
        payload = read_form_token(self.data.get("form_token", ""))
        if payload is None:
            self.rejected_reason = "bad_token"
            self.data = self.data.copy()
            self.data["form_token"] = new_form_token()
            raise forms.ValidationError(
                "This form was open too long (or came from somewhere else). Check your answers and send "
                "it again.",
                code="expired",
            )
        self.token_payload = payload
        if time.time() - payload["t"] < settings.INQUIRY_MIN_FILL_SECONDS:
            # Probably a bot; a person who is really that quick just sends again.
            self.rejected_reason = "too_fast"
            raise forms.ValidationError(
                "That was quicker than we expected. Check your answers and send the form again.",
                code="too_fast",
            )

    @property
    def idempotency_key(self) -> str:
        return self.token_payload["k"]

    def inquiry_data(self) -> dict:
        fields = ["name", "email", "phone", "message", "contact_method", "best_time", "for_whom"]
        return {field: self.cleaned_data[field] for field in fields} | {
            "send_confirmation": self.cleaned_data["send_confirmation"]
        }
