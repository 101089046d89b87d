"""The one phone rule (config/phones.py) on real-shaped inputs, and the four
places that read phone numbers (importer, inquiry form, portal forms,
contact check) giving the same answers."""

import pytest

from config import phones
from config.phones import (
    FAX,
    HOTLINE,
    INTAKE,
    INVALID,
    LONG_EXTENSION,
    MAIN,
    NO_AREA_CODE,
    NOT_US,
    check_phone,
    format_phone,
    is_valid,
    parse_phone,
    phone_href,
    phone_key,
    read_phones,
)
from directory.importing.cleaning import Record, clean_phone
from directory.models import Program
from directory.review.contacts import duplicate_contacts
from directory.review.contacts import phone_key as contact_check_key
from inquiries.forms import InquiryForm
from portal.forms import ClaimForm
from portal.listing_forms import ListingEditForm
from tests.directory.factories import OrganizationFactory, ProgramFactory


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("(212) 555-0123", "(212) 555-0123"),
        ("212-555-0123", "(212) 555-0123"),
        ("212.555.0123", "(212) 555-0123"),
        ("212 555 0123", "(212) 555-0123"),
        ("2125550123", "(212) 555-0123"),
        ("+1 212 555 0123", "(212) 555-0123"),
        ("+1 (212) 555-0123", "(212) 555-0123"),
        ("1-212-555-0123", "(212) 555-0123"),
        ("1 (212) 555-0123", "(212) 555-0123"),
        ("(212)555-0123", "(212) 555-0123"),
        (" 212\u2011555\u20110123 ", "(212) 555-0123"),  # non-breaking hyphens
        ("Intake: (212) 555-0123", "(212) 555-0123"),
        ("1-800-662-HELP", "(800) 662-4357"),
        ("tel:+1-212-555-0123", "(212) 555-0123"),
        ("+1 604 555 0123", "(604) 555-0123"),  # Canada shares the plan
    ],
)
def test_formats(written, stored):
    assert format_phone(written) == stored
    assert is_valid(written)


@pytest.mark.parametrize(
    "written",
    [
        "(850) 769-1632 x445",
        "(850) 769-1632x445",
        "(850) 769-1632 X445",
        "(850) 769-1632 ext 445",
        "(850) 769-1632 ext. 445",
        "(850) 769-1632 Ext: 445",
        "(850) 769-1632 ext.445",
        "(850) 769-1632 extn 445",
        "(850) 769-1632 extension 445",
        "(850) 769-1632, ext 445",
        "(850) 769-1632 #445",
        "850.769.1632 x 445",
        "+1 850 769 1632 ext 445",
        "tel:+1-850-769-1632;ext=445",
    ],
)
def test_extensions_in_every_spelling(written):
    phone = parse_phone(written)
    assert (phone.number, phone.extension) == ("8507691632", "445")
    assert format_phone(written) == "(850) 769-1632 x445"
    assert phone_key(written) == "8507691632"  # the extension is not part of the key
    assert phone_href(written) == "tel:+18507691632;ext=445"


@pytest.mark.parametrize(
    "written",
    [
        "(212) 555-0100",  # NANPA's fictional lines 555-0100..0199, the demo's numbers
        "(212) 555-0199",
        "(303) 555-0150",
        "555-010-0177",  # area code 555 is in service nowhere: the tests' numbers
        "(555) 010-0142",
        "(555) 555-0101",
    ],
)
def test_fictional_numbers_are_accepted(written):
    """Demo and test data must pass every form and the importer."""
    assert is_valid(written)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("(999) 999-9999", INVALID),  # placeholders
        ("000-000-0000", INVALID),
        ("(555) 555-5555", INVALID),
        ("1234567890", INVALID),
        ("0123456789", INVALID),
        ("(123) 456-7890", INVALID),
        ("(212) 055-0123", INVALID),  # no exchange starts with 0 or 1
        ("(212) 155-0123", INVALID),
        ("555-0100", NO_AREA_CODE),  # too short
        ("2125550", NO_AREA_CODE),
        ("12", INVALID),
        ("212-555-01234", INVALID),  # too long
        ("2125550123456789", INVALID),
        ("212-555-0123 or 212-555-0124", INVALID),
        ("(212) 555-0123 (main)", INVALID),
        ("call us", INVALID),  # garbage
        ("n/a", INVALID),
        ("-", INVALID),
        ("+44 20 7946 0958", NOT_US),
        ("011 44 20 7946 0958", NOT_US),
        ("212-555-0123 x1234567", LONG_EXTENSION),
    ],
)
def test_refused(written, message):
    assert check_phone(written) == (None, message)
    assert parse_phone(written) is None and format_phone(written) == "" and not is_valid(written)
    assert phones.phone_error(written) == message


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_is_no_number_and_no_error(blank):
    assert check_phone(blank) == (None, "")
    assert phones.clean_phone_input(blank) == ""
    assert phone_key(blank) == ""


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("(555) 010-0177 ext. 12", "5550100177"),
        ("+1 555.010.0177", "5550100177"),
        ("555-010-0177 #2", "5550100177"),
        ("555-0177", "5550177"),  # no area code: not the same number as the ten digits
        ("(999) 999-9999", "9999999999"),  # refused numbers still have a key
        ("(212) 555-0123 (main)", "2125550123"),
        ("+44 20 7946 0958", "442079460958"),
        ("no number", ""),
    ],
)
def test_phone_key(written, key):
    assert phone_key(written) == key


