"""The admin upload's forms: the file and its options, and the column
mapping (repeatable "file column -> our field" rows)."""

from django import forms
from django.conf import settings

from .jobs import FORMAT_CHOICES, MAPPING_TARGETS

EMPTY = [("", "---------")]


class ImportOptionsForm(forms.Form):
    format = forms.ChoiceField(
        choices=[("", "Detect from the file"), *FORMAT_CHOICES],
        required=False,
        help_text="Leave it to the importer unless it picked the wrong one.",
    )
    as_of = forms.DateField(
        label="Data date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date the source published this data. Leave empty to use the date the file gives, "
        "or else the day of the upload.",
    )


class UploadForm(ImportOptionsForm):
    file = forms.FileField(label="Facility file")
    check_first = forms.BooleanField(
        label="Check it with a dry run first (recommended)",
        required=False,
        initial=True,
        help_text="The dry run counts what would be created, merged and changed and writes nothing; "
        "you then apply it. Unticked, the file is imported at once.",
    )

    field_order = ["file", "format", "as_of", "check_first"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "CSV, tab-separated text, JSON, Excel .xlsx or an HTML table; "
            f"at most {settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB} MB."
        )


class ColumnMappingForm(forms.Form):
    """One row: this column of the file is this field. With the file's
    columns known the column is a choice among them, else typed."""

    def __init__(self, *args, columns=None, **kwargs):
        super().__init__(*args, **kwargs)
        if columns:
            self.fields["source"] = forms.ChoiceField(
                label="File column", choices=EMPTY + [(c, c) for c in columns], required=False
            )
        else:
            self.fields["source"] = forms.CharField(label="File column", max_length=200, required=False)
        self.fields["field"] = forms.ChoiceField(
            label="Read as", choices=EMPTY + MAPPING_TARGETS, required=False
        )

    def clean(self):
        data = super().clean()
        source, field = (data.get("source") or "").strip(), data.get("field") or ""
        if bool(source) != bool(field):
            raise forms.ValidationError("Give both the file's column and the field it holds, or neither.")
        data["source"] = source
        return data


class BaseMappingFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        sources, fields = set(), set()
        for form in self.forms:
            source, field = form.cleaned_data.get("source"), form.cleaned_data.get("field")
            if not source:
                continue
            if source in sources:
                raise forms.ValidationError(f"The column {source!r} is mapped twice.")
            if field in fields:
                raise forms.ValidationError(f"Two columns are mapped to {dict(MAPPING_TARGETS)[field]!r}.")
            sources.add(source)
            fields.add(field)

    def mapping(self) -> dict:
        return {
            form.cleaned_data["source"]: form.cleaned_data["field"]
            for form in self.forms
            if form.cleaned_data.get("source")
        }


MappingFormSet = forms.formset_factory(
    ColumnMappingForm, formset=BaseMappingFormSet, extra=2, max_num=40, validate_max=True
)


def mapping_formset(data=None, *, columns=None, mapping=None) -> BaseMappingFormSet:
    """The mapping rows: the job's current mapping, then two empty rows."""
    mapping = mapping or {}
    choices = [*(columns or []), *(source for source in mapping if source not in (columns or []))]
    initial = [{"source": source, "field": field} for source, field in mapping.items()]
    return MappingFormSet(data, prefix="columns", initial=initial, form_kwargs={"columns": choices})
