"""The staff admin: listings, organizations and vocabularies in Wagtail,
with revisions and log entries as the change history."""

from http import HTTPStatus

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry, Revision

from directory import geo, vocabularies
from directory.models import LevelOfCare, Program
from tests.directory.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    client.force_login(user)
    return client


def url(model_name, view, *args):
    return reverse(f"wagtailsnippets_directory_{model_name}:{view}", args=args)


def program_form(program, **changes):
    """The edit form's POST data for a program, with changes."""
    data = {
        "name": program.name,
        "alternate_name": program.alternate_name,
        "slug": program.slug,
        "organization": program.organization_id or "",
        "status": program.status,
        "description": program.description,
        "hours": program.hours,
        "street1": program.street1,
        "street2": program.street2,
        "city": program.city,
        "state": program.state,
        "zip_code": program.zip_code,
        "county": program.county,
        "latitude": program.latitude if program.latitude is not None else "",
        "longitude": program.longitude if program.longitude is not None else "",
        "phone": program.phone,
        "intake_phone": program.intake_phone,
        "hotline_phone": program.hotline_phone,
        "website": program.website,
        "inquiry_email": program.inquiry_email,
        "levels_of_care": [t.pk for t in program.levels_of_care.all()] if program.pk else [],
        "accepting_clients": program.accepting_clients,
        "open_beds": "",
        "availability_updated_at": "",
        "license_number": "",
        "license_state": "",
        "verified_at": "",
        "verified_by": "",
        "source": program.source,
        "external_id": program.external_id,
        # Listings have draft state: staff publish their edits directly.
        "action-publish": "action-publish",
    }
    data.update(changes)
    return data


def test_listing_list_searches_and_filters(staff_client):
    detox = ProgramFactory(name="Harbor Detox", state="NY", levels_of_care=["detox"])
    ProgramFactory(name="Cedar Clinic", zip_code="60601", city="Chicago", state="IL", status="draft")
    response = staff_client.get(url("program", "list"))
    assert response.status_code == HTTPStatus.OK
    assert b"Harbor Detox" in response.content and b"Cedar Clinic" in response.content

    response = staff_client.get(url("program", "list"), {"q": "harbor"})
    assert b"Harbor Detox" in response.content and b"Cedar Clinic" not in response.content

    for params in (
        {"state": "NY"},
        {"status": "published"},
        {"levels_of_care": LevelOfCare.objects.get(slug="detox").pk},
        {"verified": "false"},
    ):
        response = staff_client.get(url("program", "list"), params)
        assert response.status_code == HTTPStatus.OK
        assert detox.name.encode() in response.content, params
        assert b"Cedar Clinic" not in response.content or "verified" in params, params


def test_verified_filter(staff_client):
    ProgramFactory(name="Checked Program", verified_at="2026-01-01")
    ProgramFactory(name="Unchecked Program")
    response = staff_client.get(url("program", "list"), {"verified": "true"})
    assert b"Checked Program" in response.content and b"Unchecked Program" not in response.content


def test_edit_page_renders_with_grouped_panels(staff_client):
    program = ProgramFactory(levels_of_care=["outpatient"])
    response = staff_client.get(url("program", "edit", program.pk))
    assert response.status_code == HTTPStatus.OK
    for heading in (b"Address and contact", b"Services", b"Availability", b"Verification"):
        assert heading in response.content


