"""Reading facility files into raw records, one per row, before any
cleaning. Six formats: the SAMHSA locator JSON and directory CSV, the SAMHSA
opioid treatment program (OTP) directory, the N-SSATS national directory,
and the project's own export (CSV and JSON, see directory/exports.py).

Tables may come as CSV (UTF-8 with or without BOM, or Windows-1252; comma,
tab, semicolon or pipe separated), as an HTML table (SAMHSA's "Excel"
downloads often are one) or as a real .xlsx workbook. Column names are
matched ignoring case, spaces and punctuation ("Zip Code" = "zipcode").

A column's presence is what counts: a record's `values` holds a key for
every column the file has (an empty string when the cell is empty), and no
key for a column it lacks, so the cleaning step can leave absent fields
alone."""

import csv
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from config import csv_safe, phones

from .codes import code_table, language_fallback

SAMHSA_JSON = "samhsa-json"
SAMHSA_CSV = "samhsa-csv"
SAMHSA_OTP = "samhsa-otp"
NSSATS = "nssats"
FINDCARE_JSON = "findcare-json"
FINDCARE_CSV = "findcare-csv"
FORMATS = [SAMHSA_JSON, SAMHSA_CSV, SAMHSA_OTP, NSSATS, FINDCARE_JSON, FINDCARE_CSV]
# Who publishes what a format carries: the provenance source of the values
# it writes. The locator's JSON and CSV are one source.
SOURCE_KEYS = {
    SAMHSA_JSON: "samhsa-locator",
    SAMHSA_CSV: "samhsa-locator",
    SAMHSA_OTP: "samhsa-otp-directory",
    NSSATS: "samhsa-n-ssats",
    FINDCARE_JSON: "findcare",
    FINDCARE_CSV: "findcare",
}


def column_key(name) -> str:
    """'Zip Code', 'zip_code' and 'ZIPCODE' are one column."""
    return re.sub(r"[^a-z0-9]", "", str(name or "").casefold())


# Our name -> the names SAMHSA files have used for it over the years
# (compared with column_key, so case, spaces and underscores do not matter).
SAMHSA_ALIASES = {
    "external_id": ["frid", "facility_id", "id"],
    "name": ["name1", "name", "facility_name", "program_name"],
    "alternate_name": ["name2", "dba"],
    "street1": ["street1", "street", "address1", "address", "street_address"],
    "street2": ["street2", "address2"],
    "city": ["city"],
    "state": ["state", "st"],
    "zip_code": ["zip", "zipcode", "zip_code", "postal_code"],
    "county": ["county"],
    "phone": ["phone", "phone1", "main_phone", "telephone", "phone_number"],
    "intake_phone": ["intake1", "intake", "intake_phone", "intake1a"],
    "hotline_phone": ["hotline1", "hotline", "hotline_phone"],
    "website": ["website", "url", "web", "web_site"],
    "latitude": ["latitude", "lat"],
    "longitude": ["longitude", "lng", "lon", "long"],
    "type_facility": ["type_facility", "typefacility", "facility_type"],
}
SAMHSA_ALIASES = {name: [column_key(a) for a in aliases] for name, aliases in SAMHSA_ALIASES.items()}
SAMHSA_COLUMNS = {alias for aliases in SAMHSA_ALIASES.values() for alias in aliases}
# The OTP directory's certification column; N-SSATS's column of codes.
CERTIFICATION_COLUMNS = ["certification", "certification_status", "otp_certification"]
CODES_COLUMNS = ["service_codes", "services", "codes", "service_code"]
CERTIFICATION_COLUMNS = [column_key(c) for c in CERTIFICATION_COLUMNS]
# The OTP directory's certification date, when the file has one.
CERTIFICATION_DATE_COLUMNS = [
    column_key(c) for c in ["certification_date", "date_certified", "certified_on", "certified_since"]
]
CODES_COLUMNS = [column_key(c) for c in CODES_COLUMNS]
# Codes an OTP directory row stands for: certified, so an OTP.
OTP_DIRECTORY_CODES = frozenset({"OTP", "SOTP"})


class FormatError(Exception):
    """The file as a whole cannot be read (not one of its rows)."""


