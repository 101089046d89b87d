"""The date of a file's data (issue 21): what the file says ("Data as of
May 1, 2025", "Last updated: 2025-05-01", a JSON "asOf" key), else the
file's modification date. `import_facilities --as-of DATE` overrides both.
Recorded in every value's provenance ("as_of"): an older file never
replaces a newer value (directory/provenance.py)."""

import datetime
import re
from pathlib import Path

HEAD_BYTES = 64 * 1024
MONTHS = {
    name: n
    for n, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE = (
    r"(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<us>\d{1,2}/\d{1,2}/\d{4})"
    rf"|(?P<long>(?:{_MONTH})\.?\s+\d{{1,2}},?\s+\d{{4}})"
    rf"|(?P<month>(?:{_MONTH})\.?\s+\d{{4}})"
)
# "Data as of 05/01/2025", "as of May 2025", "Last updated: 2025-05-01",
# and JSON keys such as "asOf": "2025-05-01" or "lastUpdated".
SAID = re.compile(
    r"(?i)(?:data\s+as\s+of|as\s+of|last\s+updated(?:\s+on)?|updated\s+on|data\s+date|"
    r'"(?:as_?of|data_?date|last_?updated|updated)")\s*[:=\-]?\s*"?\s*(?:' + _DATE + ")"
)


class DateError(ValueError):
    pass


def parse(text: str) -> datetime.date:
    """YYYY-MM-DD, MM/DD/YYYY, 'May 1, 2025' or 'May 2025' (the 1st)."""
    text = " ".join(str(text).split())
    match = re.fullmatch(_DATE, text, flags=re.IGNORECASE)
    if not match:
        raise DateError(f"not a date: {text!r} (use YYYY-MM-DD)")
    try:
        return _from_match(match)
    except ValueError as exc:
        raise DateError(f"not a date: {text!r} ({exc})") from exc


def _from_match(match: re.Match) -> datetime.date:
    if match["iso"]:
        return datetime.date.fromisoformat(match["iso"])
    if match["us"]:
        month, day, year = (int(part) for part in match["us"].split("/"))
        return datetime.date(year, month, day)
    words = re.sub(r"[.,]", " ", match["long"] or match["month"]).split()
    month = MONTHS[words[0].lower()]
    if match["long"]:
        return datetime.date(int(words[2]), month, int(words[1]))
    return datetime.date(int(words[1]), month, 1)


def data_date(path: Path) -> tuple[datetime.date, str]:
    """(date, how it was found): what the file says near its start, else
    its modification date."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.startswith(b"PK"):  # a workbook's text is compressed: not read here
        encoding = "utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
        text = head.decode(encoding, errors="ignore")
        for match in SAID.finditer(text):
            try:
                return _from_match(match), f"the file says {match.group(0).strip()!r}"
            except ValueError:
                continue
    modified = datetime.date.fromtimestamp(path.stat().st_mtime)
    return modified, "the file's modification date"
