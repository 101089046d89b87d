"""Reading files faithfully (issue 21): missing is never empty, a truncated
or malformed file is refused whole, columns can be mapped, PDF-scrape
ligature damage is repaired or flagged, and the summary stays short.

Fixtures (tests/directory/fixtures/samhsa/formats_*) are written by us in
the shape of SAMHSA's files: the locator JSON (full, and the current API's
`services: null` row), the locator's directory CSV with 0/1 code columns
(full, and the same download cut off inside a row) and an addresses-only
export."""

import hashlib
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from directory.importing import import_file
from directory.importing.codes import RELATION_MODELS
from directory.models import FieldProvenance, Program

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "samhsa"
LOCATOR_FULL = FIXTURES / "formats_locator_full.json"
LOCATOR_NULL = FIXTURES / "formats_locator_services_null.json"
DIRECTORY_FULL = FIXTURES / "formats_directory_full.csv"
DIRECTORY_CUT = FIXTURES / "formats_directory_truncated.csv"
ADDRESSES_ONLY = FIXTURES / "formats_addresses_only.csv"


def frid(n):
    return hashlib.sha256(f"formats-fixture-{n}".encode()).hexdigest()


def harbor():
    return Program.objects.get(external_id=frid(1))


def slugs(program, field):
    return set(getattr(program, field).values_list("slug", flat=True))


def snapshot():
    """Every program's fields and vocabulary links, keyed by name."""
    fields = [
        f.name
        for f in Program._meta.concrete_fields
        if f.name not in {"id", "updated_at", "created_at", "latest_revision"}
    ]
    return {
        p.name: (
            {name: getattr(p, name) for name in fields},
            {name: slugs(p, name) for name in RELATION_MODELS},
        )
        for p in Program.objects.all()
    }


def run(path, tmp_path, *args):
    out = io.StringIO()
    call_command("import_facilities", str(path), "--report", str(tmp_path / "report.csv"), *args, stdout=out)
    return out.getvalue()


def harbor_is_whole(p):
    assert p.otp_certified and p.offers_telehealth
    assert (p.phone, p.intake_phone) == ("(207) 555-0101", "(207) 555-0102")
    assert p.website == "https://harborlight.example.org"
    assert {"outpatient", "opioid-treatment-program"} <= slugs(p, "levels_of_care")
    assert {"methadone", "buprenorphine"} <= slugs(p, "medications")
    assert {"medicaid", "cash"} <= slugs(p, "payment_options")
    assert "spanish" in slugs(p, "languages")
    assert "carf" in slugs(p, "accreditations")
    assert "cbt" in slugs(p, "treatment_approaches")
    assert "opioids" in slugs(p, "detox_substances")
    assert slugs(p, "genders_accepted") == {"women", "men"}


# --- missing is never empty ---------------------------------------------------------


def test_services_null_in_the_locator_api_removes_nothing_from_an_otp():
    """The locator API returns `services: null` (and null phones) for OTP
    rows: that says nothing, so nothing of the listing is lost."""
    import_file(LOCATOR_FULL)
    harbor_is_whole(harbor())
    before = snapshot()
    report = import_file(LOCATOR_NULL)
    assert report.outcomes[0].status == "unchanged", report.outcomes[0].notes
    assert snapshot() == before
    harbor_is_whole(harbor())


def test_services_null_first_then_the_full_file_gives_the_same_listing():
    import_file(LOCATOR_FULL)
    full_only = snapshot()
    Program.objects.all().delete()
    import_file(LOCATOR_NULL)
    assert not harbor().otp_certified and not harbor().phone  # it said nothing about them
    import_file(LOCATOR_FULL)
    assert snapshot() == full_only


def test_an_empty_services_list_says_nothing_either(tmp_path):
    import_file(LOCATOR_FULL)
    data = json.loads(LOCATOR_NULL.read_text())
    data["rows"][0]["services"] = []
    path = tmp_path / "empty-services.json"
    path.write_text(json.dumps(data))
    import_file(path)
    harbor_is_whole(harbor())


