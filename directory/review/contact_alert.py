"""The contact-change alert's vocabulary, shared by the email task
(directory/tasks.py) and the restore service (contacts.py): the signed,
time-limited "This was not us" link and the words for the contact fields.
Imports only the model, so both can use it without a cycle."""

from django.conf import settings
from django.core import signing
from django.utils.text import capfirst

from directory.models import Program

RESTORE_SALT = "directory.contact-restore"


def restore_token(entry_id: int) -> str:
    """The signed, dated token of a contact-change alert (the id of its log
    entry, nothing else: no address, no health information)."""
    return signing.dumps(entry_id, salt=RESTORE_SALT)


def restore_token_entry_id(token: str) -> int:
    """The alert's log entry id, if the token is ours and not older than
    CONTACT_RESTORE_LINK_DAYS; else signing.BadSignature (SignatureExpired
    for an old one)."""
    max_age = settings.CONTACT_RESTORE_LINK_DAYS * 24 * 3600
    value = signing.loads(token, salt=RESTORE_SALT, max_age=max_age)
    if not isinstance(value, int):
        raise signing.BadSignature("not an alert id")
    return value


def contact_field_label(name: str) -> str:
    """ "Main phone", "Intake phone", "Website", "Inquiry email"."""
    return str(capfirst(Program._meta.get_field(name).verbose_name))
