"""The one phone rule of the project: how a phone number is read, checked,
stored and compared, by the importer, the inquiry form, the portal's forms
and the reviewer's contact check alike.

Reading is Google's libphonenumber (the `phonenumbers` package), with the
United States as the region a number without a country code belongs to: it
reads "(212) 555-0123", "212.555.0123", "+1 212 555 0123", "1-800-662-HELP"
and extensions in every spelling ("x12", "ext. 12", "Ext: 12", "extension 12",
"#12").

A number is accepted when it is a North American number (country code 1)
and either

- the library calls it valid (an area code and exchange in service), or
- it is one of the fictional numbers the project uses for demo and test
  data: the 555-0100..555-0199 lines NANPA reserves for fiction (the library
  already calls these valid under a real area code) and anything in area
  code 555, which is not in service anywhere (tests use 555-010-01xx).
  Accepting every merely "possible" number (ten digits) instead would let
  through (212) 055-0123 or (123) 456-7890, which ring no one;

and it is not a placeholder: one digit repeated ((999) 999-9999) or
1234567890 / 0123456789. A number is stored in one display form,
"(212) 555-0123" or "(212) 555-0123 x12" (the importer's form, which
listings already hold), and compared by `phone_key`: its ten digits,
without the extension (a shared switchboard is what gives a borrowed
call-center number away).

Annual-directory cells hold several numbers with labels:
"Intakes: (850) 769-1632 x445; (850) 769-1633 Hotline: 800-662-4357".
`read_phones` returns each number with its kind (main, intake, hotline;
fax numbers are skipped)."""

import re
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from phonenumbers import geocoder

REGION = "US"
COUNTRY_CODE = 1  # the North American Numbering Plan (US, Canada, Caribbean)
PLACEHOLDER_NUMBERS = {"1234567890", "0123456789"}
FICTIONAL_AREA_CODE = "555"  # not in service anywhere
MAX_EXTENSION_DIGITS = 6  # longer is a misread, and would not fit the 30-character columns

# Form messages: one per reason a number is refused.
INVALID = "Enter a 10-digit US phone number, like 212-555-0123."
NO_AREA_CODE = "Enter the phone number with its area code, like 212-555-0123."
NOT_US = "Enter a US phone number, like 212-555-0123."
LONG_EXTENSION = f"Enter an extension of up to {MAX_EXTENSION_DIGITS} digits, like 212-555-0123 x12."

# What phone_key reads with the library (else: the digits before any extension).
POSSIBLE = (phonenumbers.ValidationResult.IS_POSSIBLE, phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY)
# Where an extension starts in text the library cannot read ("x12", "ext. 12", "#12").
EXTENSION = re.compile(r"(?i)\s*(?:x|ext\.?|extension|#)\s*(?=\d)")

MAIN, INTAKE, HOTLINE, FAX = "main", "intake", "hotline", "fax"
# Words that say what the numbers after them are ("Intakes:", "Hotline",
# "Fax #"). A label holds until the next one: "Intakes: A; B" is two intake numbers.
LABEL = re.compile(
    r"(?i)\b(?:(?P<intake>intakes?|admissions?)|(?P<hotline>hotlines?|crisis(?:\s+line)?)"
    r"|(?P<fax>fax)|(?P<main>main|phone|tel|telephone|office))\b"
)


@dataclass(frozen=True)
class Phone:
    """An accepted number: its ten digits and its extension (digits, or "")."""

    number: str
    extension: str = ""

    @property
    def display(self) -> str:
        """The stored and shown form: "(212) 555-0123" or "(212) 555-0123 x12"."""
        n = self.number
        text = f"({n[:3]}) {n[3:6]}-{n[6:]}"
        return f"{text} x{self.extension}" if self.extension else text

    @property
    def key(self) -> str:
        return self.number

    @property
    def href(self) -> str:
        """A tel: link (RFC 3966), the extension as ";ext=" so it is not dialled as digits."""
        return f"tel:+{COUNTRY_CODE}{self.number}" + (f";ext={self.extension}" if self.extension else "")

    def __str__(self) -> str:
        return self.display


@dataclass(frozen=True)
class Labelled:
    """One number found in a cell: its kind (MAIN, INTAKE, HOTLINE, FAX), the
    text it was read from, and the number (None when it is not accepted)."""

    kind: str
    text: str
    phone: Phone | None


def check_phone(text) -> tuple[Phone | None, str]:
    """(the number, "") or (None, the form message saying why not). Blank
    text gives (None, "")."""
    text = _text(text)
    if not text:
        return None, ""
    try:
        parsed = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        return None, INVALID
    return _accept(parsed)


def parse_phone(text) -> Phone | None:
    """One number typed or stored as text, or None when it is not accepted."""
    return check_phone(text)[0]


def is_valid(text) -> bool:
    return parse_phone(text) is not None


