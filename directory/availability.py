"""One-click availability: whether a listing is accepting new clients and
its open beds, set by the center in the portal (or staff). Availability not
confirmed for AVAILABILITY_FRESH_DAYS shows as "not confirmed recently";
reminding centers is the portal's (portal/reminders.py)."""

from django.db import transaction
from wagtail.log_actions import log

from .models import Program
from .provenance import CENTER_PORTAL, CENTER_SOURCE, program_provenance_record

AVAILABILITY_ACTION = "directory.availability"


@transaction.atomic
def program_set_availability(
    *, program: Program, accepting: str, open_beds: int | None = None, user=None
) -> Program:
    """One-click availability (the center portal's): a cheap save of three
    columns (signals fire, no revision, no many-to-many), a log entry for
    the history, and the three recorded as the center's values."""
    if accepting not in Program.Accepting.values:
        raise ValueError(f"Unknown availability: {accepting!r}")
    if open_beds is not None and open_beds < 0:
        raise ValueError("Open beds cannot be negative.")
    program.mark_availability(accepting, open_beds)
    program.save(update_fields=[*Program.AVAILABILITY_FIELDS, "updated_at"])
    log(
        instance=program,
        action=AVAILABILITY_ACTION,
        user=user,
        data={"accepting_clients": accepting, "open_beds": open_beds},
        content_changed=True,
    )
    program_provenance_record(
        program_id=program.pk,
        fields=Program.AVAILABILITY_FIELDS,
        source=CENTER_SOURCE,
        file_name=CENTER_PORTAL,
    )
    return program
