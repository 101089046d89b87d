"""Checking and cleaning one raw record into values for a Program, noting
every fix. A record that cannot become a listing gets an error and is
skipped; nothing here touches the database (the term and user maps are
loaded once by the caller)."""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models

from config import phones
from directory import geo
from directory.models import US_STATES, Program

from . import ligatures
from .codes import (
    OTP_CERTIFIED_CODES,
    RELATION_MODELS,
    TELEHEALTH_CODES,
    TermMap,
    code_status,
    code_table,
    language_fallback,
)
from .formats import FINDCARE_CSV, FINDCARE_JSON, RawRecord
from .otp import clean_facility_type, clean_otp_certification, infer_from_certification

STATE_CODES = {code for code, _ in US_STATES}
STATE_BY_NAME = {name.casefold(): code for code, name in US_STATES}
TRUE_WORDS = {"1", "true", "t", "yes", "y"}
FALSE_WORDS = {"0", "false", "f", "no", "n", ""}
PHONE_FIELDS = ("phone", "intake_phone", "hotline_phone")
# Program fields the project's own format may carry (besides the M2Ms and
# the organization, handled apart).
FINDCARE_FIELDS = [
    f.name
    for f in Program._meta.concrete_fields
    if f.name not in {"id", "organization", "verified_by", "created_at", "updated_at", "latest_revision"}
]
_url_validator = URLValidator(schemes=["http", "https"])
_email_validator = EmailValidator()


@dataclass(slots=True)  # slots: a large file's records are held in memory at once
class Record:
    row: int
    fields: dict  # Program field -> clean value (only fields the file gives)
    links: dict[str, set[int]] = field(default_factory=dict)  # M2M field -> term ids
    organization: tuple[str, str] | None = None  # (slug, name)
    verified_by: str | None = None  # username
    notes: list[str] = field(default_factory=list)
    error: str = ""
    unknown: list[str] = field(default_factory=list)  # for the import's summary
    # M2M field -> the term ids the file speaks about (None: all of them).
    # Terms outside it keep their links; a field missing here is untouched.
    covered: dict[str, set[int] | None] = field(default_factory=dict)
    # Values used only when the row creates a program (e.g. coordinates from
    # the ZIP centre when the file has no coordinate columns).
    defaults: dict = field(default_factory=dict)
    # M2M field -> why terms were added that the file does not name (e.g.
    # methadone for a certified OTP), kept in the field's provenance.
    inferred: dict[str, str] = field(default_factory=dict)
    # Why this row may update a listing but must not create one ('' = it may).
    no_create: str = ""
    mental_health_only: bool = False

    @property
    def source(self) -> str:
        return self.fields.get("source", "")

    @property
    def external_id(self) -> str:
        return self.fields.get("external_id", "")


def clean(raw: RawRecord, *, fmt: str, terms: TermMap, include_mental_health: bool = False) -> Record:
    if fmt in (FINDCARE_CSV, FINDCARE_JSON):
        record = clean_findcare(raw, terms=terms)
    else:
        record = clean_samhsa(raw, terms=terms, include_mental_health=include_mental_health)
    if not record.error:
        check_required(record)
    if record.error:
        record.notes = []  # a skipped row is reported with its reason only
    else:
        truncate(record)
    return record


# --- SAMHSA -----------------------------------------------------------------

SAMHSA_TEXT_FIELDS = ("name", "alternate_name", "street1", "street2", "city", "county", "external_id")
# Fields a PDF scrape may have damaged (ligatures.py).
SCRAPED_TEXT_FIELDS = ("name", "alternate_name", "street1", "street2", "city", "county")
DAMAGED_NOTE = "looks damaged by a PDF scrape"


