from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context as allauth_context
from django import forms

from config import phones
from directory.models import PROGRAM_NAME_ORDER
from inquiries.models import Inquiry

from . import permissions
from .models import ListingClaim, Role
from .selectors import INVITATION_SESSION_KEY, invitation_from_token


class ClaimForm(forms.ModelForm):
    """What staff check (portal/templates/portal/admin/claim_review.html):
    the person's name and role, asked for by name when we call the number
    on the listing; their work email's domain against the listing's
    website."""

    class Meta:
        model = ListingClaim
        fields = ["full_name", "job_title", "work_email", "work_phone", "note"]
        help_texts = {
            "full_name": "We ask for you by this name when we call the center.",
            "job_title": "For example: clinical director, intake coordinator, owner. "
            "We ask the center whether you work there in this role.",
            "work_email": "Your address at the center, ideally at its own website's domain "
            "(name@yourcenter.org): we compare it with the website on the listing.",
            "work_phone": "We call the number on the listing to confirm, never this one; "
            "we use this number only if we need to reach you.",
            "note": "For example: your state licence number, or the best time to reach you at the center.",
        }
        widgets = {
            "full_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "job_title": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "work_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "work_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "full_name": {"required": "Enter your full name."},
            "job_title": {"required": "Enter your role at the center."},
            "work_email": {
                "required": "Enter your work email address.",
                "invalid": "Enter your work email address, like name@yourcenter.org.",
            },
            "work_phone": {"required": "Enter a work phone number."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_email"].required = True

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
        help_text=permissions.role_help_text(),
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        label="Role",
        error_messages={"invalid_choice": "Choose manager or staff.", "required": "Choose manager or staff."},
    )


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS["signup"]), with the address an
    open invitation was sent to filled in when this browser came through
    its link (the link is remembered in the session: portal.services). The
    address can still be changed; accepting needs that verified address."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = allauth_context.request
        token = request.session.get(INVITATION_SESSION_KEY) if request is not None else None
        invitation = invitation_from_token(token=token) if token else None
        if invitation is not None and "email" in self.fields and not self.initial.get("email"):
            self.initial["email"] = invitation.email


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
