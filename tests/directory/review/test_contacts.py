"""The reviewer's "Contact check": another organization's listing with the
same phone number or website is flagged however the number or address is
written (digits, a leading US 1, extensions; scheme, www., slash, case)."""

import pytest

from directory.importing.cleaning import Record, clean_phone
from directory.review.contacts import duplicate_contacts, phone_key, website_key
from tests.directory.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written",
    [
        "(555) 010-0177",
        "555-010-0177",
        "555.010.0177",
        "5550100177",
        "+1 555 010 0177",
        "1-555-010-0177",
        "1 (555) 010-0177",
        "(555) 010-0177 x12",
        "555-010-0177 ext. 3",
        "555 010 0177 Extension 45",
        "555-010-0177 #2",
        " 555\u2011010\u20110177 ",  # non-breaking hyphens
    ],
)
def test_phone_variants_are_one_number(written):
    assert phone_key(written) == "5550100177"


@pytest.mark.parametrize(
    "written",
    [
        "https://www.harbor.example.org/",
        "http://harbor.example.org",
        "HTTPS://Harbor.Example.org",
        "https://WWW.harbor.example.org//",
        "harbor.example.org/",
        "www.harbor.example.org",
    ],
)
def test_website_variants_are_one_address(written):
    assert website_key(written) == "harbor.example.org"


def test_different_numbers_and_sites_stay_different():
    assert phone_key("555-010-0177") != phone_key("555-010-0178")
    assert phone_key("555-010-0177") != phone_key("555-0177")  # no area code: not the same number
    assert website_key("https://harbor.example.org/intake") != website_key("https://harbor.example.org/")
    assert website_key("https://notharbor.example.org") != website_key("https://harbor.example.org")


@pytest.mark.parametrize(
    "raw", ["(555) 010-0177", "1-555-010-0177 ext 12", "555.010.0177x3", "+1 555 010 0177 extension 9"]
)
def test_the_importer_s_phone_format_has_the_same_key(raw):
    """Imported listings store clean_phone's format; both must compare alike."""
    assert phone_key(clean_phone(Record(row=1, fields={}), "phone", raw)) == phone_key(raw)


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ({"phone": "(555) 010-0177"}, {"phone": "555.010.0177"}),
        ({"phone": "+1 555 010 0177"}, {"intake_phone": "555-010-0177 x12"}),
        ({"hotline_phone": "1-555-010-0177"}, {"phone": "(555) 010-0177 ext. 3"}),
        ({"website": "https://www.harbor.example.org/"}, {"website": "http://Harbor.Example.org"}),
        ({"website": "http://harbor.example.org"}, {"website": "https://www.harbor.example.org/"}),
    ],
)
def test_written_differently_is_still_flagged(ours, theirs):
    blank = {"phone": "", "intake_phone": "", "hotline_phone": "", "website": ""}
    program = ProgramFactory(organization=OrganizationFactory(), **{**blank, **ours})
    other = ProgramFactory(organization=OrganizationFactory(), **{**blank, **theirs})
    assert duplicate_contacts(program) == [other]


def test_near_misses_and_siblings_are_not_flagged():
    organization = OrganizationFactory()
    program = ProgramFactory(
        organization=organization, phone="(555) 010-0177", website="https://harbor.example.org/"
    )
    ProgramFactory(organization=organization, phone="555-010-0177", website="")  # same organization
    ProgramFactory(organization=OrganizationFactory(), phone="(212) 555-0100 x5550100177", website="")
    ProgramFactory(organization=OrganizationFactory(), phone="555-010-0178", website="")
    ProgramFactory(organization=OrganizationFactory(), phone="", website="https://notharbor.example.org/")
    ProgramFactory(organization=OrganizationFactory(), phone="", website="https://harbor.example.org.evil/")
    assert duplicate_contacts(program) == []


def test_the_reviewer_s_panel_shows_a_variant(client, django_user_model):
    program = ProgramFactory(organization=OrganizationFactory(), phone="+1 (555) 010-0177", website="")
    ProgramFactory(
        organization=OrganizationFactory(), phone="555.010.0177 ext 4", website="", name="Call Center Listing"
    )
    client.force_login(django_user_model.objects.create_superuser("staff", "staff@example.org", "pw"))
    response = client.get(f"/admin/snippets/directory/program/edit/{program.pk}/")
    assert b"Check before approving" in response.content
    assert b"Call Center Listing" in response.content
