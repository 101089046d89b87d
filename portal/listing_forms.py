"""Forms for a center's own listing: the edit form (some fields held for
review) and one-click availability."""

from django import forms
from django.core.validators import URLValidator
from django.utils.text import capfirst

from config import phones
from directory import vocabularies
from directory.models import Population, Program

checkboxes = forms.CheckboxSelectMultiple

# Every vocabulary in the registry (directory/vocabularies.py), searchable and
# descriptive, in its order: whatever a program page shows, its center can
# edit. Adding a vocabulary there adds it here; whether a change to it waits
# for staff review is Program.REVIEWED_LINKS.
VOCABULARY_FIELDS = [vocabulary.relation for vocabulary in vocabularies.all_vocabularies()]
# The portal's words where they differ from the registry's label (which
# names a search filter: "Medication", "Detox for"); the rest use it as is.
LABELS = {
    "levels_of_care": "Levels of care",
    "medications": "Medications",
    "payment_options": "Payment accepted",
    "detox_substances": "Detox offered for",
    "genders_accepted": "Genders accepted",
    "populations": "Ages and groups served",
    "languages": "Languages",
    "accreditations": "Accreditations",
    "facility_operations": "Who runs the program",
}

EDIT_FIELDS = [
    "name",
    "alternate_name",
    "description",
    "hours",
    *VOCABULARY_FIELDS,
    "offers_telehealth",
    "phone",
    "intake_phone",
    "hotline_phone",
    "website",
    "inquiry_email",
    "street1",
    "street2",
    "city",
    "state",
    "zip_code",
    "county",
]
PHONE_FIELDS = ("phone", "intake_phone", "hotline_phone")
# Who the program serves: two vocabularies of the registry that SAMHSA keeps
# apart (who may enroll: women, men; and the ages accepted and the groups a
# program is designed for, women and men among them), asked as one question
# with three parts, so that "Women" is not asked twice in the same words.
SERVED_FIELDS = ("genders_accepted", "populations")
HELD = set(Program.REVIEWED_FIELDS) | set(Program.REVIEWED_LINKS)
# HELD in plain words, for the edit page and the message after saving
# (tests/portal/test_listing_edit.py checks every held vocabulary is named).
HELD_IN_WORDS = (
    "the name, phone numbers, website, address, inquiry address, levels of care, medications, "
    "accreditations and who runs the program"
)


