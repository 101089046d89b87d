from django import forms
from wagtail.admin.forms import WagtailAdminPageForm


class SearchForm(forms.Form):
    q = forms.CharField(label="Search articles and programs", max_length=200, strip=True)


SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")
NO_AUTHOR_MESSAGE = "Add at least one author before submitting the article for review."


class ArticlePageForm(WagtailAdminPageForm):
    """The article editor's form: an article goes to review only with an author."""

    def clean(self):
        cleaned_data = super().clean()
        submitting = any(self.data.get(action) for action in SUBMIT_ACTIONS)
        if submitting and "authors" in self.fields and not cleaned_data.get("authors"):
            self.add_error("authors", NO_AUTHOR_MESSAGE)
        return cleaned_data

    def _post_clean(self):
        # A draft (Wagtail's "Save draft" and autosave defer required
        # fields) may leave the image description for later: autosave
        # posts between choosing an image and describing it.
        self.instance.drafting = self.is_deferred_validation
        try:
            super()._post_clean()
        finally:
            self.instance.drafting = False
