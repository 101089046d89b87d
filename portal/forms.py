from django import forms

from config import phones
from directory.models import PROGRAM_NAME_ORDER
from inquiries.models import Inquiry

from .models import ListingClaim, Role


class ClaimForm(forms.ModelForm):
    class Meta:
        model = ListingClaim
        fields = ["full_name", "job_title", "work_phone", "note"]
        help_texts = {
            "job_title": "For example: clinical director, intake coordinator, owner.",
            "work_phone": "We confirm claims by calling the number on the state licence or the listing, "
            "not this one; we use this number only if we need to reach you.",
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "work_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "full_name": {"required": "Enter your full name."},
            "job_title": {"required": "Enter your job title at the center."},
            "work_phone": {"required": "Enter a work phone number."},
        }

    def clean_work_phone(self):
        """The project's one phone rule (config.phones), stored as "(212) 555-0123"."""
        return phones.clean_phone_input(self.cleaned_data["work_phone"])


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Colleague's work email",
        error_messages={
            "required": "Enter your colleague's email address.",
            "invalid": "Enter a valid email address, like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        choices=Role.choices,
        initial=Role.STAFF,
        help_text="Managers can invite and remove colleagues; staff answer inquiries.",
    )


class RefuseClaimForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the claimant)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for refusing: the claimant receives it."},
    )


class InboxFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=None,
        required=False,
        empty_label="All listings",
        label="Listing",
        error_messages={"invalid_choice": "That listing is not one of this organization's."},
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        error_messages={"invalid_choice": "Choose new, contacted or closed."},
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = organization.programs.order_by(*PROGRAM_NAME_ORDER)
        self.fields["status"].choices = [("", "Any status"), *Inquiry.Status.choices]


class InquiryStatusForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose new, contacted or closed.", "required": "Choose a status."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = Inquiry.Status.choices


class InquiryNoteForm(forms.Form):
    note = forms.CharField(
        label="Private note (only your organization sees it)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Keep the note under 4,000 characters."},
    )
