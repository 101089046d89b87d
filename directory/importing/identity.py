"""Is this row the same facility as that listing? (issue 21)

SAMHSA's sources name and address one facility differently: the annual
directory runs name1 and name2 together, the suite sits inside the street
("12 S. Main Street Suite 2" vs "12 South Main Street"), the OTP directory
gives the legal entity ("Example Recovery Systems, LLC") where the locator
gives the public name, and second names change between releases. And two
different programs (mental health, substance use) often share one address
and one switchboard.

So two records are compared only at the same normalised address (USPS
form by usaddress-scourgify: house number, street name with directions and
suffixes abbreviated, suite moved out, ZIP5), and then by name similarity
(rapidfuzz, over name, second name, both run together, legal suffixes
dropped) and a shared phone. The verdict is SAME (merge and report), UNSURE
(staff decide in the match review queue) or DIFFERENT. Pure functions: no
database."""

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from scourgify import normalize_address_record
from scourgify.exceptions import AddressNormalizationError

from config.phones import phone_key

SAME, UNSURE, DIFFERENT = "same", "unsure", "different"

# Words that say what legal form a name has, not which facility it is.
LEGAL_WORDS = {
    "llc", "l l c", "inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "lp", "llp",
    "pc", "pllc", "pa", "plc", "the", "dba", "d b a",
}  # fmt: skip
# Words that tell a mental-health program from a substance-use one at the
# same address: two names that each have only one kind are two programs.
MENTAL_HEALTH_WORDS = {"mental", "psychiatric", "psychiatry", "psychological"}
SUBSTANCE_USE_WORDS = {
    "substance", "addiction", "addictions", "chemical", "detox", "detoxification", "alcohol", "alcoholism",
    "drug", "drugs", "methadone", "opioid", "opiate", "sud", "aod", "narcotic", "narcotics",
}  # fmt: skip

SAME_NAME = 90  # token_sort_ratio at or above: the same name
SIMILAR_NAME = 70  # at or above (or one name inside the other): similar
SAME_SECOND_NAME = 85
DIFFERENT_SECOND_NAME = 60


@lru_cache(maxsize=200_000)
def address_key(street1: str, zip_code: str) -> str:
    """'12 S MAIN ST|62701' for '12 S. Main Street Suite 2' in 62701-1234:
    the USPS form of the first address line without its suite, and the
    5-digit ZIP. '' when there is no street or ZIP to compare."""
    zip5 = re.sub(r"\D", "", zip_code or "")[:5]
    street = " ".join((street1 or "").split())
    if not street or len(zip5) != 5:
        return ""
    try:
        line = normalize_address_record(
            {"address_line_1": street, "city": "X", "state": "NY", "postal_code": zip5}
        )["address_line_1"]
    except (AddressNormalizationError, KeyError, TypeError, ValueError):
        line = ""
    if not line:  # not parseable as a street address (PO boxes, rural routes): plain words
        line = re.sub(r"[^\w\s]", " ", street.upper())
    return f"{' '.join(line.split())}|{zip5}"


@lru_cache(maxsize=200_000)
def _phone_key(text: str) -> str:
    return phone_key(text) if text else ""


@lru_cache(maxsize=200_000)
def clean_name(text: str) -> str:
    """Lower case, '&' as 'and', no punctuation or legal-form words."""
    text = (text or "").casefold().replace("&", " and ")
    text = re.sub(r"\b([a-z])\.(?=[a-z]\.)", r"\1", text)  # L.L.C. -> LLC
    words = re.sub(r"[^\w\s]", " ", text).split()
    return " ".join(word for word in words if word not in LEGAL_WORDS)


def name_forms(name: str, second: str) -> set[str]:
    """The ways one record may be named elsewhere: its name, its second
    name, and both run together (the annual directory's single name)."""
    first, other = clean_name(name), clean_name(second)
    return {form for form in (first, other, f"{first} {other}".strip()) if form}