def clean_samhsa(raw: RawRecord, *, terms: TermMap, include_mental_health: bool = False) -> Record:
    """Only the columns the file has become fields: an absent column leaves
    the program's value alone."""
    record = Record(row=raw.row, fields={}, error=raw.error)
    if raw.error:
        return record
    values = raw.values
    record.fields["source"] = Program.Source.SAMHSA
    for name in SAMHSA_TEXT_FIELDS:
        if name in values:
            record.fields[name] = _text(values[name])
            if name in SCRAPED_TEXT_FIELDS:
                record.fields[name] = repair_text(record, name, record.fields[name])
    clean_address(record, values)
    for name in PHONE_FIELDS:
        if name in values:
            record.fields[name] = clean_phone(record, name, values[name])
    if "website" in values:
        record.fields["website"] = clean_website(record, values["website"])
    if "latitude" in values or "longitude" in values:
        clean_coordinates(record, values, replace_far=True)
    else:
        clean_coordinates(record, values, replace_far=True, only_defaults=True)
    apply_codes(record, raw, terms)
    # OTP certification and facility type (importing/otp.py).
    clean_otp_certification(record, values)
    infer_from_certification(record, terms)
    clean_facility_type(
        record, values, raw.codes, lists_all=raw.covered is None, include_mental_health=include_mental_health
    )
    return record


def apply_codes(record: Record, raw: RawRecord, terms: TermMap) -> None:
    """Codes -> vocabulary links and flags, for the codes the file covers:
    a locator row with services[] covers all, a CSV its code columns, an OTP
    directory row only OTP certification. A language code of SAMHSA's
    pattern we cannot name (F.., N..) links the general language term (FX,
    NX). A code is unknown only when it is neither mapped, nor a flag, nor
    in the table with a documented reason (codes.NOT_SHOWN*)."""
    unknown = list(raw.unknown)
    present = set(raw.codes)
    for code in sorted(raw.codes):
        status = code_status(code, terms)
        if status == "unknown":
            unknown.append(code)
        elif status == "language":
            general = language_fallback(code)
            present.add(general)
            shown = code_table().label(general)
            record.notes.append(f"language code {code} is not in our code table; shown as {shown!r}")
    links: dict[str, set[int]] = {}
    if raw.covered is None:
        for code in present:
            for field_name, term_id in terms.by_code.get(code, []):
                links.setdefault(field_name, set()).add(term_id)
        record.links = {name: shared_terms(links.get(name, ())) for name in RELATION_MODELS}
        record.covered = ALL_COVERED
        record.fields["offers_telehealth"] = bool(raw.codes & TELEHEALTH_CODES)
        record.fields["otp_certified"] = bool(raw.codes & OTP_CERTIFIED_CODES)
    else:
        # A term is set when one of its codes is; it may be unset only when
        # the file has a column for every one of its codes (the covered set,
        # shared by every row with the same columns: a large file's rows
        # would otherwise each hold their own copy).
        covered = fully_covered(terms, frozenset(raw.covered))
        general = present - raw.codes  # language terms standing for codes we cannot name
        for code in (present & raw.covered) | general:
            for field_name, term_id in terms.by_code.get(code, []):
                links.setdefault(field_name, set()).add(term_id)
        if set(links) - set(covered):
            covered = {**covered, **{name: frozenset() for name in links if name not in covered}}
        record.links = {name: shared_terms(links.get(name, ())) for name in covered}
        record.covered = covered
        if raw.covered & TELEHEALTH_CODES:
            record.fields["offers_telehealth"] = bool(raw.codes & TELEHEALTH_CODES)
        if raw.covered & OTP_CERTIFIED_CODES:
            record.fields["otp_certified"] = bool(raw.codes & OTP_CERTIFIED_CODES)
    record.unknown = unknown
    if unknown:
        record.notes.append(f"unknown service label(s) or code(s) ignored: {', '.join(unknown)}")


def repair_text(record: Record, name: str, text: str) -> str:
    """PDF-scrape ligature damage repaired where one reading is a known
    word, else kept and flagged in the row's notes (and the report)."""
    result = ligatures.repair(text)
    for damaged, fixed in result.repaired:
        record.notes.append(f"{name}: PDF-scrape ligature repaired: {damaged!r} -> {fixed!r}")
    if result.unsure:
        words = ", ".join(repr(word) for word in result.unsure)
        record.notes.append(f"{name}: {words} {DAMAGED_NOTE} (a ligature such as ff, fi or ft); kept as is")
    return result.text