def kinds(cell):
    return [(entry.kind, entry.phone.display if entry.phone else None) for entry in read_phones(cell)]


@pytest.mark.parametrize(
    ("cell", "found"),
    [
        (
            "Intakes: (850) 769-1632 x445; (850) 769-1633",
            [(INTAKE, "(850) 769-1632 x445"), (INTAKE, "(850) 769-1633")],
        ),
        (
            "Intakes:(850)769-1632x445;(850)769-1633",
            [(INTAKE, "(850) 769-1632 x445"), (INTAKE, "(850) 769-1633")],
        ),
        (
            "(785) 555-0180 Intake: (785) 555-0181",
            [(MAIN, "(785) 555-0180"), (INTAKE, "(785) 555-0181")],
        ),
        (
            "(850) 769-1600 Intakes: 850.769.1601 ext. 12; (850) 769-1602 Hotline: 1-800-662-4357",
            [
                (MAIN, "(850) 769-1600"),
                (INTAKE, "(850) 769-1601 x12"),
                (INTAKE, "(850) 769-1602"),
                (HOTLINE, "(800) 662-4357"),
            ],
        ),
        ("Hotline: 1-800-662-HELP", [(HOTLINE, "(800) 662-4357")]),
        ("Phone: (850) 769-1640 Fax: (850) 769-1641", [(MAIN, "(850) 769-1640"), (FAX, "(850) 769-1641")]),
        ("(850) 769-1632 / (850) 769-1633", [(MAIN, "(850) 769-1632"), (MAIN, "(850) 769-1633")]),
        ("Intake: (999) 999-9999; (850) 769-1633", [(INTAKE, None), (INTAKE, "(850) 769-1633")]),
        ("(212) 555-0123", [(MAIN, "(212) 555-0123")]),
        ("call 911", [(MAIN, None)]),
        ("none", []),
        ("", []),
    ],
)
def test_cells_with_several_labelled_numbers(cell, found):
    assert kinds(cell) == found


# --- the four callers agree ------------------------------------------------------

AGREE = [
    "(212) 555-0123",
    "212.555.0123",
    "+1 212 555 0123",
    "1-212-555-0123 ext. 12",
    "(850) 769-1632x445",
    "555-010-0177",
    "(303) 555-0150 #7",
    "1-800-662-HELP",
]
REFUSED = ["(999) 999-9999", "555-0166", "(212) 055-0123", "+44 20 7946 0958", "call us", "1234567890"]


def through_importer(written):
    return clean_phone(Record(row=1, fields={}), "phone", written)


def through_inquiry_form(written):
    form = InquiryForm(data={"phone": written}, program=Program(name="Harbor (Sample)"))
    form.is_valid()
    return form.cleaned_data.get("phone", "") if "phone" not in form.errors else None


def through_claim_form(written):
    form = ClaimForm(data={"work_phone": written})
    form.is_valid()
    return form.cleaned_data.get("work_phone", "") if "work_phone" not in form.errors else None


def through_listing_form(written):
    form = ListingEditForm(data={"intake_phone": written}, instance=Program())
    form.is_valid()
    return form.cleaned_data.get("intake_phone", "") if "intake_phone" not in form.errors else None


@pytest.mark.django_db
@pytest.mark.parametrize("written", AGREE)
def test_the_four_callers_store_and_compare_alike(written):
    stored = format_phone(written)
    assert stored
    assert through_importer(written) == stored
    assert through_inquiry_form(written) == stored
    assert through_claim_form(written) == stored
    assert through_listing_form(written) == stored
    assert contact_check_key(written) == contact_check_key(stored) == parse_phone(written).number


@pytest.mark.django_db
@pytest.mark.parametrize("written", REFUSED)
def test_the_four_callers_refuse_alike(written):
    assert through_importer(written) == ""  # dropped, with a note
    assert through_inquiry_form(written) is None
    assert through_claim_form(written) is None
    assert through_listing_form(written) is None


@pytest.mark.django_db
def test_the_contact_check_finds_a_number_stored_by_another_caller():
    """A number the importer stored is found from the one a center typed into
    its listing form, however each was written."""
    imported = ProgramFactory(organization=OrganizationFactory(), phone=through_importer("850.769.1632"))
    typed = through_listing_form("+1 (850) 769-1632 extension 9")
    program = ProgramFactory(organization=OrganizationFactory(), intake_phone=typed)
    assert duplicate_contacts(program) == [imported]


def test_every_demo_listing_number_is_accepted():
    """The demo directory's numbers are (area code) 555-0100..0199."""
    from tools.demo.directory import METROS

    for _city, _state, area_code in METROS:
        for line in range(100):
            assert is_valid(f"({area_code}) 555-01{line:02d}"), area_code