@pytest.mark.parametrize("order", ["full-then-addresses", "addresses-then-full"])
def test_an_addresses_only_csv_and_a_full_listing_in_either_order(order):
    """The addresses-only export has phone and website columns with every
    cell empty: a file that does not carry those fields erases nothing."""
    files = [DIRECTORY_FULL, ADDRESSES_ONLY]
    if order == "addresses-then-full":
        files.reverse()
    for path in files:
        import_file(path)
    p = harbor()
    assert (p.phone, p.website) == ("(207) 555-0101", "https://harborlight.example.org")
    assert p.otp_certified and "methadone" in slugs(p, "medications")
    assert Program.objects.count() == 2
    birchwood = Program.objects.get(name="Birchwood Recovery Services (Sample)")
    assert birchwood.phone == "(207) 555-0103" and "medicaid" in slugs(birchwood, "payment_options")


def test_addresses_only_csv_over_a_full_listing_changes_nothing():
    import_file(DIRECTORY_FULL)
    import_file(LOCATOR_FULL)
    before = snapshot()
    report = import_file(ADDRESSES_ONLY)
    assert report.counts["unchanged"] == 2, [o.notes for o in report.outcomes]
    assert snapshot() == before
    assert any("phone, website" in note and "empty in every row" in note for note in report.file_notes)


def test_a_column_with_some_empty_cells_still_erases_what_its_own_source_set(tmp_path):
    """Only a column that is empty in every row is taken as absent."""
    import_file(DIRECTORY_FULL)
    text = DIRECTORY_FULL.read_text().replace("207-555-0101", "")  # Harbor Light's phone, same source
    path = tmp_path / "newer.csv"
    path.write_text(text)
    report = import_file(path)
    assert harbor().phone == ""
    # Harbor Light's intake column is empty for Birchwood only: not absent either.
    assert harbor().intake_phone == "(207) 555-0102"
    assert not any("empty in every row" in note for note in report.file_notes)


# --- truncated or malformed files are refused whole ------------------------------------


def test_a_csv_cut_off_inside_a_row_is_refused_and_changes_nothing(tmp_path):
    """It used to import with exit 0 and erase Harbor Light's phone and nine
    vocabularies (the cut-off row's empty cells)."""
    import_file(DIRECTORY_FULL)
    before = snapshot()
    provenance = list(FieldProvenance.objects.values_list("program_id", "fields"))
    with pytest.raises(CommandError) as caught:
        run(DIRECTORY_CUT, tmp_path)
    message = str(caught.value)
    assert "formats_directory_truncated.csv" in message and "line 3" in message
    assert "has 9 cells where the header has 37 columns" in message
    assert "\n" not in message
    assert snapshot() == before
    assert list(FieldProvenance.objects.values_list("program_id", "fields")) == provenance
    assert not (tmp_path / "report.csv").exists()


def test_a_csv_cut_off_inside_a_row_is_refused_on_a_fresh_database_too(tmp_path):
    with pytest.raises(CommandError, match="line 3"):
        run(DIRECTORY_CUT, tmp_path)
    assert not Program.objects.exists()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            'name1,city,state,zip\nA,Portland,ME,04101\nB,"Bangor,ME,04401\n',
            "line 3: a quoted cell is never closed",
        ),
        ('name1,city,state,zip\nA,Port"land" x,ME,04101\n"B"x,Bangor,ME,04401\n', "line 3"),
        (
            "name1,city,state,zip\nA,Portland,ME,04101,extra\n",
            "line 2 has 5 cells where the header has 4 columns",
        ),
        (
            "name1,city,state,zip\nA,Portland,ME\nB,Bangor,ME,04401\n",
            "line 2 has 3 cells where the header has 4 columns",
        ),
    ],
)
def test_malformed_csv_is_refused_naming_the_line(tmp_path, content, reason):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(CommandError) as caught:
        run(path, tmp_path)
    assert reason in str(caught.value) and "bad.csv" in str(caught.value)
    assert not Program.objects.exists()


