from django import forms

from .models import ProblemReport


class ProblemReportForm(forms.ModelForm):
    class Meta:
        model = ProblemReport
        fields = ["kind", "details", "contact_email"]
        widgets = {"kind": forms.RadioSelect, "details": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}
        help_texts = {
            "details": "What should the listing say instead? Please do not include anything about "
            "your own health or anyone else's.",
            "contact_email": "Only if you are happy for our staff to ask you about this report.",
        }
        labels = {"details": "Details (optional)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is wrong, as radio buttons without Django's blank "---------"
        # choice: none is chosen until the person picks one (required).
        self.fields["kind"].choices = ProblemReport.Kind.choices
