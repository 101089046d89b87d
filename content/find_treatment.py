"""Links from content into the directory search: the vocabularies an
article's "find treatment" block and the care guide filter on, their terms
as editors' choices, the search URL a set of filters makes and how many
programs that search finds.

Which vocabularies these are is content's choice; everything about them
(Program relation, search parameter, label, term model) is the directory's
registry, directory/vocabularies.py. Content builds on the directory, so it
imports it directly."""

from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from directory.search import program_count as directory_program_count
from directory.vocabularies import by_relation

_REGISTRY = by_relation()
CARE = _REGISTRY["levels_of_care"]
MEDICATION = _REGISTRY["medications"]
PAYMENT = _REGISTRY["payment_options"]
LANGUAGE = _REGISTRY["languages"]
DETOX = _REGISTRY["detox_substances"]

# The find-treatment block's filters, in the editor's order. The block has
# one field per vocabulary, named by its search parameter: the name is kept
# in every article's stored body and becomes the search link's parameter.
FIND_TREATMENT_VOCABULARIES = [CARE, MEDICATION, PAYMENT, LANGUAGE]


def term_choices(vocabulary):
    """(slug, name) for each term of a vocabulary, in the directory's order."""
    return list(vocabulary.model.objects.order_by("sort_order", "name").values_list("slug", "name"))


# One named function per vocabulary because page migrations refer to a
# block's choices by import path.
def level_of_care_choices():
    return term_choices(CARE)


def medication_choices():
    return term_choices(MEDICATION)


def payment_choices():
    return term_choices(PAYMENT)


def language_choices():
    return term_choices(LANGUAGE)


def detox_substance_choices():
    return term_choices(DETOX)


def directory_search_url(filters):
    """The directory search URL for the given {param: [slugs]} filters."""
    base = reverse("directory:search")
    query = urlencode([(name, slug) for name, slugs in filters.items() for slug in slugs])
    return f"{base}?{query}" if query else base


def program_count(filters):
    """How many published programs the directory search would show for these
    {param: [slugs]} filters (None when they do not make a valid search). The
    directory's own count (its in-memory index, kept current as listings
    change), so the number is always the one the linked search page shows:
    no cache."""
    data = QueryDict(mutable=True)
    for name, slugs in filters.items():
        data.setlist(name, slugs)
    return directory_program_count(data=data)