def test_trailing_empty_cells_and_quoted_line_breaks_are_fine(tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text('name1,street1,city,state,zip\nA (Sample),"12 Main St\nSuite 2",Portland,ME,04101,,\n')
    report = import_file(path)
    assert report.counts["created"] == 1


def test_a_json_file_cut_off_is_refused_whole(tmp_path):
    import_file(LOCATOR_FULL)
    before = snapshot()
    rows = json.loads(LOCATOR_FULL.read_text())["rows"]
    second = dict(rows[0], frid=frid(3), name1="Second Program (Sample)")
    text = json.dumps({"page": 1, "rows": [dict(rows[0], phone="207-555-0109"), second]}, indent=1)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) * 3 // 4])
    with pytest.raises(CommandError) as caught:
        run(path, tmp_path)
    message = str(caught.value)
    assert "cut.json" in message and "cut off" in message and "line " in message and "\n" not in message
    assert snapshot() == before


def test_an_html_table_cut_off_is_refused(tmp_path):
    path = tmp_path / "otp.xls"
    path.write_text(
        "<html><body><table><tr><th>Program Name</th><th>City</th><th>State</th><th>Zipcode</th></tr>"
        "<tr><td>Harbor OTP (Sample)</td><td>Portland</td><td>ME</td><td>04101</td></tr><tr><td>Bir"
    )
    with pytest.raises(CommandError, match="cut off"):
        run(path, tmp_path)
    assert not Program.objects.exists()


# --- column mapping and header variants -----------------------------------------------

ANNUAL_SCRAPED = FIXTURES / "formats_annual_scraped.csv"
OTP_GEOCODED = FIXTURES / "formats_otp_geocoded.csv"


def test_the_scraped_annual_directory_headers_are_recognised():
    """Center_name for the name and Keys for the codes column."""
    report = import_file(ANNUAL_SCRAPED)
    assert report.format == "nssats"
    assert report.counts["created"] == 3, [o.notes for o in report.outcomes]
    jefferson = Program.objects.get(name="Jefferson County Recovery Center (Sample)")
    assert {"detox", "outpatient"} <= slugs(jefferson, "levels_of_care")
    assert {"medicaid", "cash"} <= slugs(jefferson, "payment_options")
    assert "cbt" in slugs(jefferson, "treatment_approaches")


def test_a_geocoded_otp_file_with_names_under_id_is_refused_without_a_mapping(tmp_path):
    with pytest.raises(CommandError) as caught:
        run(OTP_GEOCODED, tmp_path)
    message = str(caught.value)
    assert "no facility name column" in message and "'ID'" in message and "--column" in message


@pytest.mark.parametrize("order", ["locator-first", "otp-first"])
def test_a_geocoded_otp_file_imports_with_column_id_as_name(tmp_path, order):
    steps = [lambda: import_file(LOCATOR_FULL), lambda: run(OTP_GEOCODED, tmp_path, "--column", "ID=name")]
    if order == "otp-first":
        steps.reverse()
    for step in steps:
        step()
    assert Program.objects.count() == 2
    harbor_is_whole(harbor())
    northgate = Program.objects.get(name="Northgate Comprehensive OTP (Sample)")
    assert northgate.otp_certified and "opioid-treatment-program" in slugs(northgate, "levels_of_care")
    assert northgate.external_id == ""  # ID was read as the name, not as an id
    assert (northgate.latitude, northgate.longitude) == pytest.approx((43.6591, -70.2568))


