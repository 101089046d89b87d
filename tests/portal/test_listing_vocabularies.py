"""A center edits every vocabulary its program page shows (the registry in
directory/vocabularies.py), in the portal's listing form: the descriptive
service vocabularies are public and searchable at once, accreditations and
who runs the program wait for staff review, bad values are form errors,
and nobody edits another organization's listing."""

import html
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.urls import reverse

from directory import vocabularies
from directory.models import Program
from portal.listing_forms import HELD_IN_WORDS, LABELS, SERVED_FIELDS, VOCABULARY_FIELDS, ListingEditForm

from .factories import center
from .test_listing_edit import edit_data

pytestmark = pytest.mark.django_db

SEARCHABLE = {v.relation: v for v in vocabularies.VOCABULARIES}
ALL = [v.relation for v in vocabularies.all_vocabularies()]
HELD_LINKS = [relation for relation in ALL if relation in Program.REVIEWED_LINKS]
AT_ONCE = [relation for relation in ALL if relation not in Program.REVIEWED_LINKS]
# How each one is shown on the program page (directory/program_detail.html).
SHOWN_AS = {"accreditations": "Accredited: {}", "facility_operations": "Run by: {}"}


def full_data(program, **changes):
    """The edit form as the page sends it: every vocabulary's current terms."""
    links = {relation: [term.pk for term in getattr(program, relation).all()] for relation in ALL}
    return edit_data(program, **{**links, **changes})


def edit_url(program):
    return reverse("portal:listing_edit", kwargs={"slug": program.slug})


def new_term(program, relation):
    model = Program._meta.get_field(relation).related_model
    return model.objects.exclude(programs=program).order_by("sort_order", "pk").first()


def approve(program):
    reviewer = get_user_model().objects.create_superuser("reviewer", "reviewer@example.org", "pw")
    state = program.current_workflow_state
    assert state is not None, "no review in progress"
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")


def warm_search_index(client, program) -> None:
    """Build the search index before the change, so the search that follows
    must learn of it from the change log (not from a first build)."""
    assert client.get("/api/v1/programs", {"q": program.name}).json()["count"] == 1


def search_finds(client, program, relation, term) -> None:
    """The search shows the term on the program right away: the facet filter
    for searchable vocabularies (page and API), the API's program fields for
    descriptive ones."""
    vocabulary = SEARCHABLE.get(relation)
    if vocabulary is not None:
        found = client.get("/api/v1/programs", {vocabulary.param: term.slug}).json()["results"]
        assert program.slug in [p["slug"] for p in found]
        # The page lists programs near a place (it asks for one otherwise).
        query = {vocabulary.param: term.slug, "location": program.zip_code}
        page = client.get(reverse("directory:search"), query).content.decode()
        assert html.escape(program.name) in page
    else:
        found = client.get("/api/v1/programs", {"q": program.name}).json()["results"]
    (result,) = [p for p in found if p["slug"] == program.slug]
    assert term.slug in result[relation]


def test_every_vocabulary_of_the_registry_is_in_the_form():
    assert VOCABULARY_FIELDS == ALL
    assert {"treatment_approaches", "facility_operations", "support_services", "accreditations"} <= set(ALL)
    assert set(ALL) <= set(ListingEditForm.base_fields)


def test_which_vocabularies_wait_for_review():
    # What care is offered, and what the page lists under "Licensing and
    # verification", is checked by staff; the descriptive services are not.
    assert set(HELD_LINKS) == {"levels_of_care", "medications", "accreditations", "facility_operations"}
    assert {"treatment_approaches", "support_services", "detox_substances"} <= set(AT_ONCE)


def test_each_vocabulary_is_a_fieldset_with_a_legend_and_labelled_checkboxes(client):
    user, _, (program, _) = center()
    client.force_login(user)
    soup = BeautifulSoup(client.get(edit_url(program)).content, "html.parser")
    form = ListingEditForm(instance=program)
    for relation in ALL:
        boxes = soup.select(f'input[type=checkbox][name="{relation}"]')
        model = Program._meta.get_field(relation).related_model
        assert len(boxes) == model.objects.count() > 0, relation
        for box in boxes:
            label = soup.find("label", attrs={"for": box["id"]})
            assert label is not None and label.get_text(strip=True), box["id"]
        fieldsets = {box.find_parent("fieldset") for box in boxes}
        if relation in SERVED_FIELDS:
            # One "Who you serve" question: genders accepted in one part,
            # ages and groups in two (test_phone_pages.py checks the parts).
            served = {fieldset.find_parent("fieldset") for fieldset in fieldsets}
            assert [f.legend.get_text(strip=True) for f in served] == ["Who you serve"], relation
            continue
        assert len(fieldsets) == 1, relation
        (fieldset,) = fieldsets
        assert fieldset.legend.get_text(strip=True) == str(form.fields[relation].label)
        if relation in HELD_LINKS:
            assert "Checked by our staff before it appears." in fieldset.get_text()
            assert fieldset["aria-describedby"] == f"id_{relation}_helptext"


