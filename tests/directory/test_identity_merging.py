"""Merging listings that are one facility (issue 21): the best value per
field by provenance, the old address answering 301, history moved and
named, the admin's match review queue and "Merge into one listing", the
merge_duplicates command, and the program page's true "Source:" line."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from wagtail.models import ModelLogEntry, Revision

from directory.merging import MERGE_ACTION, programs_merge, programs_merged
from directory.models import FieldProvenance, MatchReview, ProblemReport, Program, ProgramRedirect
from directory.provenance import make_stamp

from .factories import ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("staff", "staff@example.org", "pw"))
    return client


def stamped(program, source, as_of, *names):
    stamp = make_stamp(source=source, file_name=f"{source}.csv", as_of=as_of)
    row, _ = FieldProvenance.objects.get_or_create(program=program)
    row.fields = {**row.fields, **dict.fromkeys(names, stamp)}
    row.save()


def twins():
    """One facility listed twice: the locator's newer data, and an older
    annual-directory row with a staff-typed website."""
    common = {"street1": "12 South Main Street", "city": "Springfield", "state": "IL", "zip_code": "62701"}
    newer = ProgramFactory(
        name="Harborview Recovery Center (Sample)", phone="(217) 555-0101", website="", slug="harborview",
        external_id="frid-1", source=Program.Source.SAMHSA, levels_of_care=["outpatient"], **common,
    )  # fmt: skip
    older = ProgramFactory(
        name="Harborview Recovery Center (Sample), Inc.", phone="(217) 555-0109",
        website="https://harborview.example.org/", slug="harborview-old", levels_of_care=["detox"], **common,
    )  # fmt: skip
    stamped(newer, "samhsa-locator", datetime.date(2024, 5, 1), "name", "phone", "levels_of_care")
    stamped(older, "samhsa-n-ssats", datetime.date(2022, 3, 1), "name", "phone", "levels_of_care")
    stamped(older, "staff", datetime.date(2023, 1, 1), "website")
    return newer, older


def test_the_survivor_keeps_each_fields_best_value_by_provenance():
    newer, older = twins()
    programs_merge(survivor=older, merged=[newer])
    survivor = Program.objects.get()
    assert survivor.pk == older.pk and survivor.slug == "harborview-old"
    assert survivor.name == "Harborview Recovery Center (Sample)"  # newer data
    assert survivor.phone == "(217) 555-0101"
    assert survivor.website == "https://harborview.example.org/"  # staff's, the other had none
    assert set(survivor.levels_of_care.values_list("slug", flat=True)) == {"outpatient"}
    assert survivor.external_id == "frid-1"  # the next import finds it by its id
    origin = FieldProvenance.objects.get(program=survivor).fields
    assert origin["phone"]["source"] == "samhsa-locator" and origin["website"]["source"] == "staff"


def test_the_old_address_answers_301_to_the_survivor(client):
    newer, older = twins()
    programs_merge(survivor=newer, merged=[older])
    assert ProgramRedirect.objects.get().old_slug == "harborview-old"
    response = client.get("/programs/harborview-old/")
    assert response.status_code == 301
    assert response["Location"] == newer.get_absolute_url()
    assert client.get("/programs/never-was/").status_code == 404
    # The API's address moved the same way.
    response = client.get("/api/v1/programs/harborview-old")
    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/programs/{newer.slug}"
    assert client.get(response["Location"]).json()["slug"] == newer.slug
    assert client.get("/api/v1/programs/never-was").status_code == 404


def test_merging_again_keeps_earlier_redirects_pointing_at_the_survivor(client):
    newer, older = twins()
    programs_merge(survivor=older, merged=[newer])
    third = ProgramFactory(slug="harborview-third")
    programs_merge(survivor=third, merged=[Program.objects.get(pk=older.pk)])
    assert set(ProgramRedirect.objects.values_list("old_slug", "program_id")) == {
        ("harborview", third.pk),
        ("harborview-old", third.pk),
    }
    assert client.get("/programs/harborview/")["Location"] == third.get_absolute_url()


def test_history_and_reports_move_and_the_survivor_names_the_merged_listing(django_user_model):
    newer, older = twins()
    revision = older.save_revision()
    ProblemReport.objects.create(program=older, kind="phone")
    staff = django_user_model.objects.create_user("staff")
    programs_merge(survivor=newer, merged=[older], user=staff)
    content_type = ContentType.objects.get_for_model(Program)
    revision.refresh_from_db()
    assert revision.object_id == str(newer.pk)
    assert ProblemReport.objects.get().program_id == newer.pk
    entry = ModelLogEntry.objects.get(content_type=content_type, object_id=str(newer.pk), action=MERGE_ACTION)
    assert entry.user == staff
    assert "Harborview Recovery Center (Sample), Inc." in entry.message
    assert "harborview-old" in entry.message
    assert Revision.objects.filter(object_id=str(older.pk)).count() == 0


def test_the_signal_names_the_survivor_and_the_merged_ids():
    newer, older = twins()
    seen = []

    def receiver(sender, survivor, merged_ids, **kwargs):
        seen.append((survivor.pk, merged_ids, Program.objects.filter(pk__in=merged_ids).count()))

    programs_merged.connect(receiver)
    try:
        programs_merge(survivor=newer, merged=[older])
    finally:
        programs_merged.disconnect(receiver)
    assert seen == [(newer.pk, [older.pk], 1)]  # sent while the merged rows still exist


# --- the program page says where its data comes from ---------------------------------------


def test_the_program_page_names_its_real_sources_and_their_dates(client):
    newer, older = twins()
    stamped(newer, "samhsa-otp-directory", datetime.date(2023, 6, 1), "otp_certified")
    newer.status = Program.Status.PUBLISHED
    newer.save()
    html = client.get(newer.get_absolute_url()).content.decode()
    assert (
        "Source: SAMHSA&#x27;s treatment locator (FindTreatment.gov) (data of May 2024); "
        "SAMHSA&#x27;s opioid treatment program directory (data of June 2023)."
    ) in html
    html = client.get(older.get_absolute_url()).content.decode()
    assert "our staff (data of January 2023)" in html and "N-SSATS" in html
    plain = ProgramFactory(source=Program.Source.STAFF)
    assert "Source: our staff." in client.get(plain.get_absolute_url()).content.decode()


# --- the admin -------------------------------------------------------------------------------


def queued_pair():
    candidate = ProgramFactory(
        name="Bayside Methadone Program (Sample)", street1="9 Bay Street", zip_code="16501"
    )
    draft = ProgramFactory(
        name="Bayside Treatment Associates, Inc.", street1="9 Bay St.", zip_code="16501", status="draft"
    )
    review = MatchReview.objects.create(
        key="id:samhsa-otp-directory:x", incoming={"name": draft.name, "street1": draft.street1},
        incoming_program=draft, candidate=candidate, source="samhsa-otp-directory", file_name="otp.csv",
        reason="same address and phone, another name", publish_if_separate=True,
    )  # fmt: skip
    return review, candidate, draft


def test_the_queue_lists_and_shows_the_pair_side_by_side(staff_client):
    review, candidate, draft = queued_pair()
    html = staff_client.get("/admin/directory/match-review/").content.decode()
    assert "Bayside Treatment Associates, Inc." in html and "otp.csv" in html
    html = staff_client.get(f"/admin/directory/match-review/{review.pk}/").content.decode()
    assert "Same facility: merge" in html and "Different facilities: keep separate" in html
    assert "Bayside Methadone Program (Sample)" in html and "9 Bay St." in html


def test_same_facility_merges_the_draft_into_the_listing(staff_client):
    review, candidate, draft = queued_pair()
    response = staff_client.post(f"/admin/directory/match-review/{review.pk}/decide/", {"decision": "same"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == MatchReview.Status.MERGED and review.decided_by.username == "staff"
    assert list(Program.objects.values_list("pk", flat=True)) == [candidate.pk]
    assert ProgramRedirect.objects.filter(old_slug=draft.slug, program=candidate).exists()


def test_different_facilities_publishes_the_draft_and_keeps_both(staff_client):
    review, candidate, draft = queued_pair()
    staff_client.post(f"/admin/directory/match-review/{review.pk}/decide/", {"decision": "separate"})
    review.refresh_from_db()
    draft.refresh_from_db()
    assert review.status == MatchReview.Status.SEPARATE
    assert draft.status == Program.Status.PUBLISHED and Program.objects.count() == 2


def test_the_queue_is_for_staff_only(client, django_user_model):
    review, _, _ = queued_pair()
    client.force_login(django_user_model.objects.create_user("someone", password="pw", is_staff=False))
    assert client.get(f"/admin/directory/match-review/{review.pk}/").status_code in (302, 403)
    assert client.post(
        f"/admin/directory/match-review/{review.pk}/decide/", {"decision": "same"}
    ).status_code in (
        302,
        403,
    )
    assert MatchReview.objects.get().status == MatchReview.Status.PENDING


def test_the_bulk_action_merges_the_selected_listings_into_the_chosen_one(staff_client):
    newer, older = twins()
    url = f"/admin/bulk/directory/program/merge/?id={newer.pk}&id={older.pk}&next=/admin/"
    html = staff_client.get(url).content.decode()
    assert "Merge into one listing" in html and "harborview-old" in html
    response = staff_client.post(url, {"survivor": newer.pk})
    assert response.status_code == 302
    assert list(Program.objects.values_list("pk", flat=True)) == [newer.pk]


# --- merge_duplicates ----------------------------------------------------------------------


def test_merge_duplicates_is_a_dry_run_unless_applied():
    newer, older = twins()
    apart = ProgramFactory(name="Harborview Mental Health Clinic", street1="12 S Main St", zip_code="62701")
    out = io.StringIO()
    call_command("merge_duplicates", stdout=out)
    assert "Would merge into harborview: harborview-old" in out.getvalue()
    assert "Dry run, nothing written: 1 clusters (1 listings to merge)" in out.getvalue()
    assert Program.objects.count() == 3
    call_command("merge_duplicates", "--apply", stdout=io.StringIO())
    assert set(Program.objects.values_list("pk", flat=True)) == {newer.pk, apart.pk}
    out = io.StringIO()
    call_command("merge_duplicates", stdout=out)
    assert "0 clusters" in out.getvalue()


def test_merge_duplicates_queues_unsure_pairs_once():
    ProgramFactory(
        name="Bayside Methadone Program (Sample)",
        street1="9 Bay Street",
        zip_code="16501",
        phone="(814) 555-0141",
    )
    ProgramFactory(
        name="Bayside Treatment Associates, Inc.", street1="9 Bay St.", zip_code="16501", phone="814-555-0141"
    )
    call_command("merge_duplicates", "--apply", stdout=io.StringIO())
    call_command("merge_duplicates", "--apply", stdout=io.StringIO())
    review = MatchReview.objects.get()
    assert review.source == "stored listings" and review.status == MatchReview.Status.PENDING
    assert Program.objects.count() == 2