def test_columns_can_be_mapped_in_a_file_refused_for_its_header_today(tmp_path):
    path = tmp_path / "centers.csv"
    path.write_text(
        "Program,Address,Town,ST,POSTAL,Tel\n"
        "Bayview Recovery (Sample),8 Shore Road,Camden,ME,04843,207-555-0105\n"
    )
    with pytest.raises(CommandError, match="no facility name column"):
        run(path, tmp_path)
    out = run(
        path, tmp_path, "--column", "Program=name", "--column", "Town=city",
        "--column", "POSTAL=zip_code", "--column", "Tel=phone",
    )  # fmt: skip
    assert "created 1" in out
    bayview = Program.objects.get(name="Bayview Recovery (Sample)")
    assert (bayview.street1, bayview.city, bayview.zip_code, bayview.phone) == (
        "8 Shore Road", "Camden", "04843", "(207) 555-0105",
    )  # fmt: skip


def test_a_mapped_column_wins_over_a_column_the_aliases_would_pick(tmp_path):
    path = tmp_path / "two-names.csv"
    path.write_text(
        "name,Public name,city,state,zip\n"
        "Example Recovery Systems LLC,Bayview Recovery (Sample),Camden,ME,04843\n"
    )
    report = import_file(path, columns={"Public name": "name"})
    assert Program.objects.get().name == "Bayview Recovery (Sample)"
    assert any("not used, mapped from another column instead: name" in note for note in report.file_notes)


def test_import_file_takes_the_same_mapping_as_the_command():
    """The admin upload calls import_file(columns=...)."""
    report = import_file(OTP_GEOCODED, columns={"ID": "name"})
    assert report.counts["created"] == 2 and report.format == "samhsa-otp"


def test_json_keys_can_be_mapped(tmp_path):
    data = json.loads(LOCATOR_FULL.read_text())
    data["rows"][0]["title"] = data["rows"][0].pop("name1")
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps(data))
    import_file(path, columns={"title": "name"})
    harbor_is_whole(harbor())


@pytest.mark.parametrize(
    ("column", "message"),
    [
        ("ID=title", "'title' is not a field the import knows. Fields: external_id, name, alternate_name"),
        ("Nope=name", "the file has no column 'Nope'. Columns found: 'ID', 'Street', 'City'"),
        ("ID", "write it as COLUMN=FIELD"),
    ],
)
def test_a_bad_mapping_is_refused_with_what_would_fit(tmp_path, column, message):
    with pytest.raises(CommandError) as caught:
        run(OTP_GEOCODED, tmp_path, "--column", column)
    assert message in str(caught.value)
    assert not Program.objects.exists()


# --- PDF-scrape ligature damage ---------------------------------------------------------


def test_ligature_damage_is_repaired_where_one_reading_is_a_known_word():
    report = import_file(ANNUAL_SCRAPED)
    jefferson = Program.objects.get(name="Jefferson County Recovery Center (Sample)")
    assert (jefferson.street1, jefferson.city) == ("1200 Jefferson Avenue", "Springfield")
    clifton = Program.objects.get(name="Clifton Counseling Services (Sample)")
    assert (clifton.street1, clifton.city) == ("45 Bluff Road", "Clifton")
    notes = report.outcomes[0].notes
    assert "city: PDF-scrape ligature repaired: 'Spring˝eld' -> 'Springfield'" in notes


def test_ligature_damage_that_cannot_be_read_is_kept_and_flagged(tmp_path):
    out = run(ANNUAL_SCRAPED, tmp_path)
    house = Program.objects.get(city="Buffalo")
    assert house.name == "Wo˝enden House (Sample)"  # no known word: kept as it is
    assert "1 row(s) with text that looks damaged by a PDF scrape (left as is): see the report" in out
    report = (tmp_path / "report.csv").read_text(encoding="utf-8")
    assert "name: 'Wo˝enden' looks damaged by a PDF scrape" in report