# A record's links and covered maps are shared between records (many rows
# have the same terms): they are replaced, never changed in place.
ALL_COVERED: dict[str, None] = dict.fromkeys(RELATION_MODELS)
_COVERED: dict[int, tuple[TermMap, dict]] = {}
_SHARED_TERMS: dict[frozenset, frozenset] = {}


def shared_terms(ids) -> frozenset[int]:
    """One frozenset object for each distinct set of term ids."""
    ids = frozenset(ids)
    if len(_SHARED_TERMS) > 200_000:
        _SHARED_TERMS.clear()
    return _SHARED_TERMS.setdefault(ids, ids)


def fully_covered(terms: TermMap, codes: frozenset[str]) -> dict[str, frozenset[int]]:
    """M2M field -> the terms all of whose codes are among `codes`, for every
    field one of the codes belongs to. Cached per term map and set of codes."""
    entry = _COVERED.get(id(terms))
    if entry is None or entry[0] is not terms:
        _COVERED.clear()
        entry = _COVERED[id(terms)] = (terms, {})
    cache = entry[1]
    if codes not in cache:
        covered: dict[str, set[int]] = {}
        for code in codes:
            for field_name, term_id in terms.by_code.get(code, []):
                covered.setdefault(field_name, set())
                if terms.codes_of[(field_name, term_id)] <= codes:
                    covered[field_name].add(term_id)
        cache[codes] = {name: frozenset(ids) for name, ids in covered.items()}
    return cache[codes]


# --- the project's own format -------------------------------------------------


def clean_findcare(raw: RawRecord, *, terms: TermMap) -> Record:
    record = Record(row=raw.row, fields={}, error=raw.error)
    if raw.error:
        return record
    values = raw.values
    for name in FINDCARE_FIELDS:
        if name in values and name not in {"latitude", "longitude", "coordinate_flag", "zip_code", "state"}:
            record.fields[name] = convert(record, name, values[name])
    clean_address(record, values)
    for name in PHONE_FIELDS:
        if name in values:
            record.fields[name] = clean_phone(record, name, values[name])
    if "website" in values:
        record.fields["website"] = clean_website(record, values["website"])
    if "inquiry_email" in values:
        record.fields["inquiry_email"] = clean_email(record, values["inquiry_email"])
    clean_coordinates(record, values, replace_far=False)
    record.fields.setdefault("source", Program.Source.STAFF)
    for field_name in RELATION_MODELS:
        if field_name in values:
            record.links[field_name] = term_ids(record, field_name, values[field_name], terms)
            record.covered[field_name] = None
    if _text(values.get("organization_slug")):
        slug = _text(values["organization_slug"])
        record.organization = (slug, _text(values.get("organization")) or slug)
    elif "organization_slug" in values:
        record.organization = ("", "")
    if "verified_by" in values:
        record.verified_by = _text(values["verified_by"])
    return record


