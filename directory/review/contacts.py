"""Contact details and hijacked listings: the reviewer's check for other
organizations' listings using the same phone numbers or website; the alert
to the previous inquiry address when a listing's contact details change (so
a hijack cannot happen quietly), with its "This was not us" link; what that
link does (the contact details put back, center changes to them locked, a
case opened for staff); and closing the case."""

import re
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import DraftStateMixin, ModelLogEntry

from config.phones import phone_key
from directory.models import PROGRAM_NAME_ORDER, ListingSafetyCase, Program
from directory.provenance import STAFF_SOURCE, program_provenance_record
from directory.tasks import CONTACT_CHANGE_ACTION, send_contact_change_notice

from .contact_alert import contact_field_label, restore_token_entry_id

CONTACT_RESTORED_ACTION = "directory.contact_restored"
CONTACT_UNFROZEN_ACTION = "directory.contact_unfrozen"
RESTORED_AFTER_REPORT = "restored after a report"  # the provenance "file" of restored values

MIN_PHONE_DIGITS = 7  # shorter keys are not numbers anyone can call
WEBSITE_PREFIX = re.compile(r"(?i)^\s*(?:https?:)?(?://)?(?:www\.)?")


def website_key(value: str) -> str:
    """What a website is compared by: no scheme, no "www.", no trailing
    slash, lower case ("HTTPS://www.Example.org/" -> "example.org")."""
    return WEBSITE_PREFIX.sub("", (value or "").strip()).rstrip("/").lower()


def _digits_in_order(key: str) -> str:
    """A regex matching text that holds these digits in this order with only
    non-digits between them: a superset of the values with this phone key."""
    return r"\D*".join(key)


def duplicate_contacts(program: Program) -> list[Program]:
    """Other organizations' listings already using this listing's phone
    numbers or website (a sign of a hijacked listing), for the reviewer.
    Numbers and addresses are compared by phone_key (config.phones: the
    project's one phone rule) and website_key; the
    database narrows the candidates (digits in order, address contained),
    the keys decide."""
    phone_fields = ("phone", "intake_phone", "hotline_phone")
    phones = {phone_key(getattr(program, name)) for name in phone_fields}
    phones = {key for key in phones if len(key) >= MIN_PHONE_DIGITS}
    website = website_key(program.website)
    query = Q()
    for key in phones:
        for name in phone_fields:
            query |= Q(**{f"{name}__regex": _digits_in_order(key)})
    if website:
        query |= Q(website__icontains=website)
    if not query:
        return []
    candidates = (
        Program.objects.filter(query)
        .exclude(pk=program.pk)
        .select_related("organization")
        .only("name", "city", "state", "website", *phone_fields, "organization", "organization__name")
        .order_by(*PROGRAM_NAME_ORDER)
    )
    if program.organization_id:
        candidates = candidates.exclude(organization_id=program.organization_id)
    matches = []
    for other in candidates.iterator(chunk_size=500):
        if phones & {phone_key(getattr(other, name)) for name in phone_fields} or (
            website and website_key(other.website) == website
        ):
            matches.append(other)
            if len(matches) == 10:
                break
    return matches


def contact_changed(*, program: Program, before: dict) -> None:
    """Called after a revision is published: notify the previous inquiry
    address when any contact detail changed."""
    changed = [name for name in Program.CONTACT_FIELDS if before.get(name) != getattr(program, name)]
    if not changed:
        return
    previous = before.get("inquiry_email") or ""
    entry = log(
        instance=program,
        action=CONTACT_CHANGE_ACTION,
        data={
            "fields": changed,
            "previous_inquiry_email": previous,
            # What the alert shows and what "This was not us" puts back.
            "old": {name: before.get(name) or "" for name in changed},
            "new": {name: getattr(program, name) or "" for name in changed},
        },
        content_changed=False,
    )
    if previous and entry is not None:
        transaction.on_commit(lambda: send_contact_change_notice.enqueue(entry.pk))


