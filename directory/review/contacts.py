"""Contact details and hijacked listings: the reviewer's check for other
organizations' listings using the same phone numbers or website, and the
email to the previous inquiry address when a listing's contact details
change (so a hijack cannot happen quietly)."""

import re

from django.db import transaction
from django.db.models import Q
from wagtail.log_actions import log

from config.phones import phone_key
from directory.models import PROGRAM_NAME_ORDER, Program
from directory.tasks import CONTACT_CHANGE_ACTION, send_contact_change_notice

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
        data={"fields": changed, "previous_inquiry_email": previous},
        content_changed=False,
    )
    if previous and entry is not None:
        transaction.on_commit(lambda: send_contact_change_notice.enqueue(entry.pk))
