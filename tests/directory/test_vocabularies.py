"""The vocabulary data migration: stable slugs, plain descriptions and SAMHSA
codes that all exist in the project's copy of the code table."""

import pytest

from directory.importing import codes as vocabularies
from directory.models import Accreditation, Language, LevelOfCare, Medication, PaymentOption, Population

pytestmark = pytest.mark.django_db

ALL_MODELS = [LevelOfCare, Medication, PaymentOption, Population, Language, Accreditation]


def test_levels_of_care_have_the_slugs_the_search_form_uses():
    assert list(LevelOfCare.objects.values_list("slug", flat=True)) == [
        "detox",
        "inpatient",
        "residential",
        "partial-hospitalization",
        "intensive-outpatient",
        "outpatient",
        "opioid-treatment-program",
        "sober-living",
    ]


@pytest.mark.parametrize(
    ("slug", "asam", "codes"),
    [
        ("detox", "1-WM, 2-WM, 3.2-WM, 3.7-WM, 4-WM", {"DT", "HID", "OD", "RD"}),
        ("inpatient", "3.7 / 4", {"HI", "HIT"}),
        ("residential", "3.1 / 3.3 / 3.5", {"RES", "RS", "RL"}),
        ("partial-hospitalization", "2.5", {"ODT", "PHDT"}),
        ("intensive-outpatient", "2.1", {"OIT"}),
        ("outpatient", "1", {"OP", "ORT"}),
        ("opioid-treatment-program", "OTP", {"OTP"}),
    ],
)
def test_level_of_care_asam_level_and_codes(slug, asam, codes):
    level = LevelOfCare.objects.get(slug=slug)
    assert level.asam_level == asam
    assert codes <= set(level.samhsa_codes)
    assert not level.is_housing


def test_sober_living_is_housing():
    level = LevelOfCare.objects.get(slug="sober-living")
    assert level.is_housing
    assert level.samhsa_codes == ["HH"]


@pytest.mark.parametrize(
    ("slug", "codes"),
    [
        ("methadone", {"MU", "METH", "MM", "DM"}),
        ("buprenorphine", {"BU", "BUM", "DB", "UB", "BWN", "BWON", "BERI", "BSDM"}),
        ("naltrexone", {"NU", "UN", "RPN", "NXN", "VTRL"}),
        ("accepts-outside-prescriptions", {"MOA"}),
    ],
)
def test_medication_codes(slug, codes):
    assert set(Medication.objects.get(slug=slug).samhsa_codes) == codes


def test_payment_kinds():
    kinds = dict(PaymentOption.objects.values_list("slug", "kind"))
    assert kinds["medicaid"] == kinds["cash"] == kinds["free"] == PaymentOption.Kind.PAYMENT
    assert kinds["sliding-fee"] == kinds["payment-assistance"] == PaymentOption.Kind.ASSISTANCE
    assert {"medicare", "private-insurance", "tricare", "state-financed", "ihs-tribal"} <= set(kinds)


def test_population_kinds():
    ages = set(Population.objects.filter(kind=Population.Kind.AGE).values_list("slug", flat=True))
    assert ages == {"children-and-teens", "young-adults", "adults", "older-adults"}
    assert Population.objects.get(slug="veterans").kind == Population.Kind.GROUP


def test_languages_and_accreditations():
    assert Language.objects.get(slug="spanish").samhsa_codes == ["SP"]
    assert Language.objects.get(slug="sign-language").samhsa_codes == ["AH"]
    assert Language.objects.get(slug="vietnamese").samhsa_codes == ["F92"]
    assert set(Accreditation.objects.values_list("slug", flat=True)) >= {"carf", "joint-commission", "coa"}


@pytest.mark.parametrize("model", ALL_MODELS)
def test_every_term_is_described_and_its_codes_are_in_the_table(model):
    known = vocabularies.code_table().codes
    for term in model.objects.all():
        assert term.description.endswith("."), term.slug
        assert term.samhsa_codes, term.slug
        assert set(term.samhsa_codes) <= known, term.slug


def test_no_code_means_two_terms_of_the_same_vocabulary():
    for model in ALL_MODELS:
        codes = [code for term in model.objects.all() for code in term.samhsa_codes]
        assert len(codes) == len(set(codes)), model.__name__


def test_code_table_maps_labels_back_to_codes():
    table = vocabularies.code_table()
    assert table.codes_for_label("Hospital inpatient detoxification") == {"HID"}
    assert table.codes_for_label("  medicaid ") == {"MD"}
    assert table.codes_for_label("Buprenorphine with naloxone") == {"BWN"}
    assert table.codes_for_label("No such service") is None
    assert table.label("OTP") == "Federally-certified Opioid Treatment Program"