@pytest.mark.parametrize("order", ["locator-first", "scrape-first"])
def test_a_scraped_row_does_not_put_garbage_over_a_good_city(tmp_path, order):
    locator = tmp_path / "locator.json"
    locator.write_text(
        json.dumps(
            {"rows": [{
                "frid": frid(5), "name1": "Jefferson County Recovery Center (Sample)", "name2": "",
                "street1": "1200 Jefferson Avenue", "city": "Springfield", "state": "IL", "zip": "62701",
                "phone": "217-555-0130", "services": None,
            }]}
        )
    )  # fmt: skip
    files = [locator, ANNUAL_SCRAPED] if order == "locator-first" else [ANNUAL_SCRAPED, locator]
    for path in files:
        import_file(path)
    jefferson = Program.objects.get(name="Jefferson County Recovery Center (Sample)")
    assert (jefferson.street1, jefferson.city) == ("1200 Jefferson Avenue", "Springfield")
    assert Program.objects.filter(zip_code="62701").count() == 1


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Je˜erson", "Jefferson"),
        ("JE˜ERSON CITY", "JEFFERSON CITY"),
        ("˝rst Street", "First Street"),
        ("O˜ice of the Sheri˜", "Office of the Sheriff"),
        ("Blu˜ton", "Bluffton"),
        ("Gri˜in Health Services", "Griffin Health Services"),
        ("Stamford ﬁrst", "Stamford first"),  # a real ligature character
        ("Plain Street", "Plain Street"),
    ],
)
def test_ligature_readings(damaged, repaired):
    from directory.importing.ligatures import repair

    assert repair(damaged).text == repaired


# --- a short summary ------------------------------------------------------------------------


def test_the_summary_stays_a_few_lines_whatever_the_number_of_duplicates(tmp_path):
    rows = json.loads(LOCATOR_FULL.read_text())["rows"]
    path = tmp_path / "many.json"
    path.write_text(json.dumps({"rows": rows * 300}))
    out = run(path, tmp_path)
    assert len(out.strip().splitlines()) <= 5, out
    assert "merged 299" in out and "299 row(s) merged" in out
    report = (tmp_path / "report.csv").read_text()
    assert report.count("duplicate of row 1 (same source id)") == 299


# --- more of "missing is never empty" and refused files --------------------------------


def test_an_empty_codes_cell_in_the_annual_directory_says_nothing(tmp_path):
    import_file(ANNUAL_SCRAPED)
    jefferson = Program.objects.get(name="Jefferson County Recovery Center (Sample)")
    before = {name: slugs(jefferson, name) for name in RELATION_MODELS}
    text = ANNUAL_SCRAPED.read_text(encoding="utf-8").replace(",SA DT OP MD SF CBT", ",")
    path = tmp_path / "annual-newer.csv"
    path.write_text(text, encoding="utf-8")
    import_file(path)
    assert {name: slugs(jefferson, name) for name in RELATION_MODELS} == before


def test_an_empty_code_cell_is_not_a_zero(tmp_path):
    import_file(DIRECTORY_FULL)
    header, harbor_row, birchwood = DIRECTORY_FULL.read_text().splitlines()
    columns = header.split(",")
    cells = harbor_row.split(",")
    for code in ("md", "sf", "carf"):  # 1 in the full file; empty now
        cells[columns.index(code)] = ""
    cells[columns.index("sp")] = "0"  # a real 0 still unsets
    path = tmp_path / "blank-cells.csv"
    path.write_text("\n".join([header, ",".join(cells), birchwood]) + "\n")
    import_file(path)
    p = harbor()
    assert {"medicaid", "cash"} <= slugs(p, "payment_options")
    assert "carf" in slugs(p, "accreditations")
    assert "spanish" not in slugs(p, "languages")


def test_our_own_export_cut_off_before_its_end_line_is_refused(tmp_path):
    from directory.exports import BACKUP_COLUMNS

    import_file(DIRECTORY_FULL)
    export = tmp_path / "export.csv"
    call_command("export_facilities", "--format", "csv", "-o", str(export))
    lines = export.read_text().splitlines()
    assert lines[0].split(",")[0] == BACKUP_COLUMNS[0] and lines[-1].startswith("# end of file: 2 rows")
    path = tmp_path / "backup.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[-1]]) + "\n")  # one program lost in the middle
    with pytest.raises(CommandError, match="end-of-file line .* says 2 rows but the file has 1"):
        run(path, tmp_path)
