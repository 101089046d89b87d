"""History -> Compare in the admin shows what a version changed in the
listing's vocabularies (levels of care, medications, ...), by term name:
the links live in the revisions (Program.current_links), which Wagtail's
own many-to-many comparison does not read."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from directory import vocabularies
from directory.models import LevelOfCare, Medication, Program
from directory.review.workflow import program_submit_changes
from tests.content.factories import UserFactory
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def listing_reviewer(client):
    client.force_login(UserFactory(username="lister", groups=["Listing reviewers"]))
    return client


def compared(client, program, a, b) -> dict[str, dict]:
    """Field label -> {"added": [...], "removed": [...], "text": ...} of the
    compare view between versions a and b ("live", "latest" or revision ids)."""
    url = reverse("wagtailsnippets_directory_program:revisions_compare", args=(program.pk, a, b))
    response = client.get(url + "/" if not url.endswith("/") else url)
    assert response.status_code == 200
    html = BeautifulSoup(response.content, "html.parser")
    rows = {}
    for row in html.select("table.listing tbody tr"):
        label, changes = row.select_one("td.title"), row.select_one("td.comparison")
        if label is None or changes is None:
            continue
        rows[label.get_text(strip=True).rstrip(":")] = {
            "added": [span.get_text() for span in changes.select(".addition")],
            "removed": [span.get_text() for span in changes.select(".deletion")],
            "text": changes.get_text(" ", strip=True),
        }
    return rows


def field_label(relation: str) -> str:
    return str(Program._meta.get_field(relation).verbose_name).capitalize()


def test_a_centers_held_change_shows_against_the_live_listing(listing_reviewer, django_user_model):
    program = ProgramFactory(levels_of_care=["outpatient"], medications=["naltrexone"])
    center = django_user_model.objects.create_user("center", "center@example.org", "pw")
    outpatient, detox = LevelOfCare.objects.get(slug="outpatient"), LevelOfCare.objects.get(slug="detox")
    buprenorphine = Medication.objects.get(slug="buprenorphine")
    program_submit_changes(
        program=program,
        data={"levels_of_care": [outpatient, detox], "medications": [buprenorphine]},
        user=center,
    )
    program.refresh_from_db()
    assert program.has_unpublished_changes  # held for review; the row is unchanged

    rows = compared(listing_reviewer, program, "live", "latest")
    assert rows["Levels of care"]["added"] == [detox.name]
    assert rows["Levels of care"]["removed"] == []
    assert outpatient.name in rows["Levels of care"]["text"]  # unchanged, shown
    assert rows["Medications"]["added"] == [buprenorphine.name]
    assert rows["Medications"]["removed"] == [Medication.objects.get(slug="naltrexone").name]
    # Labels, not ids; vocabularies that did not change are not listed.
    assert str(detox.pk) not in rows["Levels of care"]["added"]
    assert "Languages" not in rows and "Payment options" not in rows


@pytest.mark.parametrize("vocabulary", vocabularies.all_vocabularies(), ids=lambda v: v.relation)
def test_every_vocabulary_change_shows_between_two_revisions(listing_reviewer, vocabulary):
    """Generated from the registry: a new vocabulary is compared too."""
    terms = list(vocabulary.model.objects.all()[:3])
    for n in range(len(terms), 3):  # some vocabularies have only two terms
        terms.append(vocabulary.model.objects.create(name=f"Extra term {n}", slug=f"extra-term-{n}"))
    first, second, third = terms
    program = ProgramFactory()
    getattr(program, vocabulary.relation).set([first, second])
    older = program.save_revision()
    program._pending_links = {**program.current_links(), vocabulary.relation: [second.pk, third.pk]}
    newer = program.save_revision()

    rows = compared(listing_reviewer, program, older.pk, newer.pk)
    label = field_label(vocabulary.relation)
    assert rows[label]["added"] == [third.name], rows
    assert rows[label]["removed"] == [first.name], rows
    assert second.name in rows[label]["text"]
    assert set(rows) == {label}  # nothing else changed

    # The draft against the live listing (whose links are the join table's).
    rows = compared(listing_reviewer, program, "live", newer.pk)
    assert (rows[label]["added"], rows[label]["removed"]) == ([third.name], [first.name])


def test_revisions_with_the_same_links_show_no_difference(listing_reviewer):
    program = ProgramFactory(levels_of_care=["outpatient"])
    older = program.save_revision()
    newer = program.save_revision()
    assert compared(listing_reviewer, program, older.pk, newer.pk) == {}


def test_a_term_deleted_since_the_revision_is_named_as_deleted(listing_reviewer):
    program = ProgramFactory()
    gone = LevelOfCare.objects.create(name="Retired level", slug="retired-level")
    older = program.save_revision()
    program._pending_links = {**program.current_links(), "levels_of_care": [gone.pk]}
    newer = program.save_revision()
    gone.delete()
    rows = compared(listing_reviewer, program, older.pk, newer.pk)
    assert rows["Levels of care"]["added"] == ["(deleted level of care)"]