def test_edit_creates_a_revision_and_a_log_entry(staff_client):
    program = ProgramFactory(levels_of_care=["outpatient"])
    response = staff_client.post(
        url("program", "edit", program.pk), program_form(program, phone="(212) 555-0188")
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    program.refresh_from_db()
    assert program.phone == "(212) 555-0188"
    assert Revision.objects.for_instance(program).count() == 1
    assert ModelLogEntry.objects.for_instance(program).filter(action="wagtail.edit").exists()
    assert ModelLogEntry.objects.for_instance(program).filter(action="wagtail.publish").exists()
    response = staff_client.get(url("program", "history", program.pk))
    assert response.status_code == HTTPStatus.OK


def test_saving_a_draft_keeps_the_live_listing(staff_client):
    program = ProgramFactory(phone="555-0105", levels_of_care=["outpatient"])
    data = program_form(
        program, phone="(212) 555-0188", levels_of_care=[LevelOfCare.objects.get(slug="detox").pk]
    )
    del data["action-publish"]
    response = staff_client.post(url("program", "edit", program.pk), data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    program.refresh_from_db()
    assert program.phone == "555-0105"
    assert program.has_unpublished_changes
    assert [t.slug for t in program.levels_of_care.all()] == ["outpatient"]
    # The edit form shows the draft, links included; publishing applies it.
    response = staff_client.get(url("program", "edit", program.pk))
    assert b"(212) 555-0188" in response.content
    program.get_latest_revision().publish()
    program.refresh_from_db()
    assert program.phone == "(212) 555-0188"
    assert [t.slug for t in program.levels_of_care.all()] == ["detox"]


def test_save_without_coordinates_geocodes_from_the_zip(staff_client):
    program = ProgramFactory(zip_code="60601", city="Chicago", state="IL")
    staff_client.post(url("program", "edit", program.pk), program_form(program, latitude="", longitude=""))
    program.refresh_from_db()
    assert (program.latitude, program.longitude) == geo.zip_centroid("60601")
    assert program.coordinate_flag == Program.CoordinateFlag.FROM_ZIP


def test_create_listing_geocodes_and_logs(staff_client):
    data = program_form(
        Program(name="New Hope Clinic", slug="new-hope-clinic", city="Seattle", state="WA", zip_code="98101"),
        status="published",
        source="staff",
    )
    response = staff_client.post(url("program", "add"), data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    program = Program.objects.get(slug="new-hope-clinic")
    assert (program.latitude, program.longitude) == geo.zip_centroid("98101")
    assert ModelLogEntry.objects.for_instance(program).filter(action="wagtail.create").exists()


@pytest.mark.parametrize(
    "model_name",
    ["organization", *(v.model._meta.model_name for v in vocabularies.all_vocabularies())],
)
def test_other_lists_render(staff_client, model_name):
    OrganizationFactory(name="Harbor Health")
    response = staff_client.get(url(model_name, "list"))
    assert response.status_code == HTTPStatus.OK


@pytest.mark.parametrize("vocabulary", vocabularies.all_vocabularies(), ids=lambda v: v.relation)
def test_every_vocabulary_is_edited_in_the_admin_with_its_own_fields(staff_client, vocabulary):
    """Generated from the registry: a new vocabulary gets its admin pages."""
    term = vocabulary.model.objects.first() or vocabulary.model.objects.create(name="Some term", slug="some")
    response = staff_client.get(url(vocabulary.model._meta.model_name, "edit", term.pk))
    assert response.status_code == HTTPStatus.OK
    form = response.context["form"]
    own = {f.name for f in vocabulary.model._meta.concrete_fields} - {"id"}
    assert own <= set(form.fields), own - set(form.fields)


def test_vocabulary_edit_page_renders(staff_client):
    detox = LevelOfCare.objects.get(slug="detox")
    response = staff_client.get(url("levelofcare", "edit", detox.pk))
    assert response.status_code == HTTPStatus.OK
    assert b"ASAM level" in response.content


def test_admin_is_for_staff_only(client):
    response = client.get(url("program", "list"))
    assert response.status_code == HTTPStatus.FOUND


def test_typed_coordinates_replace_a_zip_centroid(staff_client):
    program = ProgramFactory(zip_code="10001", coordinate_flag="zip_centroid")
    staff_client.post(
        url("program", "edit", program.pk), program_form(program, latitude="40.75", longitude="-73.99")
    )
    program.refresh_from_db()
    assert (program.latitude, program.longitude, program.coordinate_flag) == (40.75, -73.99, "")


def test_swapped_coordinates_typed_in_the_admin_are_fixed(staff_client):
    program = ProgramFactory(zip_code="10001")
    staff_client.post(
        url("program", "edit", program.pk), program_form(program, latitude="-73.99", longitude="40.75")
    )
    program.refresh_from_db()
    assert (program.latitude, program.longitude) == (40.75, -73.99)
    assert program.coordinate_flag == Program.CoordinateFlag.SWAPPED


def test_staff_edit_of_a_center_draft_keeps_their_description(staff_client, django_user_model):
    from directory.review.workflow import program_submit_changes

    center = django_user_model.objects.create_user("center", "center@example.org", "pw")
    program = ProgramFactory(phone="555-0105", description="Old.", levels_of_care=["outpatient"])
    program_submit_changes(program=program, data={"phone": "555-0177"}, user=center)
    program.refresh_from_db()
    draft = program.get_latest_revision().as_object()
    data = program_form(draft, description="Fixed by staff.")
    data["levels_of_care"] = [t.pk for t in program.levels_of_care.all()]
    response = staff_client.post(url("program", "edit", program.pk), data)
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    program.refresh_from_db()
    assert (program.phone, program.description) == ("555-0177", "Fixed by staff.")
    assert not program.has_unpublished_changes
