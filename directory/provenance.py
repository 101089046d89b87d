"""Where each value of a listing came from: an import file (and which), our
staff in the admin, or the center in the portal. One FieldProvenance row
per program maps field names to {"source", "file", "at"}; staff see it on
the listing's Source tab, and an import's empty cell never erases a value
another source set (importing/upsert.py: only the same source may)."""

from django.db import transaction
from django.utils import timezone

from .models import FieldProvenance, Program

# Fields that are the site's own bookkeeping, never anybody's value.
PROVENANCE_SKIP = {"slug", "source", "status", "coordinate_flag", "organization_id", "verified_by_id"}

# What a center sets in the portal is recorded as source "center" (Program's
# own Source choice), with where it came in as the "file".
CENTER_SOURCE = Program.Source.CENTER.value
CENTER_PORTAL = "center portal"  # published when the center saved it
CENTER_PORTAL_REVIEWED = "center portal, approved in review"  # held, then approved
STAFF_SOURCE = "staff"  # values typed in the admin


def program_provenance_record(*, program_id: int, fields, source: str, file_name: str = "") -> None:
    """Record that `source` set these fields of one program now (staff
    edits in the admin use source "staff", a center's edits in the portal
    "center"), so a later import's empty cell does not erase them. The row
    is locked while its JSON is merged, so two writers never drop each
    other's fields."""
    names = [name for name in fields if name not in PROVENANCE_SKIP]
    if not names:
        return
    stamp = {"source": source, "file": file_name, "at": timezone.now().isoformat()}
    with transaction.atomic():
        row, _ = FieldProvenance.objects.select_for_update().get_or_create(program_id=program_id)
        row.fields = {**row.fields, **dict.fromkeys(names, stamp)}
        row.save(update_fields=["fields"])