class WebsiteField(forms.URLField):
    """A web page families can open: http or https with a host (Django's
    URLField also takes ftp and ftps). Typed without a scheme: https."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class ListingEditForm(forms.ModelForm):
    """Every field a center may change. Held ones are marked in the page and
    go to staff review; the rest are published when saved. The vocabularies
    are the model's many-to-many fields as checkboxes (an unknown or foreign
    value is a form error)."""

    website = WebsiteField(
        max_length=300,
        required=False,
        assume_scheme="https",
        help_text="Full address, like https://example.org/.",
        error_messages={"invalid": "Enter a full web address, like https://example.org/."},
    )

    class Meta:
        model = Program
        fields = EDIT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "hours": forms.Textarea(attrs={"rows": 3}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "intake_phone": forms.TextInput(attrs={"type": "tel"}),
            "hotline_phone": forms.TextInput(attrs={"type": "tel"}),
            "street1": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "street2": forms.TextInput(attrs={"autocomplete": "address-line2"}),
            "zip_code": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            **dict.fromkeys(VOCABULARY_FIELDS, checkboxes),
        }
        labels = {v.relation: LABELS.get(v.relation, v.label) for v in vocabularies.all_vocabularies()}
        help_texts = {
            "inquiry_email": "Where we tell you about new inquiries. Never shown on the public page.",
            "website": "Full address, like https://example.org/.",
        }
        error_messages = {
            "name": {"required": "Enter the program's name."},
            "city": {"required": "Enter the city."},
            "state": {"required": "Choose the state."},
            "zip_code": {"required": "Enter the 5-digit ZIP code."},
            "website": {"invalid": "Enter a full web address, like https://example.org/."},
            "inquiry_email": {"invalid": "Enter an email address, like intake@example.org."},
        }

    def __init__(self, *args, links=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, ids in (links or {}).items():
            if name in self.fields and not self.is_bound:
                self.initial[name] = ids
        if "genders_accepted" in self.fields:
            # "Accepts women", not "Women": the groups below name women too.
            self.fields["genders_accepted"].label_from_instance = lambda term: f"Accepts {term.name.lower()}"
        for name, field in self.fields.items():
            if name in HELD:
                note = "Checked by our staff before it appears."
                field.help_text = f"{field.help_text} {note}".strip() if field.help_text else note

    @property
    def vocabulary_fields(self):
        """The vocabularies' bound fields, in the registry's order."""
        return [self[name] for name in VOCABULARY_FIELDS]

    @property
    def vocabulary_sections(self):
        """The page's vocabulary fieldsets in the registry's order: one per
        vocabulary, but one "Who you serve" for SERVED_FIELDS (at the first
        one's place)."""
        sections = []
        for name in VOCABULARY_FIELDS:
            if name not in SERVED_FIELDS:
                sections.append({"field": self[name]})
            elif name == SERVED_FIELDS[0]:
                sections.append({"served": self.served_parts()})
        return sections

    def served_parts(self):
        """(legend, bound field, its checkboxes) for "Who you serve":
        genders accepted ("Accepts women"), then the ages and the groups of
        "Ages and groups served" (Population.kind)."""
        genders, populations = self["genders_accepted"], self["populations"]
        kind = Population.Kind
        ages = [box for box in populations if box.data["value"].instance.kind == kind.AGE]
        groups = [box for box in populations if box.data["value"].instance.kind != kind.AGE]
        return [
            ("Who may enroll", genders, list(genders)),
            ("Ages accepted", populations, ages),
            ("Has a program designed for", populations, groups),
        ]

    def clean_zip_code(self):
        value = self.cleaned_data["zip_code"].strip()
        if not (len(value) == 5 and value.isdigit()):
            raise forms.ValidationError("Enter the 5-digit ZIP code, like 10001.")
        return value

    def clean_phone(self):
        return self._clean_phone("phone")

    def clean_intake_phone(self):
        return self._clean_phone("intake_phone")

    def clean_hotline_phone(self):
        return self._clean_phone("hotline_phone")

    def _clean_phone(self, name: str) -> str:
        """The project's one phone rule (config.phones): a changed number is
        checked and stored as "(212) 555-0123 x12". A number left as the
        listing has it is not judged again, so a center can save its
        description without retyping a number staff entered."""
        value = self.cleaned_data[name]
        if value.strip() == (self.initial.get(name) or "").strip():
            return self.initial.get(name) or ""
        return phones.clean_phone_input(value)

    def _post_clean(self):
        # Validate the values only; never write to the instance (the service
        # decides what is published and what waits for review).
        pass

    def changes(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            # A number retyped in another form ("212.555.0123") is no change.
            if not (name in PHONE_FIELDS and self.cleaned_data[name] == (self.initial.get(name) or ""))
        }


class AvailabilityForm(forms.Form):
    accepting = forms.ChoiceField(
        label="Are you taking new clients?",
        choices=[
            (value, label) for value, label in Program.Accepting.choices if value != Program.Accepting.UNKNOWN
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether you are accepting new clients."},
    )
    open_beds = forms.IntegerField(
        label="Open beds",
        required=False,
        min_value=0,
        max_value=5000,
        help_text="Only if your program has beds. Leave empty otherwise.",
        error_messages={
            "invalid": "Enter the number of open beds as a whole number, like 4.",
            "min_value": "Open beds cannot be below 0.",
            "max_value": "Enter a number of open beds below 5,000.",
        },
    )


def field_label(name: str) -> str:
    """A listing field's name as the edit form shows it ("Second name / DBA",
    "Who runs the program"), for the waiting changes and the review email."""
    label = ListingEditForm.base_fields[name].label if name in ListingEditForm.base_fields else None
    return str(label or capfirst(Program._meta.get_field(name).verbose_name))


def field_labels(names) -> list[str]:
    """field_label of each name, in the edit form's order."""
    order = [name for name in ListingEditForm.base_fields if name in names]
    return [field_label(name) for name in order + [name for name in names if name not in order]]
