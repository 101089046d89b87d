"""SAMHSA opioid treatment program (OTP) certification, and the locator's
facility type.

A SAMHSA-certified OTP is by definition (42 CFR Part 8) a program certified
to dispense methadone for opioid use disorder, so certification gives a
listing the `opioid-treatment-program` level of care and `methadone`,
recorded in provenance as inferred from certification (the OTP directory
has no medication columns). The directory's "Certification" cell says
"Full Certification" or "Provisional Certification": both are kept apart
(`Program.otp_status`), with the certification date when the file has one.

SAMHSA's OTP directory lists every certified OTP, so an OTP that a newer
directory does not list is flagged (`otp_missing_since`, the admin filter
"Not in the latest OTP directory") and its page shows its certification as
unconfirmed: never silently kept. The check is per state the file covers
(a file of one state's OTPs leaves other states alone), and a file that is
not the whole list is imported with `--otp-partial` to skip it.

The locator's `type_facility` (`typeFacility`): a facility that is mental
health only ("MH") and offers no substance use care is not addiction
treatment: not created (reported), or with `--include-mental-health`
created unpublished; a published listing a newer file says is mental
health only is unpublished (status draft) with the reason in the report and
its facility type in the admin.

These take a cleaning.Record and touch no database; what runs after the
rows are written (the directory's complete-list check, the OTP services
every certified listing has) is in otp_directory.py."""

import datetime
import re

from directory.models import Program, is_mental_health_only

from .codes import OTP_CERTIFIED_CODES

OTP_LEVEL = "opioid-treatment-program"
METHADONE = "methadone"
INFERRED_NOTE = "inferred from SAMHSA OTP certification"
# What the OTP directory's Certification cell may say, normalised.
OTP_STATUS_WORDS = {
    "full certification": Program.OtpStatus.CERTIFIED,
    "full": Program.OtpStatus.CERTIFIED,
    "certified": Program.OtpStatus.CERTIFIED,
    "certification": Program.OtpStatus.CERTIFIED,
    "fully certified": Program.OtpStatus.CERTIFIED,
    "provisional certification": Program.OtpStatus.PROVISIONAL,
    "provisional": Program.OtpStatus.PROVISIONAL,
    "provisionally certified": Program.OtpStatus.PROVISIONAL,
}
DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%B %d, %Y", "%b %d, %Y")
# Codes that say a facility treats substance use (a type-MH row with one of
# these is a co-occurring program, kept as addiction treatment).
SUBSTANCE_USE_CODES = frozenset({"SA", "DT", "SUMH", *OTP_CERTIFIED_CODES})
MENTAL_HEALTH_CODE = "MH"


# --- cleaning (no database) ------------------------------------------------------


def clean_otp_certification(record, values: dict) -> None:
    """The OTP directory's certification status and date, for the columns
    the file has (an empty cell or absent column changes nothing)."""
    text = " ".join(str(values.get("otp_certification") or "").casefold().split())
    if text:
        status = OTP_STATUS_WORDS.get(text)
        if status is None:
            record.notes.append(
                f"certification {values['otp_certification']!r} not understood; left as it was"
            )
        else:
            record.fields["otp_status"] = status.value
    raw_date = str(values.get("otp_certified_on") or "").strip()
    if raw_date:
        day = parse_date(raw_date)
        if day is None:
            record.notes.append(f"certification date {raw_date!r} not understood; left as it was")
        else:
            record.fields["otp_certified_on"] = day


def parse_date(text: str) -> datetime.date | None:
    text = text.strip().split(" ")[0] if re.match(r"\d{4}-\d\d-\d\d[ T]", text) else text.strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def infer_from_certification(record, terms) -> None:
    """A certified OTP offers methadone at the OTP level of care: both are
    added to the row's links (and so covered), noted as inferred."""
    if record.fields.get("otp_certified") is not True:
        return
    # Rows share their term sets and covered maps (cleaning.shared_terms):
    # this row gets copies of its own before they change.
    record.links = dict(record.links)
    if record.covered is not None:
        record.covered = dict(record.covered)
    for relation, slug in (("levels_of_care", OTP_LEVEL), ("medications", METHADONE)):
        term_id = terms.by_slug.get(relation, {}).get(slug)
        if term_id is None:
            continue
        had = term_id in record.links.get(relation, ())
        record.links[relation] = frozenset({*record.links.get(relation, ()), term_id})
        if record.covered is not None and record.covered.get(relation, ()) is not None:
            record.covered[relation] = frozenset({*record.covered.get(relation, ()), term_id})
        if not had:
            record.inferred[relation] = f"{slug}: {INFERRED_NOTE}"


def clean_facility_type(
    record, values: dict, codes: set[str], *, lists_all: bool, include_mental_health: bool
) -> None:
    """The locator's facility type; a mental-health-only facility is not
    published as addiction treatment (see the module's docstring). A row
    without a facility type that lists all its services (the annual
    directory's codes) is mental health only when it has mental health
    treatment (MH) and no substance use care."""
    text = " ".join(str(values.get("type_facility") or "").split())
    if text:
        record.fields["facility_type"] = text[:30]
        mental_health_only = is_mental_health_only(text)
    else:  # no column or an empty cell: the type says nothing
        mental_health_only = lists_all and MENTAL_HEALTH_CODE in codes
        text = MENTAL_HEALTH_CODE if mental_health_only else ""
    if not mental_health_only or codes & SUBSTANCE_USE_CODES:
        return
    record.mental_health_only = True
    record.fields["status"] = Program.Status.DRAFT
    if include_mental_health:
        record.notes.append(f"mental health only ({text}): imported unpublished")
    else:
        record.notes.append(f"mental health only ({text}): unpublished if listed, never created")
        record.no_create = (
            f"mental health only ({text}), not addiction treatment: not imported "
            "(--include-mental-health imports such rows unpublished)"
        )