def format_phone(text) -> str:
    """The display form of an accepted number, "" otherwise."""
    phone = parse_phone(text)
    return phone.display if phone else ""


def phone_error(text) -> str:
    """The form message for text that is not an accepted number ("" when it is, or is blank)."""
    return check_phone(text)[1]


def clean_phone_input(value) -> str:
    """For a form's clean_<field>: the display form ("" for blank), or a
    ValidationError with the rule's message."""
    phone, error = check_phone(value)
    if error:
        raise ValidationError(error, code="invalid_phone")
    return phone.display if phone else ""


def phone_key(text) -> str:
    """What a number is compared by (duplicates, the contact check): its
    national digits without the extension, "(555) 010-0177 ext. 12" and
    "+1 555.010.0177" both "5550100177". Works on any stored text, accepted
    or not (a 7-digit "555-0177" gives "5550177", another country's number
    its country code and digits, text the library cannot read its digits
    before any extension); "" when there are no digits."""
    text = _text(text)
    try:
        parsed = phonenumbers.parse(text, REGION)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_possible_number_with_reason(parsed) in POSSIBLE:
        national = phonenumbers.national_significant_number(parsed)
        return national if parsed.country_code == COUNTRY_CODE else f"{parsed.country_code}{national}"
    return _digits(EXTENSION.split(text, maxsplit=1)[0])


def phone_area(text) -> tuple[str, str]:
    """Where a number's area code is, from libphonenumber's offline geocoder
    data (no network): (kind, place) with kind "area" and the place as the
    library names it ("Tennessee", "New York, NY", "Ontario"), "toll-free"
    (800, 888...: no place), "fictional" (area code 555) or "unknown"
    (blank, not a number, or no place in the data)."""
    phone = parse_phone(text)
    if phone is None:
        return "unknown", ""
    if phone.number.startswith(FICTIONAL_AREA_CODE):
        return "fictional", ""
    parsed = phonenumbers.parse(phone.number, REGION)
    if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.TOLL_FREE:
        return "toll-free", ""
    place = geocoder.description_for_number(parsed, "en")
    return ("area", place) if place else ("unknown", "")


def phone_href(text) -> str:
    """A tel: link for a stored number, the extension as ";ext=" (RFC 3966)
    so it is not dialled as part of the number; "" when there are no digits."""
    phone = parse_phone(text)
    if phone:
        return phone.href
    digits = phone_key(text)
    return f"tel:+{COUNTRY_CODE}{digits}" if len(digits) == 10 else (f"tel:{digits}" if digits else "")


def read_phones(text) -> list[Labelled]:
    """Every number in a cell, in order, with its kind. A cell that is one
    number (even "1-800-662-HELP") is read whole; otherwise numbers are
    found in the text and each takes the last label before it (MAIN
    until there is one). Text with digits but no number in it gives one
    entry with phone None, so a caller can say it was dropped."""
    text = _text(text)
    if not text:
        return []
    label = LABEL.match(text)
    whole = parse_phone(text[label.end() :].lstrip(" :#") if label else text)
    if whole is not None:
        return [Labelled(_kind(label) if label else MAIN, text, whole)]
    found, kind, position = [], MAIN, 0
    for match in phonenumbers.PhoneNumberMatcher(text, REGION, leniency=phonenumbers.Leniency.POSSIBLE):
        labels = list(LABEL.finditer(text, position, match.start))
        if labels:
            kind = _kind(labels[-1])
        found.append(Labelled(kind, match.raw_string, _accept(match.number)[0]))
        position = match.end
    if not found and any(ch.isdigit() for ch in text):
        found.append(Labelled(_kind(label) if label else MAIN, text, None))
    return found


def _accept(parsed: phonenumbers.PhoneNumber) -> tuple[Phone | None, str]:
    if parsed.country_code != COUNTRY_CODE:
        return None, NOT_US
    national = phonenumbers.national_significant_number(parsed)
    if (
        phonenumbers.is_possible_number_with_reason(parsed)
        == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY
    ):
        return None, NO_AREA_CODE
    if len(national) != 10 or len(set(national)) == 1 or national in PLACEHOLDER_NUMBERS:
        return None, INVALID
    if not (phonenumbers.is_valid_number(parsed) or _fictional(national)):
        return None, INVALID
    extension = re.sub(r"\D", "", parsed.extension or "")
    if len(extension) > MAX_EXTENSION_DIGITS:
        return None, LONG_EXTENSION
    return Phone(national, extension), ""


def _fictional(national: str) -> bool:
    area, exchange, line = national[:3], national[3:6], national[6:]
    if area == FICTIONAL_AREA_CODE:
        return True
    return area[0] in "23456789" and exchange == "555" and "0100" <= line <= "0199"


def _kind(match: re.Match) -> str:
    return next(name for name, value in match.groupdict().items() if value)


def _text(value) -> str:
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