def _kinds(forms: set[str]) -> set[str]:
    words = {word for form in forms for word in form.split()}
    return {
        kind for kind, vocab in (("mh", MENTAL_HEALTH_WORDS), ("su", SUBSTANCE_USE_WORDS)) if words & vocab
    }


def name_score(a: set[str], b: set[str]) -> tuple[float, bool]:
    """(best token-sort similarity 0-100 over every pair of forms, whether
    one form's words are all inside another's, two words or more)."""
    best, inside = 0.0, False
    for x in a:
        for y in b:
            best = max(best, 100.0 if x == y else fuzz.token_sort_ratio(x, y))
            small, large = sorted((set(x.split()), set(y.split())), key=len)
            inside = inside or (len(small) >= 2 and small <= large)
    return best, inside


@dataclass(frozen=True)
class Facility:
    """What identity is decided on, for a row or a stored listing."""

    name: str
    second_name: str = ""
    street1: str = ""
    zip_code: str = ""
    phones: tuple[str, ...] = ()

    @property
    def address(self) -> str:
        return address_key(self.street1, self.zip_code)

    @property
    def phone_keys(self) -> set[str]:
        return {key for key in (_phone_key(p) for p in self.phones) if len(key) == 10}


@dataclass(frozen=True)
class Verdict:
    kind: str  # SAME, UNSURE or DIFFERENT
    reason: str
    score: float = 0.0


def compare(a: Facility, b: Facility) -> Verdict:
    """Are a and b one facility? Only ever SAME or UNSURE at one address."""
    if not a.address or a.address != b.address:
        return Verdict(DIFFERENT, "different address")
    forms_a, forms_b = name_forms(a.name, a.second_name), name_forms(b.name, b.second_name)
    kinds_a, kinds_b = _kinds(forms_a), _kinds(forms_b)
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return Verdict(DIFFERENT, "one address, but a mental-health and a substance-use program")
    score, inside = name_score(forms_a, forms_b)
    same_phone = bool(a.phone_keys & b.phone_keys)
    phone = " and phone" if same_phone else ""
    second_a, second_b = clean_name(a.second_name), clean_name(b.second_name)
    if second_a != second_b and clean_name(a.name) == clean_name(b.name):
        # One name, two second names (or one without): two units of one
        # provider, a unit renamed, or a source that leaves the DBA out.
        other_phone = bool(a.phone_keys and b.phone_keys and not same_phone)
        if not (second_a and second_b):
            if other_phone:
                return Verdict(DIFFERENT, "same address and name, but another second name and phone")
            return Verdict(SAME, f"same address and name{phone}; one has no second name", score)
        second = fuzz.token_sort_ratio(second_a, second_b)
        if (second >= SAME_SECOND_NAME and not other_phone) or (
            second >= DIFFERENT_SECOND_NAME and same_phone
        ):
            return Verdict(SAME, f"same address, name{phone}; second name reworded", second)
        if other_phone or second < DIFFERENT_SECOND_NAME and not same_phone:
            return Verdict(DIFFERENT, "same address and name, but another second name", second)
        return Verdict(UNSURE, f"same address and name{phone}; another second name", second)
    if score >= SAME_NAME:
        return Verdict(SAME, f"same address and name{phone}", score)
    if (score >= SIMILAR_NAME or inside) and same_phone:
        return Verdict(SAME, "same address and phone, similar name", score)
    if score >= SIMILAR_NAME or inside:
        return Verdict(UNSURE, "same address, similar name", score)
    if same_phone:
        return Verdict(UNSURE, "same address and phone, another name", score)
    return Verdict(DIFFERENT, "same address, another name", score)


def decision_key(*, source_key: str, external_id: str, facility: Facility) -> str:
    """What a staff decision on a row is remembered by: the source's own
    facility id, else its normalised address and name."""
    if external_id:
        return f"id:{source_key}:{external_id}"[:300]
    names = "+".join(sorted(name_forms(facility.name, facility.second_name)))
    return f"site:{facility.address}:{names}"[:300]
