"""Reading facility files into raw records, one per row, before any
cleaning. Four formats: the SAMHSA locator JSON and directory CSV, and the
project's own export (CSV and JSON, see directory/exports.py)."""

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from config import csv_safe

from .codes import code_table

SAMHSA_JSON = "samhsa-json"
SAMHSA_CSV = "samhsa-csv"
FINDCARE_JSON = "findcare-json"
FINDCARE_CSV = "findcare-csv"
FORMATS = [SAMHSA_JSON, SAMHSA_CSV, FINDCARE_JSON, FINDCARE_CSV]

# Our name -> the names SAMHSA files have used for it over the years.
SAMHSA_ALIASES = {
    "external_id": ["frid", "facility_id", "id"],
    "name": ["name1", "name", "facility_name"],
    "alternate_name": ["name2", "dba"],
    "street1": ["street1", "street", "address1", "address"],
    "street2": ["street2", "address2"],
    "city": ["city"],
    "state": ["state", "st"],
    "zip_code": ["zip", "zipcode", "zip_code", "postal_code"],
    "county": ["county"],
    "phone": ["phone", "phone1", "main_phone"],
    "intake_phone": ["intake1", "intake", "intake_phone", "intake1a"],
    "hotline_phone": ["hotline1", "hotline", "hotline_phone"],
    "website": ["website", "url", "web"],
    "latitude": ["latitude", "lat"],
    "longitude": ["longitude", "lng", "lon", "long"],
    "type_facility": ["type_facility", "typefacility", "facility_type"],
}
SAMHSA_COLUMNS = {alias for aliases in SAMHSA_ALIASES.values() for alias in aliases}


class FormatError(Exception):
    """The file as a whole cannot be read (not one of its rows)."""


@dataclass
class RawRecord:
    row: int  # 1-based position in the file (data rows, headers not counted)
    values: dict  # our field name -> raw value
    codes: set[str] = field(default_factory=set)  # SAMHSA formats
    unknown: list[str] = field(default_factory=list)  # labels or codes not in the code table
    error: str = ""


@dataclass
class ReadResult:
    format: str
    records: list[RawRecord]
    file_notes: list[str] = field(default_factory=list)


def detect_format(path: Path) -> str:
    suffix = path.suffix.lower()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        head = handle.read(4096)
    if suffix == ".json" or head.lstrip().startswith(("{", "[")):
        if '"programs"' in head or '"format": "findcare"' in head:
            return FINDCARE_JSON
        return SAMHSA_JSON
    header = next(csv.reader([head.splitlines()[0] if head else ""]), [])
    names = {name.strip().lower() for name in header}
    if {"slug", "levels_of_care"} & names:
        return FINDCARE_CSV
    if names & SAMHSA_COLUMNS:
        return SAMHSA_CSV
    raise FormatError("Cannot tell the file's format; pass --format.")


def read(path: Path, fmt: str | None = None) -> ReadResult:
    fmt = fmt or detect_format(path)
    readers = {
        SAMHSA_JSON: read_samhsa_json,
        SAMHSA_CSV: read_samhsa_csv,
        FINDCARE_JSON: read_findcare_json,
        FINDCARE_CSV: read_findcare_csv,
    }
    try:
        return readers[fmt](path)
    except (json.JSONDecodeError, UnicodeDecodeError, csv.Error) as exc:
        raise FormatError(f"Cannot read {path.name} as {fmt}: {exc}") from exc


def _pick(row: dict, aliases: dict[str, list[str]]) -> dict:
    lowered = {str(key).strip().lower(): value for key, value in row.items()}
    values = {}
    for name, candidates in aliases.items():
        for candidate in candidates:
            if candidate in lowered and lowered[candidate] not in (None, ""):
                values[name] = lowered[candidate]
                break
    return values


def read_samhsa_json(path: Path) -> ReadResult:
    with path.open(encoding="utf-8-sig") as handle:
        data = json.load(handle)
    rows = data.get("rows") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise FormatError("The JSON has no 'rows' list.")
    return ReadResult(SAMHSA_JSON, [_samhsa_json_record(n, row) for n, row in enumerate(rows, start=1)])


def _samhsa_json_record(n: int, row) -> RawRecord:
    if not isinstance(row, dict):
        return RawRecord(n, {}, error="not an object")
    record = RawRecord(n, _pick(row, SAMHSA_ALIASES))
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
            if codes:
                record.codes |= codes
            else:
                record.unknown.append(f"{category}: {label}" if category else label)
    return record


def read_samhsa_csv(path: Path) -> ReadResult:
    table = code_table()
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name.strip() for name in reader.fieldnames or []]
        code_columns, unknown = {}, []
        for name in header:
            if name.lower() in SAMHSA_COLUMNS:
                continue
            if name.upper() in table.labels:
                code_columns[name] = name.upper()
            elif name:
                unknown.append(name)
        records = []
        for n, row in enumerate(reader, start=1):
            row = {(key or "").strip(): value for key, value in row.items() if key is not None}
            record = RawRecord(n, _pick(row, SAMHSA_ALIASES))
            record.codes = {code for column, code in code_columns.items() if _is_set(row.get(column))}
            records.append(record)
    notes = [f"unknown service code column(s) ignored: {', '.join(unknown)}"] if unknown else []
    return ReadResult(SAMHSA_CSV, records, notes)


def _is_set(value) -> bool:
    return str(value or "").strip().lower() in {"1", "true", "yes", "y", "x"}


def read_findcare_json(path: Path) -> ReadResult:
    with path.open(encoding="utf-8-sig") as handle:
        data = json.load(handle)
    programs = data.get("programs") if isinstance(data, dict) else data
    if not isinstance(programs, list):
        raise FormatError("The JSON has no 'programs' list.")
    records = [
        RawRecord(n, dict(row)) if isinstance(row, dict) else RawRecord(n, {}, error="not an object")
        for n, row in enumerate(programs, start=1)
    ]
    return ReadResult(FINDCARE_JSON, records)


def read_findcare_csv(path: Path) -> ReadResult:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        records = [
            RawRecord(
                n, {(key or "").strip(): csv_safe.unescape_cell(value) for key, value in row.items() if key}
            )
            for n, row in enumerate(reader, start=1)
            if not csv_safe.is_end_line(row)
        ]
    return ReadResult(FINDCARE_CSV, records)
