"""Where each value of a listing came from: an import file (and which, and
the date of its data), our staff in the admin, or the center in the portal.
One FieldProvenance row per program maps field names to {"source", "file",
"at", "as_of"}; staff see it on the listing's Source tab, families a one-line
"Source: ..." on the program page.

Who may replace what (issue 21; importing/upsert.py and merging.py apply it,
docs/data-import.md states it):
- a value from an older source never replaces one from a newer source
  ("as_of", the date of the data; files of the same date: the one loaded
  later);
- a center's or staff's own value is replaced only by a file whose data
  is newer than the day they set it;
- an empty value never erases another source's value (only the same
  source, or the site's own export, may empty it);
- a vocabulary a file covers only in part (the OTP directory's OTP level)
  keeps a stamp per term ("levels_of_care:12"), so the file speaks only for
  those terms."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from .models import FieldProvenance, Program

# Fields that are the site's own bookkeeping, never anybody's value.
PROVENANCE_SKIP = {"slug", "source", "status", "coordinate_flag", "organization_id", "verified_by_id"}

# What a center sets in the portal is recorded as source "center" (Program's
# own Source choice), with where it came in as the "file".
CENTER_SOURCE = Program.Source.CENTER.value
CENTER_PORTAL = "center portal"  # published when the center saved it
CENTER_PORTAL_REVIEWED = "center portal, approved in review"  # held, then approved
STAFF_SOURCE = "staff"  # values typed in the admin
OWN_EXPORT = "findcare"  # the site's own export: a backup, it may restore anything
PEOPLE = {STAFF_SOURCE, CENTER_SOURCE}

# The import sources, as families read them on the program page.
SOURCE_NAMES = {
    "samhsa-locator": "SAMHSA's treatment locator (FindTreatment.gov)",
    "samhsa-otp-directory": "SAMHSA's opioid treatment program directory",
    "samhsa-n-ssats": "SAMHSA's annual national directory (N-SSATS / N-SUMHSS)",
    CENTER_SOURCE: "the center",
    STAFF_SOURCE: "our staff",
}
# A vocabulary term's own stamp, for files that cover only some terms.
TERM_SEPARATOR = ":"


def term_key(relation: str, term_id: int) -> str:
    return f"{relation}{TERM_SEPARATOR}{term_id}"


def make_stamp(*, source: str, file_name: str = "", as_of: datetime.date | None = None) -> dict:
    now = timezone.now()
    return {
        "source": source,
        "file": file_name,
        "at": now.isoformat(),
        "as_of": (as_of or timezone.localdate(now)).isoformat(),
    }


def stamp_date(stamp: dict | None) -> datetime.date | None:
    """The date of the data a stamp stands for: its "as_of"; for staff and
    the center (who set the value that day) the day of "at"; None for an
    import recorded before data dates were kept (older than any dated file)."""
    if not stamp:
        return None
    if stamp.get("as_of"):
        return parse_date(stamp["as_of"])
    if stamp.get("source") in PEOPLE and stamp.get("at"):
        at = parse_datetime(stamp["at"])
        return timezone.localdate(at) if at and timezone.is_aware(at) else (at.date() if at else None)
    return None


def stamp_beats(new: dict, old: dict | None, *, old_is_empty: bool = False) -> bool:
    """May a value stamped `new` replace one stamped `old`? (The rule above,
    without the empty-cell rule, which the caller applies.) An empty value
    an import recorded bars only its own source's older files."""
    if not old or new.get("source") == OWN_EXPORT:
        return True
    new_date, old_date = stamp_date(new), stamp_date(old)
    if old_date is None:
        return True
    if new_date is None:
        return False
    if old.get("source") in PEOPLE:
        return new_date > old_date or (new.get("source") in PEOPLE and new_date >= old_date)
    if old_is_empty and old.get("source") != new.get("source"):
        return True
    return new_date >= old_date


def program_provenance_record(*, program_id: int, fields, source: str, file_name: str = "") -> None:
    """Record that `source` set these fields of one program now (staff
    edits in the admin use source "staff", a center's edits in the portal
    "center"), so a later import's empty cell does not erase them. The row
    is locked while its JSON is merged, so two writers never drop each
    other's fields."""
    names = [name for name in fields if name not in PROVENANCE_SKIP]
    if not names:
        return
    stamp = make_stamp(source=source, file_name=file_name)
    with transaction.atomic():
        row, _ = FieldProvenance.objects.select_for_update().get_or_create(program_id=program_id)
        kept = {key: value for key, value in row.fields.items() if key.split(TERM_SEPARATOR)[0] not in names}
        row.fields = {**kept, **dict.fromkeys(names, stamp)}
        row.save(update_fields=["fields"])


# --- the program page's "Source:" line ----------------------------------------------

# What a family reads on the page: who the listing is and how to reach it,
# and what care it offers.
SHOWN_FIELDS = (
    "name", "alternate_name", "street1", "city", "phone", "intake_phone", "hotline_phone", "website",
    "levels_of_care", "medications", "payment_options", "populations", "languages", "otp_certified",
    "description", "hours", "accepting_clients",
)  # fmt: skip


def program_sources(fields: dict, *, program_source: str = "") -> list[dict]:
    """[{"name": "SAMHSA's treatment locator (FindTreatment.gov)", "date":
    date, "dated": True}, ...]: the sources of what the program page shows,
    newest first, each with the newest date of its data ("dated" False when
    only the day of the import is known). A listing without provenance
    names its own source, undated."""
    found: dict[str, tuple[datetime.date | None, bool]] = {}
    for key, stamp in fields.items():
        if key.split(TERM_SEPARATOR)[0] not in SHOWN_FIELDS or stamp.get("source") not in SOURCE_NAMES:
            continue
        date, dated = stamp_date(stamp), True
        if date is None and stamp.get("at"):
            at = parse_datetime(stamp["at"])
            date, dated = (at.date() if at else None), False
        have = found.get(stamp["source"])
        if have is None or (date and (have[0] is None or date > have[0])):
            found[stamp["source"]] = (date, dated)
    if not found and program_source:
        name = {Program.Source.SAMHSA: SOURCE_NAMES["samhsa-locator"]}.get(program_source)
        name = name or SOURCE_NAMES.get(program_source)
        return [{"name": name, "date": None, "dated": False}] if name else []
    rows = [{"name": SOURCE_NAMES[s], "date": d, "dated": dated} for s, (d, dated) in found.items()]
    return sorted(rows, key=lambda row: row["date"] or datetime.date.min, reverse=True)