def convert(record: Record, name: str, value):
    """A raw cell or JSON value to what the model field holds."""
    model_field = Program._meta.get_field(name)
    if isinstance(model_field, models.BooleanField):
        return value if isinstance(value, bool) else _boolean(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None if model_field.null else (model_field.get_default() if model_field.has_default() else "")
    try:
        converted = model_field.to_python(value.strip() if isinstance(value, str) else value)
    except ValidationError:
        record.notes.append(f"{name}: {value!r} is not valid; left empty")
        return None if model_field.null else ""
    if model_field.choices and converted not in {choice for choice, _ in model_field.choices}:
        record.notes.append(f"{name}: unknown value {value!r}; left at the default")
        return model_field.get_default()
    return converted


def term_ids(record: Record, field_name: str, value, terms: TermMap) -> set[int]:
    slugs = value if isinstance(value, list) else [s.strip() for s in str(value or "").split(";")]
    ids, unknown = set(), []
    for slug in filter(None, slugs):
        if slug in terms.by_slug[field_name]:
            ids.add(terms.by_slug[field_name][slug])
        else:
            unknown.append(slug)
    if unknown:
        record.notes.append(f"{field_name}: unknown term(s) ignored: {', '.join(unknown)}")
    return ids


# --- shared checks ----------------------------------------------------------


def clean_address(record: Record, values: dict) -> None:
    state = _text(values.get("state"))
    state = STATE_BY_NAME.get(state.casefold(), state.upper())
    if not state:
        record.error = "missing state"
    elif state not in STATE_CODES:
        record.error = f"unknown state {values.get('state')!r}"
    record.fields["state"] = state
    raw_zip = _text(values.get("zip_code"))
    zip_code = geo.normalize_zip(raw_zip)
    if not zip_code:
        record.error = record.error or f"invalid ZIP code {raw_zip!r}"
    elif zip_code != raw_zip:
        record.notes.append(f"ZIP {raw_zip!r} normalized to {zip_code}")
    record.fields["zip_code"] = zip_code


def check_required(record: Record) -> None:
    missing = [name for name in ("name", "city") if name in record.fields and not record.fields[name]]
    if "name" not in record.fields or missing:
        record.error = f"missing {', '.join(missing or ['name'])}"


def truncate(record: Record) -> None:
    """PostgreSQL refuses values longer than the column; SQLite would store
    them. Cut them the same way on both and say so."""
    for name, value in record.fields.items():
        limit = Program._meta.get_field(name).max_length
        if limit and isinstance(value, str) and len(value) > limit:
            record.fields[name] = value[:limit].rstrip()
            record.notes.append(f"{name} cut to {limit} characters")


def clean_phone(record: Record, name: str, value) -> str:
    """The cell's first number in the project's one form ('(555) 123-4567
    x12', config.phones), or '' with a note when it has none: placeholders
    such as (999) 999-9999, numbers without an area code, garbage. A cell
    may hold several labelled numbers ('Intakes: (850) 769-1632 x445;
    (850) 769-1633'); fax numbers are never taken."""
    text = _text(value)
    if not text:
        return ""
    found = [entry.phone for entry in phones.read_phones(text) if entry.kind != phones.FAX]
    accepted = [phone for phone in found if phone is not None]
    if not accepted:
        record.notes.append(f"{name}: placeholder or invalid number {text!r} dropped")
        return ""
    return accepted[0].display


def clean_website(record: Record, value) -> str:
    text = _text(value)
    if not text:
        return ""
    if not re.match(r"(?i)^https?://", text):
        text = f"http://{text}"
    try:
        _url_validator(text)
    except ValidationError:
        record.notes.append(f"website: {value!r} is not a web address; dropped")
        return ""
    return text


def clean_email(record: Record, value) -> str:
    text = _text(value)
    if not text:
        return ""
    try:
        _email_validator(text)
    except ValidationError:
        record.notes.append(f"inquiry_email: {value!r} is not an email address; dropped")
        return ""
    return text


def clean_coordinates(
    record: Record, values: dict, *, replace_far: bool, only_defaults: bool = False
) -> None:
    """With only_defaults (a file without coordinate columns) the result is
    used only if the row creates a program: a matched program keeps its own."""
    if record.error or not record.fields.get("zip_code"):
        return
    check = geo.check_coordinates(
        latitude=values.get("latitude"),
        longitude=values.get("longitude"),
        zip_code=record.fields["zip_code"],
        replace_far=replace_far,
    )
    flag = check.flag
    if not flag and "coordinate_flag" in values:
        # Our own export already says how the coordinates were obtained.
        flag = _text(values["coordinate_flag"])
        if flag not in Program.CoordinateFlag.values:
            flag = ""
    target = record.defaults if only_defaults else record.fields
    target.update(latitude=check.latitude, longitude=check.longitude, coordinate_flag=flag)
    if check.note and not only_defaults:
        record.notes.append(check.note)


def _text(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _boolean(value) -> bool:
    return str(value).strip().lower() in TRUE_WORDS


STREET_WORDS = {
    "street": "st", "avenue": "ave", "road": "rd", "boulevard": "blvd", "drive": "dr", "lane": "ln",
    "suite": "ste", "highway": "hwy", "parkway": "pkwy", "place": "pl", "court": "ct", "north": "n",
    "south": "s", "east": "e", "west": "w", "and": "&",
}  # fmt: skip


def normalize_words(text: str) -> str:
    words = re.sub(r"[^\w\s&]", " ", (text or "").casefold()).split()
    return " ".join(STREET_WORDS.get(word, word) for word in words)