class RestoreLinkInvalid(Exception):
    """The "This was not us" link is not ours, too old, or its alert is gone."""


@dataclass
class ContactChangeReport:
    """What a "This was not us" link is about: the alert's log entry, the
    listing, the rows (label, value now, value put back) and, once used,
    its case."""

    entry: ModelLogEntry
    program: Program
    rows: list
    case: ListingSafetyCase | None


def contact_change_report(token: str) -> ContactChangeReport:
    """Read a "This was not us" link (signed, CONTACT_RESTORE_LINK_DAYS);
    RestoreLinkInvalid if it is not valid."""
    try:
        entry_id = restore_token_entry_id(token)
    except signing.BadSignature as error:
        raise RestoreLinkInvalid(str(error)) from error
    entry = ModelLogEntry.objects.filter(pk=entry_id, action=CONTACT_CHANGE_ACTION).first()
    program = entry and Program.objects.filter(pk=int(entry.object_id)).first()
    if entry is None or program is None or "old" not in entry.data:
        raise RestoreLinkInvalid("no such alert")
    old = entry.data["old"]
    rows = [(contact_field_label(name), getattr(program, name), value) for name, value in old.items()]
    case = ListingSafetyCase.objects.filter(contact_change_entry_id=entry.pk).first()
    return ContactChangeReport(entry=entry, program=program, rows=rows, case=case)


@transaction.atomic
def contact_change_restore(*, report: ContactChangeReport) -> ListingSafetyCase:
    """The previous contact says a contact change was not theirs: put the
    contact details back as they were before it (a new published revision,
    by nobody, recorded in the history and as staff's provenance "restored
    after a report"), lock center changes to them and open a case for staff.
    Publishing also ends a review in progress (a further change waiting).
    The link works once: a second use returns the case already open."""
    program = Program.objects.select_for_update().get(pk=report.program.pk)
    existing = ListingSafetyCase.objects.filter(contact_change_entry_id=report.entry.pk).first()
    if existing is not None:
        return existing
    restored = {
        name: [getattr(program, name), value]
        for name, value in report.entry.data["old"].items()
        if getattr(program, name) != value
    }
    for name, (_now, value) in restored.items():
        setattr(program, name, value)
    program.contact_changes_frozen = True
    revision = program.save_revision(user=None, log_action=False)
    # Wagtail's publish without Program.publish's contact alert: the
    # address that would get it is the one reported.
    DraftStateMixin.publish(program, revision, user=None, skip_permission_checks=True)
    program_provenance_record(
        program_id=program.pk, fields=list(restored), source=STAFF_SOURCE, file_name=RESTORED_AFTER_REPORT
    )
    log(
        instance=program,
        action=CONTACT_RESTORED_ACTION,
        data={"fields": list(restored), "contact_change_entry": report.entry.pk},
        content_changed=bool(restored),
    )
    try:
        with transaction.atomic():
            return ListingSafetyCase.objects.create(
                program=program,
                contact_change_entry_id=report.entry.pk,
                restored=restored,
                reported_by_email=report.entry.data.get("previous_inquiry_email") or "",
            )
    except IntegrityError:  # the same link used twice at once
        return ListingSafetyCase.objects.get(contact_change_entry_id=report.entry.pk)


@transaction.atomic
def listing_safety_case_close(*, case: ListingSafetyCase, user, unfreeze: bool) -> None:
    """Staff close a case; with `unfreeze` the center may change the
    listing's contact details again (unless another case is open)."""
    case.status = ListingSafetyCase.Status.CLOSED
    case.closed_at = timezone.now()
    case.closed_by = user
    case.save()
    others_open = ListingSafetyCase.objects.filter(
        program_id=case.program_id, status=ListingSafetyCase.Status.OPEN
    ).exists()
    if unfreeze and not others_open:
        Program.objects.filter(pk=case.program_id).update(contact_changes_frozen=False)
        log(instance=case.program, action=CONTACT_UNFROZEN_ACTION, user=user, content_changed=False)