@pytest.mark.parametrize("relation", AT_ONCE)
def test_descriptive_and_searchable_vocabularies_publish_at_once(client, relation):
    user, _, (program, _) = center()
    client.force_login(user)
    term = new_term(program, relation)
    warm_search_index(client, program)
    response = client.post(edit_url(program), full_data(program, **{relation: [term.pk]}))
    assert response.status_code == HTTPStatus.FOUND
    program = Program.objects.get(pk=program.pk)
    assert list(getattr(program, relation).all()) == [term]
    assert not program.has_unpublished_changes
    page = client.get(program.get_absolute_url()).content.decode()
    assert html.escape(term.name) in page
    search_finds(client, program, relation, term)
    # Unticking it takes it off again.
    client.post(edit_url(program), full_data(program, **{relation: []}))
    assert not getattr(program, relation).exists()


@pytest.mark.parametrize("relation", HELD_LINKS)
def test_held_vocabularies_wait_for_review_then_show_and_are_found(client, relation):
    user, _, (program, _) = center()
    client.force_login(user)
    term = new_term(program, relation)
    shown = html.escape(SHOWN_AS.get(relation, "{}").format(term.name))
    warm_search_index(client, program)
    response = client.post(edit_url(program), full_data(program, **{relation: [term.pk]}))
    assert response.status_code == HTTPStatus.FOUND
    program = Program.objects.get(pk=program.pk)
    assert not getattr(program, relation).exists()
    assert program.has_unpublished_changes
    assert shown not in client.get(program.get_absolute_url()).content.decode()
    soup = BeautifulSoup(client.get(edit_url(program)).content, "html.parser")
    pending = soup.find(id="pending-heading").find_parent("section").get_text(" ", strip=True)
    assert term.name in pending

    approve(program)
    program = Program.objects.get(pk=program.pk)
    assert list(getattr(program, relation).all()) == [term]
    assert shown in client.get(program.get_absolute_url()).content.decode()
    search_finds(client, program, relation, term)


@pytest.mark.parametrize("relation", ALL)
@pytest.mark.parametrize("value", ["no-such-term", "999999", ""])
def test_unknown_terms_are_a_form_error_not_a_500(client, relation, value):
    user, _, (program, _) = center()
    client.force_login(user)
    before = {name: list(getattr(program, name).all()) for name in ALL}
    response = client.post(edit_url(program), full_data(program, **{relation: [value]}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.select_one(".error-summary")
    assert summary is not None
    # The summary links to the group's first checkbox (a checkbox group has no single label).
    assert summary.find("a", href=f"#id_{relation}_0") is not None
    assert soup.find(id=f"id_{relation}_0") is not None
    assert soup.find(id=f"id_{relation}_error") is not None
    program = Program.objects.get(pk=program.pk)
    assert {name: list(getattr(program, name).all()) for name in ALL} == before
    assert not program.has_unpublished_changes


def test_another_organizations_user_cannot_edit_the_vocabularies(client):
    _, _, (theirs, _) = center()
    intruder, _, _ = center()
    client.force_login(intruder)
    data = full_data(theirs, **{relation: [new_term(theirs, relation).pk] for relation in ALL})
    for slug in [theirs.slug, str(theirs.pk)]:
        url = reverse("portal:listing_edit", kwargs={"slug": slug})
        assert client.get(url).status_code == HTTPStatus.NOT_FOUND
        assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND
    theirs = Program.objects.get(pk=theirs.pk)
    assert not any(getattr(theirs, relation).exists() for relation in ALL)
    assert not theirs.has_unpublished_changes


def test_the_pages_name_what_is_held(client):
    for relation in HELD_LINKS:
        label = LABELS.get(relation) or str(ListingEditForm.base_fields[relation].label)
        assert label.lower() in HELD_IN_WORDS, relation
    user, _, (program, _) = center()
    client.force_login(user)
    assert HELD_IN_WORDS in client.get(edit_url(program)).content.decode()
    data = full_data(program, accreditations=[new_term(program, "accreditations").pk])
    response = client.post(edit_url(program), data, follow=True)
    assert f"Changes to {HELD_IN_WORDS} appear after our staff check them" in response.content.decode()


def test_for_treatment_centers_page_tells_what_centers_can_edit(client):
    page = BeautifulSoup(client.get("/for-treatment-centers/").content, "html.parser").get_text(" ")
    page = " ".join(page.split())
    for words in [
        "levels of care, medications, detox, treatment approaches, recovery support and testing",
        "accreditations, who runs the program and contact details",
        "levels of care, medications, accreditations or who runs the program are checked by our staff",
    ]:
        assert words in page
