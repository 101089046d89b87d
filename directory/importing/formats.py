"""Reading facility files into raw records, one per row, before any
cleaning. Six formats: the SAMHSA locator JSON and directory CSV, the SAMHSA
opioid treatment program (OTP) directory, the N-SSATS national directory,
and the project's own export (CSV and JSON, see directory/exports.py).

Tables may come as CSV (UTF-8 with or without BOM, or Windows-1252; comma,
tab, semicolon or pipe separated), as an HTML table (SAMHSA's "Excel"
downloads often are one) or as a real .xlsx workbook. Column names are
matched ignoring case, spaces and punctuation ("Zip Code" = "zipcode").

Missing is never empty: a record's `values` holds a key only for a field
the row carries (an empty string when its cell is empty), and no key for a
field the row does not carry: a column the file lacks, a column empty in
every row of the file, a JSON key that is absent or null. Likewise a
record's `covered` names only the codes the row speaks about: the locator's
`services: null` (or an empty list), an empty N-SSATS codes cell or an
empty 0/1 cell says nothing. The cleaning and upsert steps leave whatever a
record does not carry alone.

Reading streams (tables.py): records are produced one at a time, and a file
that is cut off or malformed is refused whole before any is used.

Columns can be mapped (`columns={"ID": "name"}`, the command's
`--column ID=name`): the mapped column is read as that field, whatever the
aliases say."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path

from config import csv_safe, phones

from .codes import code_table, language_fallback
from .tables import FormatError, JsonDocument, Table, load

__all__ = ["FormatError", "read", "detect_format", "RawRecord", "ReadResult"]

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


@lru_cache(maxsize=4096)
def column_key(name) -> str:
    """'Zip Code', 'zip_code' and 'ZIPCODE' are one column."""
    return re.sub(r"[^a-z0-9]", "", str(name or "").casefold())


# Our name -> the names SAMHSA files have used for it over the years
# (compared with column_key, so case, spaces and underscores do not matter;
# our own field name is always one of them). The scraped annual directory
# says Center_name (and Keys for its codes column).
SAMHSA_ALIASES = {
    "external_id": ["frid", "facility_id", "id", "external_id"],
    "name": ["name1", "name", "facility_name", "program_name", "center_name", "centre_name"],
    "alternate_name": ["name2", "dba", "alternate_name", "center_name2"],
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
CODES_COLUMNS = ["service_codes", "services", "codes", "service_code", "keys", "key_codes"]
CERTIFICATION_COLUMNS = [column_key(c) for c in CERTIFICATION_COLUMNS]
# The OTP directory's certification date, when the file has one.
CERTIFICATION_DATE_COLUMNS = [
    column_key(c) for c in ["certification_date", "date_certified", "certified_on", "certified_since"]
]
CODES_COLUMNS = [column_key(c) for c in CODES_COLUMNS]
# Codes an OTP directory row stands for: certified, so an OTP.
OTP_DIRECTORY_CODES = frozenset({"OTP", "SOTP"})


@dataclass
class RawRecord:
    row: int  # 1-based position in the file (data rows, headers not counted)
    values: dict  # our field name -> raw value, for the columns the file has
    codes: set[str] = field(default_factory=set)  # SAMHSA formats
    unknown: list[str] = field(default_factory=list)  # labels or codes not in the code table
    error: str = ""
    # Codes the row speaks about (its non-empty yes/no cells), or None when
    # it lists every service the program has (a locator services[] list or
    # an N-SSATS codes cell with something in it). Terms whose codes are not
    # covered stay as they are; the default, nothing covered, touches none.
    covered: set[str] | None = field(default_factory=set)


@dataclass
class ReadResult:
    format: str
    records: Iterable[RawRecord]  # produced one at a time, in file order
    file_notes: list[str] = field(default_factory=list)
    rows: int | None = None  # data rows, when known before reading them


# --- column mapping ---------------------------------------------------------------

# Fields a column can be mapped to (`--column SOURCE=FIELD`).
MAPPABLE_FIELDS = [*SAMHSA_ALIASES, "codes", "certification"]
_TARGET_KEYS = {
    **SAMHSA_ALIASES,
    "codes": CODES_COLUMNS,
    "certification": CERTIFICATION_COLUMNS,
}


def check_columns(columns: dict[str, str] | None) -> dict[str, str]:
    """{source column: our field}, checked: every field must be one the
    importer knows (the file's columns are checked once it is open)."""
    columns = {str(k).strip(): str(v).strip() for k, v in (columns or {}).items()}
    for source, target in columns.items():
        if not source:
            raise FormatError(f"Column mapping '={target}': the file's column name is missing.")
        if target not in MAPPABLE_FIELDS:
            raise FormatError(
                f"Column mapping {source}={target}: {target!r} is not a field the import knows. "
                f"Fields: {', '.join(MAPPABLE_FIELDS)}."
            )
    targets = list(columns.values())
    twice = sorted({t for t in targets if targets.count(t) > 1})
    if twice:
        raise FormatError(f"Column mapping: {', '.join(twice)} mapped from more than one column.")
    return columns


def _find_column(names: list[str], source: str) -> int | None:
    """The column a mapping names: its exact name, else the same column_key."""
    stripped = [str(n or "").strip() for n in names]
    if source in stripped:
        return stripped.index(source)
    keys = [column_key(n) for n in names]
    return keys.index(column_key(source)) if column_key(source) in keys else None


def _list_columns(names: list[str], limit: int = 40) -> str:
    names = [str(n).strip() for n in names if str(n or "").strip()]
    shown = ", ".join(repr(n) for n in names[:limit])
    return (shown + (f" and {len(names) - limit} more" if len(names) > limit else "")) or "none"


def map_header(path: Path, header: list[str], columns: dict[str, str]) -> tuple[list[str], list[str]]:
    """The header with mapped columns renamed to their field, and every other
    column that would be read as a mapped field left unnamed (unused).
    Returns (header, notes)."""
    header = [str(name or "").strip() for name in header]
    if not columns:
        return header, []
    renamed = {}
    for source, target in columns.items():
        index = _find_column(header, source)
        if index is None:
            raise FormatError(
                f"Cannot read {path.name}: column mapping {source}={target}: the file has no column "
                f"{source!r}. Columns found: {_list_columns(header)}."
            )
        renamed[index] = target
    targets = set(columns.values())
    shadowed = [
        name
        for i, name in enumerate(header)
        if i not in renamed and any(column_key(name) in _TARGET_KEYS[t] for t in targets)
    ]
    mapped = [renamed.get(i, "" if name in shadowed else name) for i, name in enumerate(header)]
    notes = (
        [f"column(s) not used, mapped from another column instead: {', '.join(shadowed)}"] if shadowed else []
    )
    return mapped, notes


def _map_keys(row: dict, columns: dict[str, str]) -> dict:
    """A JSON row with mapped keys renamed (and keys they replace dropped)."""
    if not columns:
        return row
    targets = set(columns.values())
    mapped = {}
    for key, value in row.items():
        if key in columns:
            mapped[columns[key]] = value
        elif not any(column_key(key) in _TARGET_KEYS[t] for t in targets):
            mapped.setdefault(key, value)
    return mapped


# --- format detection -----------------------------------------------------------


def _table_format(header: list[str]) -> str | None:
    keys = {column_key(name) for name in header if name}
    if {"slug", "levelsofcare"} & keys:
        return FINDCARE_CSV
    if "programname" in keys or set(CERTIFICATION_COLUMNS) & keys:
        return SAMHSA_OTP
    if set(CODES_COLUMNS) & keys and set(SAMHSA_ALIASES["name"]) & keys:
        return NSSATS
    if set(SAMHSA_ALIASES["name"]) & keys:
        return SAMHSA_CSV
    return None


def detect_format(path: Path, columns: dict[str, str] | None = None) -> str:
    return read(path, columns=columns).format


def _no_name_column(path: Path, header: list[str], fmt: str = "") -> FormatError:
    as_format = f" as {fmt}" if fmt else ""
    return FormatError(
        f"Cannot read {path.name}{as_format}: no facility name column (such as name1, Name or Program Name). "
        f"Columns found: {_list_columns(header)}. Map one with --column COLUMN=name."
    )


def read(path: Path, fmt: str | None = None, columns: dict[str, str] | None = None) -> ReadResult:
    """Open, check and start reading a file. Raises FormatError when the
    file as a whole cannot be read: empty, binary, cut off or malformed
    (naming the line), no name column, an unknown mapped column or field.
    The records are produced while they are consumed."""
    path = Path(path)
    columns = check_columns(columns)
    kind, content = load(path)
    if kind == "json":
        return _read_json(path, content, fmt, columns)
    header, notes = map_header(path, content.header, columns)
    detected = _table_format(header)
    fmt = fmt or detected
    if fmt in JSON_FORMATS:
        raise FormatError(
            f"Cannot read {path.name} as {fmt}: it is a table; leave out --format to detect it."
        )
    if fmt is None:
        raise _no_name_column(path, header)
    if fmt == FINDCARE_CSV:
        return ReadResult(fmt, read_findcare_table(header, content), notes, content.count)
    if not set(SAMHSA_ALIASES["name"]) & {column_key(name) for name in header if name}:
        raise _no_name_column(path, header, fmt)
    result = read_samhsa_table(header, content, fmt)
    result.file_notes[:0] = notes
    return result


JSON_FORMATS = {"samhsa-json", "findcare-json"}


def _read_json(path: Path, document: JsonDocument, fmt: str | None, columns: dict) -> ReadResult:
    findcare = document.container == "programs" or document.format == "findcare"
    detected = FINDCARE_JSON if findcare else SAMHSA_JSON
    fmt = fmt or detected
    if fmt not in JSON_FORMATS:
        raise FormatError(f"Cannot read {path.name} as {fmt}: it is JSON; leave out --format to detect it.")
    wanted = "programs" if fmt == FINDCARE_JSON else "rows"
    if document.container is None and document.top_keys:
        found = ", ".join(repr(k) for k in document.top_keys[:15])
        raise FormatError(f"Cannot read {path.name} as {fmt}: no {wanted!r} list (keys found: {found}).")
    rows = iter(document)
    first = next(rows, None)
    if columns and isinstance(first, dict):
        keys, resolved = list(first), {}
        for source, target in columns.items():
            index = _find_column(keys, source)
            if index is None:
                raise FormatError(
                    f"Cannot read {path.name}: column mapping {source}={target}: its rows have no key "
                    f"{source!r}. Keys found: {_list_columns(keys)}."
                )
            resolved[keys[index]] = target
        columns = resolved
    rows = chain([first], rows) if first is not None else iter(())
    if fmt == FINDCARE_JSON:
        return ReadResult(fmt, read_findcare_json(rows, columns))
    return ReadResult(fmt, read_samhsa_json(rows, columns))


# --- SAMHSA ---------------------------------------------------------------------


def _pick(row: dict, aliases: dict[str, list[str]]) -> dict:
    """Our field -> value for every key the row carries: a key that is
    present with an empty string gives ''; a field whose keys are all absent
    or null (JSON's "says nothing") is left out."""
    keyed = {}
    for key, value in row.items():
        if value is not None:
            keyed.setdefault(column_key(key), value)
    values = {}
    for name, candidates in aliases.items():
        present = [c for c in candidates if c in keyed]
        if not present:
            continue
        filled = [keyed[c] for c in present if keyed[c] != ""]
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


def read_samhsa_json(rows: Iterable, columns: dict[str, str] | None = None) -> Iterator[RawRecord]:
    for n, row in enumerate(rows, start=1):
        yield _samhsa_json_record(n, _map_keys(row, columns) if isinstance(row, dict) else row)


def _samhsa_json_record(n: int, row) -> RawRecord:
    if not isinstance(row, dict):
        return RawRecord(n, {}, error="not an object")
    record = RawRecord(n, _pick(row, SAMHSA_ALIASES))
    if not row.get("services"):
        # Absent, null (the locator API's OTP rows) or empty: nothing said
        # about services, so the vocabularies and flags stay as they are.
        return record
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


def _columns_of(header: list[str], usable: set[int]) -> dict[str, list[int]]:
    """Our field -> the usable columns that hold it, in alias order."""
    keys = [column_key(name) if name else "" for name in header]
    found = {}
    for name, aliases in SAMHSA_ALIASES.items():
        indexes = [i for alias in aliases for i, key in enumerate(keys) if key == alias and i in usable]
        if indexes:
            found[name] = indexes
    return found


def read_samhsa_table(header: list[str], table: Table, fmt: str) -> ReadResult:
    """The locator's CSV (one 0/1 column per code), the OTP directory and
    the N-SSATS directory (codes space-separated in one column). A column
    whose every cell is empty is taken as absent: a file that does not carry
    a field erases nothing of it."""
    codes = code_table()
    keys = [column_key(name) for name in header]
    empty = [name for i, name in enumerate(header) if name and i not in table.filled]
    usable = {i for i, name in enumerate(header) if name and i in table.filled}
    code_columns, unknown_columns = {}, []
    codes_index = next((i for i, k in enumerate(keys) if k in CODES_COLUMNS), None) if fmt == NSSATS else None
    cert_index = next((i for i, k in enumerate(keys) if k in CERTIFICATION_COLUMNS), None)
    date_index = next((i for i, k in enumerate(keys) if k in CERTIFICATION_DATE_COLUMNS), None)
    for i, (name, key) in enumerate(zip(header, keys, strict=True)):
        if key in SAMHSA_COLUMNS or i in (codes_index, cert_index, date_index) or not name or i not in usable:
            continue
        if fmt == SAMHSA_CSV and (name.upper() in codes.labels or language_fallback(name.upper())):
            code_columns[i] = name.upper()
        else:
            unknown_columns.append(name)
    notes = [f"column(s) not used: {', '.join(unknown_columns)}"] if unknown_columns else []
    if empty:
        notes.append(
            f"column(s) empty in every row, taken as absent (they change nothing): {', '.join(empty)}"
        )
    fields = _columns_of(header, usable)
    codes_index, cert_index, date_index = (
        i if i in usable else None for i in (codes_index, cert_index, date_index)
    )
    records = _samhsa_table_records(table, fmt, fields, code_columns, codes_index, (cert_index, date_index))
    return ReadResult(fmt, records, notes, table.count)


def _samhsa_table_records(
    table, fmt, fields, code_columns, codes_index, certification
) -> Iterator[RawRecord]:
    cert_index, date_index = certification
    codes = code_table()
    width = len(table.header)
    for n, cells in enumerate(table.rows, start=1):
        if len(cells) < width:
            cells = [*cells, *[""] * (width - len(cells))]  # HTML and workbook rows may be shorter
        values = {}
        for name, indexes in fields.items():
            filled = [cells[i] for i in indexes if cells[i] not in (None, "")]
            values[name] = filled[0] if filled else ""
        record = RawRecord(n, values)
        split_phones(record.values)
        if fmt == SAMHSA_CSV:
            # An empty cell (not 0) says nothing about its code.
            record.codes = {code for i, code in code_columns.items() if _is_set(cells[i])}
            record.covered = {code for i, code in code_columns.items() if str(cells[i] or "").strip()}
        elif fmt == SAMHSA_OTP:
            # Every program in SAMHSA's OTP directory is a certified OTP.
            record.codes = set(OTP_DIRECTORY_CODES)
            record.covered = set(OTP_DIRECTORY_CODES)
            _otp_certification(record, cells, cert_index, date_index)
            _public_name_first(record.values)
        elif fmt == NSSATS and codes_index is not None and str(cells[codes_index] or "").strip():
            record.covered = None
            for code in re.split(r"[\s,;]+", str(cells[codes_index] or "").strip().upper()):
                if not code:
                    continue
                if code in codes.labels or language_fallback(code):
                    record.codes.add(code)
                else:
                    record.unknown.append(code)
        yield record


# A company's legal form at the end of a name: "Example Recovery Systems, LLC".
LEGAL_ENTITY = re.compile(
    r"(?i)[\s,]+(?:l\.?l\.?c|inc|incorporated|corp|corporation|ltd|l\.?l\.?p|p\.?l\.?l\.?c|p\.?c|co)\.?\s*$"
)


def _public_name_first(values: dict) -> None:
    """The OTP directory's Program Name is often the legal entity ("Charles
    Street Recovery Systems, LLC") and its DBA the name families know
    ("Charles Street Treatment Services"): then the DBA is the listing's
    name and the legal name its second name. Other names stay as they are."""
    name, dba = values.get("name") or "", values.get("alternate_name") or ""
    if dba and LEGAL_ENTITY.search(name) and not LEGAL_ENTITY.search(dba):
        values["name"], values["alternate_name"] = dba, name


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


def read_findcare_json(rows: Iterable, columns: dict[str, str] | None = None) -> Iterator[RawRecord]:
    for n, row in enumerate(rows, start=1):
        if isinstance(row, dict):
            yield RawRecord(n, _map_keys(row, columns))
        else:
            yield RawRecord(n, {}, error="not an object")


def read_findcare_table(header: list[str], table: Table) -> Iterator[RawRecord]:
    """Our own export: formula-escaped cells are read back as written, and
    the end-of-file line (config/csv_safe.py) is not a program."""
    width = len(header)
    for n, cells in enumerate(table.rows, start=1):
        if csv_safe.is_end_line(cells):
            continue
        cells = [csv_safe.unescape_cell(cell) for cell in [*cells, *[""] * (width - len(cells))]]
        yield RawRecord(n, {header[i]: cells[i] for i in range(width) if header[i]})


# --- the file's columns (the admin upload offers them for column mapping) ------------


def file_columns(path: Path, *, sample: int = 200) -> list[str]:
    """The column names of a table, or the keys of a JSON file's first
    `sample` rows, in file order. Raises FormatError when the file as a
    whole cannot be read (empty, binary, old .xls, cut off or malformed)."""
    kind, content = load(path)
    if kind != "json":
        return [str(name).strip() for name in content.header if str(name or "").strip()]
    names: dict[str, None] = {}
    for n, row in enumerate(content):
        if n >= sample:
            break
        if isinstance(row, dict):
            names.update(dict.fromkeys(str(key) for key in row))
    return list(names)