@dataclass
class RawRecord:
    row: int  # 1-based position in the file (data rows, headers not counted)
    values: dict  # our field name -> raw value, for the columns the file has
    codes: set[str] = field(default_factory=set)  # SAMHSA formats
    unknown: list[str] = field(default_factory=list)  # labels or codes not in the code table
    error: str = ""
    # Codes the file speaks about for this row (its yes/no columns), or None
    # when it lists every service the program has (locator services[],
    # N-SSATS codes column). Terms whose codes are not covered stay as they are.
    covered: set[str] | None = field(default_factory=set)


@dataclass
class ReadResult:
    format: str
    records: list[RawRecord]
    file_notes: list[str] = field(default_factory=list)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]


# --- reading bytes into JSON or a table -----------------------------------------

BINARY_REASON = "is not a text, CSV, JSON, Excel (.xlsx) or HTML file"


def _decode(path: Path, data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode text" export
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FormatError(f"Cannot read {path.name}: broken UTF-16 text.") from exc
    if b"\x00" in data[:8192]:
        raise FormatError(f"Cannot read {path.name}: it {BINARY_REASON}.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FormatError(
            f"Cannot read {path.name}: it {BINARY_REASON} (not UTF-8 or Windows-1252 text)."
        ) from exc


def _load(path: Path):
    """('json', data) or ('table', Table) or ('xlsx', Table)."""
    data = path.read_bytes()
    if not data.strip():
        raise FormatError(f"Cannot read {path.name}: the file is empty.")
    if data[:4] == b"PK\x03\x04":
        return "xlsx", _read_xlsx(path)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FormatError(
            f"Cannot read {path.name}: it is an old Excel .xls workbook; save it as .xlsx or CSV."
        )
    text = _decode(path, data)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return "json", json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormatError(f"Cannot read {path.name}: not valid JSON ({exc}).") from exc
    if re.search(r"(?i)<table[\s>]", text[:200000]):
        return "html", _read_html(path, text)
    if stripped.startswith("<"):
        raise FormatError(f"Cannot read {path.name}: it is an HTML or XML page without a table.")
    return "csv", _read_csv(text)


def _read_csv(text: str) -> Table:
    first = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max([",", "\t", ";", "|"], key=first.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    return Table(rows[0] if rows else [], rows[1:])


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.row, self.cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if any(self.row):
                self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _read_html(path: Path, text: str) -> Table:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [t for t in parser.tables if len(t) >= 1]
    if not tables:
        raise FormatError(f"Cannot read {path.name}: its HTML table has no rows.")
    rows = max(tables, key=len)
    return Table(rows[0], rows[1:])


def _read_xlsx(path: Path) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FormatError(
            f"Cannot read {path.name}: it is a ZIP file but not a readable .xlsx workbook."
        ) from exc
    try:
        for sheet in workbook.worksheets:
            rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            rows = [row for row in rows if any(row)]
            if rows:
                return Table(rows[0], rows[1:])
    finally:
        workbook.close()
    raise FormatError(f"Cannot read {path.name}: the .xlsx workbook has no rows.")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- format detection -----------------------------------------------------------


def _table_format(table: Table) -> str | None:
    keys = {column_key(name) for name in table.header}
    if {"slug", "levelsofcare"} & keys:
        return FINDCARE_CSV
    if "programname" in keys or set(CERTIFICATION_COLUMNS) & keys:
        return SAMHSA_OTP
    if set(CODES_COLUMNS) & keys and set(SAMHSA_ALIASES["name"]) & keys:
        return NSSATS
    if set(SAMHSA_ALIASES["name"]) & keys:
        return SAMHSA_CSV
    return None


def _columns_found(table: Table) -> str:
    names = [name for name in table.header if str(name).strip()]
    shown = ", ".join(repr(str(n)) for n in names[:15]) + (
        f" and {len(names) - 15} more" if len(names) > 15 else ""
    )
    return shown or "none"


def detect_format(path: Path) -> str:
    kind, content = _load(path)
    return _detect(path, kind, content)


def _detect(path: Path, kind: str, content) -> str:
    if kind == "json":
        if isinstance(content, dict) and ("programs" in content or content.get("format") == "findcare"):
            return FINDCARE_JSON
        return SAMHSA_JSON
    fmt = _table_format(content)
    if fmt is None:
        raise FormatError(
            f"Cannot read {path.name}: no facility name column (such as name1, Name or Program Name). "
            f"Columns found: {_columns_found(content)}."
        )
    return fmt


def read(path: Path, fmt: str | None = None) -> ReadResult:
    kind, content = _load(path)
    fmt = fmt or _detect(path, kind, content)
    json_formats = {SAMHSA_JSON, FINDCARE_JSON}
    if (kind == "json") != (fmt in json_formats):
        what = "JSON" if kind == "json" else "a table"
        raise FormatError(f"Cannot read {path.name} as {fmt}: it is {what}; leave out --format to detect it.")
    if fmt == SAMHSA_JSON:
        return read_samhsa_json(content)
    if fmt == FINDCARE_JSON:
        return read_findcare_json(content)
    if fmt == FINDCARE_CSV:
        return read_findcare_table(content)
    keys = {column_key(name) for name in content.header}
    if not set(SAMHSA_ALIASES["name"]) & keys:
        raise FormatError(
            f"Cannot read {path.name} as {fmt}: no facility name column. "
            f"Columns found: {_columns_found(content)}."
        )
    return read_samhsa_table(content, fmt)


# --- SAMHSA ---------------------------------------------------------------------


def _pick(row: dict, aliases: dict[str, list[str]]) -> dict:
    """Our field -> value for every column present (a present column with an
    empty cell gives ''); a field with no column at all is left out."""
    keyed = {}
    for key, value in row.items():
        keyed.setdefault(column_key(key), value)
    values = {}
    for name, candidates in aliases.items():
        present = [c for c in candidates if c in keyed]
        if not present:
            continue
        filled = [keyed[c] for c in present if keyed[c] not in (None, "")]
        values[name] = filled[0] if filled else ""
    return values


LABELLED_FIELDS = {phones.INTAKE: "intake_phone", phones.HOTLINE: "hotline_phone"}


def split_phones(values: dict) -> None:
    """'(555) 555-0100 Intake: (555) 555-0101' or 'Intakes: (850) 769-1632
    x445; (850) 769-1633' in one phone cell (the annual directory): the
    labelled numbers go to their own fields unless the file has them, the
    phone keeps the unlabelled ones (or, with none, a labelled one that
    found no field). Labels are read by config.phones.read_phones."""
    found = phones.read_phones(values.get("phone"))
    if not any(entry.kind in LABELLED_FIELDS for entry in found):
        return
    main = [entry.text for entry in found if entry.kind == phones.MAIN]
    homeless = []
    for kind, name in LABELLED_FIELDS.items():
        numbers = [entry.text for entry in found if entry.kind == kind]
        if numbers and not values.get(name):
            values[name] = "; ".join(numbers)
        else:
            homeless += numbers
    values["phone"] = "; ".join(main or homeless[:1])


def read_samhsa_json(data) -> ReadResult:
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        found = ", ".join(repr(k) for k in list(data)[:15]) if isinstance(data, dict) else "a list"
        raise FormatError(f"Cannot read the file as a locator JSON: no 'rows' list (keys found: {found}).")
    return ReadResult(SAMHSA_JSON, [_samhsa_json_record(n, row) for n, row in enumerate(rows, start=1)])


def _samhsa_json_record(n: int, row) -> RawRecord:
    if not isinstance(row, dict):
        return RawRecord(n, {}, error="not an object")
    record = RawRecord(n, _pick(row, SAMHSA_ALIASES))
    if "services" not in row:
        return record  # nothing said about services: the vocabularies stay as they are
    record.covered = None
    table = code_table()
    for service in row.get("services") or []:
        if not isinstance(service, dict):
            continue
        category = str(service.get("f2") or "").strip()
        for label in str(service.get("f3") or "").split(";"):
            label = label.strip()
            if not label:
                continue
            codes = table.codes_for_label(label, category)
            if codes is None:
                record.unknown.append(f"{category}: {label}" if category else label)
            else:
                record.codes |= codes
    return record


def read_samhsa_table(table: Table, fmt: str) -> ReadResult:
    """The locator's CSV (one 0/1 column per code), the OTP directory and
    the N-SSATS directory (codes space-separated in one column)."""
    codes = code_table()
    header = [str(name or "").strip() for name in table.header]
    keys = [column_key(name) for name in header]
    code_columns, unknown_columns = {}, []
    codes_index = next((i for i, k in enumerate(keys) if k in CODES_COLUMNS), None) if fmt == NSSATS else None
    cert_index = next((i for i, k in enumerate(keys) if k in CERTIFICATION_COLUMNS), None)
    date_index = next((i for i, k in enumerate(keys) if k in CERTIFICATION_DATE_COLUMNS), None)
    for i, (name, key) in enumerate(zip(header, keys, strict=True)):
        if key in SAMHSA_COLUMNS or i in (codes_index, cert_index, date_index) or not name:
            continue
        if fmt == SAMHSA_CSV and (name.upper() in codes.labels or language_fallback(name.upper())):
            code_columns[i] = name.upper()
        else:
            unknown_columns.append(name)
    records = []
    for n, cells in enumerate(table.rows, start=1):
        cells = [*cells, *[""] * (len(header) - len(cells))]
        row = {header[i]: cells[i] for i in range(len(header)) if header[i]}
        record = RawRecord(n, _pick(row, SAMHSA_ALIASES))
        split_phones(record.values)
        if fmt == SAMHSA_CSV:
            record.codes = {code for i, code in code_columns.items() if _is_set(cells[i])}
            record.covered = set(code_columns.values())
        elif fmt == SAMHSA_OTP:
            # Every program in SAMHSA's OTP directory is a certified OTP.
            record.codes = set(OTP_DIRECTORY_CODES)
            record.covered = set(OTP_DIRECTORY_CODES)
            _otp_certification(record, cells, cert_index, date_index)
        elif fmt == NSSATS and codes_index is not None:
            record.covered = None
            for code in re.split(r"[\s,;]+", str(cells[codes_index] or "").strip().upper()):
                if not code:
                    continue
                if code in codes.labels or language_fallback(code):
                    record.codes.add(code)
                else:
                    record.unknown.append(code)
        records.append(record)
    notes = [f"column(s) not used: {', '.join(unknown_columns)}"] if unknown_columns else []
    return ReadResult(fmt, records, notes)


def _otp_certification(record: RawRecord, cells: list, cert_index, date_index) -> None:
    """The OTP directory's "Certification" cell ("Full Certification",
    "Provisional Certification") and certification date, raw, for the
    cleaning step (cleaning.clean_otp_certification); no column, no key."""
    if cert_index is not None:
        record.values["otp_certification"] = cells[cert_index]
    if date_index is not None:
        record.values["otp_certified_on"] = cells[date_index]


def _is_set(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "y", "x"}


# --- the project's own format ------------------------------------------------------


def read_findcare_json(data) -> ReadResult:
    programs = data.get("programs") if isinstance(data, dict) else data
    if not isinstance(programs, list):
        raise FormatError("The JSON has no 'programs' list.")
    records = [
        RawRecord(n, dict(row)) if isinstance(row, dict) else RawRecord(n, {}, error="not an object")
        for n, row in enumerate(programs, start=1)
    ]
    return ReadResult(FINDCARE_JSON, records)


def read_findcare_table(table: Table) -> ReadResult:
    """Our own export: formula-escaped cells are read back as written, and
    the end-of-file line (config/csv_safe.py) is not a program."""
    header = [str(name or "").strip() for name in table.header]
    records = []
    for n, cells in enumerate(table.rows, start=1):
        if csv_safe.is_end_line(cells):
            continue
        cells = [csv_safe.unescape_cell(cell) for cell in [*cells, *[""] * (len(header) - len(cells))]]
        records.append(RawRecord(n, {header[i]: cells[i] for i in range(len(header)) if header[i]}))
    return ReadResult(FINDCARE_CSV, records)


# --- the file's columns (the admin upload offers them for column mapping) ------------


def file_columns(path: Path, *, sample: int = 200) -> list[str]:
    """The column names of a table, or the keys of a JSON file's first
    `sample` rows, in file order. Raises FormatError when the file as a
    whole cannot be read (empty, binary, old .xls, broken .xlsx or JSON)."""
    kind, content = _load(path)
    if kind != "json":
        return [str(name).strip() for name in content.header if str(name or "").strip()]
    rows = content
    if isinstance(content, dict):
        rows = next((content[k] for k in ("rows", "programs") if isinstance(content.get(k), list)), [])
    names: dict[str, None] = {}
    for row in rows[:sample] if isinstance(rows, list) else []:
        if isinstance(row, dict):
            names.update(dict.fromkeys(str(key) for key in row))
    return list(names)
