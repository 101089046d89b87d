from django import forms


class SearchForm(forms.Form):
    q = forms.CharField(label="Search articles and programs", max_length=200, strip=True)
