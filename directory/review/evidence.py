"""The evidence the reviewer's page shows about a held change, each a row
of plain sentences, flagged "Check" (in words) when it calls for a closer
look: who asked and how old their account is; whether each new phone's area
code is where the listing's address is (libphonenumber's offline geocoder
data, config.phones.phone_area); other organizations' listings with the
same phones or website (contacts.duplicate_contacts); open listing safety
cases. Where the public values came from is in the comparison table
(screen.py).

Other apps add their own rows through `register_evidence` (the portal adds
the asker's membership of the organization and its age): the directory
knows nothing of them."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from config.phones import phone_area
from directory.models import US_STATES, ListingSafetyCase

from .contacts import duplicate_contacts
from .screen import HeldChange

STATE_NAMES = dict(US_STATES)
STATE_CODES = {name.lower(): code for code, name in US_STATES}
STATE_CODES.update({"washington d.c.": "DC", "district of columbia": "DC"})


@dataclass
class Evidence:
    label: str
    text: str
    check: bool = False  # the reviewer should look twice: marked "Check" in words


EvidenceProvider = Callable[[HeldChange], Iterable[Evidence]]
_PROVIDERS: list[EvidenceProvider] = []


def register_evidence(provider: EvidenceProvider) -> EvidenceProvider:
    """Add rows to every review page (called once, from an AppConfig.ready)."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def days(value) -> str:
    return "1 day" if value == 1 else f"{value} days"


def place_state(place: str) -> str:
    """The US state (two letters) of a geocoder place: "Tennessee" -> "TN",
    "New York, NY" -> "NY", "Washington D.C." -> "DC"; "" if none."""
    place = (place or "").strip()
    head, _, tail = place.rpartition(", ")
    if head and tail.upper() in STATE_NAMES:
        return tail.upper()
    return STATE_CODES.get(place.lower(), "")


def area_code_fit(*, phone: str, state: str) -> tuple[str, bool]:
    """A sentence on whether this phone's area code is in the listing's state,
    and whether it calls for a check."""
    kind, place = phone_area(phone)
    area = "".join(ch for ch in phone if ch.isdigit())[:3] if phone else ""
    state_name = STATE_NAMES.get(state, state or "no state")
    if kind == "toll-free":
        return f"{phone}: a toll-free number, not tied to a place.", False
    if kind == "fictional":
        return f"{phone}: area code 555 is fictional (demo and test data).", False
    if kind == "unknown":
        return f"{phone}: no place is known for this number.", True
    found = place_state(place)
    if found == state:
        return f"{phone}: area code {area} is in {place}; the address is in {state_name}. Fits.", False
    return (
        f"{phone}: area code {area} is in {place}; the address is in {state_name}. "
        "Does not fit: ask why (a call center's number is a sign of a taken-over listing).",
        True,
    )


def _asker(change: HeldChange) -> Iterable[Evidence]:
    user = change.requested_by
    if user is None:
        yield Evidence("Asked by", "Nobody recorded (a change made by the site itself).", check=True)
        return
    name = user.get_full_name() or user.get_username()
    age = (timezone.now() - user.date_joined).days
    text = f"{name} <{user.email}>" if user.email else name
    yield Evidence("Asked by", text)
    yield Evidence(
        "Account age",
        f"Account created {timezone.localtime(user.date_joined):%B %-d, %Y} ({days(age)} ago).",
        check=age < 7,
    )


def _phones(change: HeldChange) -> Iterable[Evidence]:
    state = change.draft.state
    for row in change.rows:
        if row.is_phone and row.new:
            text, check = area_code_fit(phone=row.new, state=state)
            yield Evidence(f"Area code of the new {row.label.lower()}", text, check)


def _duplicates(change: HeldChange) -> Iterable[Evidence]:
    others = duplicate_contacts(change.draft)
    if not others:
        yield Evidence(
            "Same phones or website elsewhere", "No other organization's listing uses the proposed ones."
        )
        return
    names = "; ".join(
        f"{other.name} ({other.city}, {other.state})"
        + (f", run by {other.organization.name}" if other.organization_id else "")
        for other in others
    )
    yield Evidence("Same phones or website elsewhere", f"Also used by: {names}.", check=True)


def _cases(change: HeldChange) -> Iterable[Evidence]:
    open_cases = ListingSafetyCase.objects.filter(
        program_id=change.program.pk, status=ListingSafetyCase.Status.OPEN
    ).count()
    if open_cases or change.program.contact_changes_frozen:
        yield Evidence(
            "Listing safety",
            f"{open_cases} open listing safety case(s): a previous contact reported a change as not "
            "theirs. Contact changes are locked.",
            check=True,
        )


BUILT_IN = (_asker, _phones, _duplicates, _cases)


def review_evidence(change: HeldChange) -> list[Evidence]:
    rows = []
    for provider in (*BUILT_IN[:1], *_PROVIDERS, *BUILT_IN[1:]):
        rows.extend(provider(change))
    return rows
