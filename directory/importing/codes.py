"""SAMHSA service codes: the project's copy of the code table
(directory/data/samhsa_service_codes.tsv) and the map from codes to
vocabulary terms, read from the database so terms staff add are used too."""

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from directory import vocabularies

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
CODE_TABLE_PATH = DATA_DIR / "samhsa_service_codes.tsv"
# Label wordings of each locator release -> codes (the maintained table).
LABEL_VARIANTS_PATH = DATA_DIR / "samhsa_label_variants.tsv"

# Program M2M field -> vocabulary model, from the search registry
# (directory/vocabularies.py). The order is the export order.
RELATION_MODELS = vocabularies.relation_models()  # Program M2M field -> term model, every vocabulary
# Codes that set a Program flag rather than a vocabulary term.
TELEHEALTH_CODES = frozenset({"TELE", "CT"})
OTP_CERTIFIED_CODES = frozenset({"OTP", "SOTP"})
FLAG_CODES = TELEHEALTH_CODES | OTP_CERTIFIED_CODES

# Every code of the table maps to a term (its samhsa_codes), sets a flag, or
# is here with the reason it is not shown (tests/directory/test_codes_table.py
# checks). By the table's group first, then single codes.
NOT_SHOWN_GROUPS = {
    "Smoking": "facility smoking policy: not about the care offered",
    "Vaping": "facility vaping policy: not about the care offered",
    "Assessment": "screening and assessment every program does in some form; not a choice families make",
    "EduCounsel": "kinds of counseling and education nearly every program offers; not a choice families make",
    "Medical": "vaccinations: not addiction treatment",
    "Ancillary": "extra services (case management, transport, child care...) not yet in a vocabulary; "
    "a later vocabulary can take them without a new import",
    "Hospitals": "the hospital setting is already a level of care (HI, HIT)",
    "ExtOpioidSource": "how a program arranges prescriptions, not whether it offers them",
    "ExtAUDSource": "how a program arranges prescriptions, not whether it offers them",
    "MHFacilityType": "mental health facility type: the facility-type rule of the import decides whether "
    "such a listing is published; not shown as care",
    "MHEmergency": "psychiatric emergency services: the site shows crisis lines (988) on every page instead",
    "MHApproach": "mental health therapies: the directory describes addiction treatment",
    "MHSpecial": "mental health groups: the directory describes addiction treatment",
    "MHAncillary": "mental health support services not in a vocabulary",
    "MHTesting": "laboratory testing: not a choice families make",
    "MHLicense": "mental health clinic licence: not an addiction-treatment accreditation",
}
NOT_SHOWN = {
    "SA": "substance use treatment: every listing offers it (the directory's subject)",
    "MH": "mental health treatment: shown through co-occurring care (SUMH, CO), not on its own",
    "ACMA": "accepts alcohol medication prescribed elsewhere: our 'accepts medication prescribed elsewhere' "
    "term is about opioid medication and would overstate it",
    "PMAT": "prescribes alcohol medication: the medications themselves (acamprosate, disulfiram, "
    "naltrexone) are shown",
    "MHIV": "HIV medication: not addiction treatment",
    "MHCV": "hepatitis C medication: not addiction treatment",
    "MMD": "psychiatric medication: not addiction treatment",
    "MPEP": "HIV prevention medication (PrEP): not addiction treatment",
    "NRT": "tobacco cessation: the directory does not list tobacco treatment",
    "NSC": "tobacco cessation: the directory does not list tobacco treatment",
    "LFXD": "withdrawal symptom relief, not a treatment medication: shown as opioid detox (DLC)",
    "CLND": "withdrawal symptom relief, not a treatment medication: shown as opioid detox (DLC)",
    "PAIN": "methadone/buprenorphine for pain or emergency dosing: not addiction treatment",
    "MWS": "a way of tapering maintenance medication, already shown as the medication",
    "COPSU": "co-occurring pain: no group term yet; the program's care and medications are shown",
    "EMDR": "a mental health therapy: the directory describes addiction treatment",
    "STAG": "state licence: every listed program must have one; the licence number field holds it",
    "STMH": "state licence: every listed program must have one; the licence number field holds it",
    "STDH": "state licence: every listed program must have one; the licence number field holds it",
    "HLA": "hospital licence: the hospital level of care says it",
    "DEA": "DEA registration: required to dispense controlled medications, which are shown",
    "FQHC": "federally qualified health center: a funding status, not an accreditation",
    "DP": "discharge planning: every program does it",
    "OFD": "follow-up after discharge: not a choice families make",
    "MST": "metabolic monitoring: a medical check, not a choice families make",
    "PCF": "foundation funding: not a way a family pays",
    "TGD": "gambling disorder: the directory describes substance use treatment",
    "TID": "internet use disorder: the directory describes substance use treatment",
    "TOD": "other (non-substance) addictions: the directory describes substance use treatment",
}
# Language codes of SAMHSA's pattern that our table does not name yet (the
# F-list of other languages and the N-list of American Indian / Alaska
# Native languages grow): shown as the general term, which is true.
LANGUAGE_FALLBACK = ((re.compile(r"F\d{1,3}"), "FX"), (re.compile(r"N\d{1,3}"), "NX"))
# Locator labels in these categories are language names; one we do not know
# is still a language ("Armenian" under "Other Languages").
LANGUAGE_CATEGORIES = {"OL": "FX", "AIL": "NX"}
# f2 category code -> groups of the code table it draws its values from.
CATEGORY_GROUPS = {
    "TC": {"TypeOfCare"}, "SET": {"Setting"}, "PAY": {"Payment"}, "PYAS": {"PaymentAssist"},
    "OT": {"OpioidTreatment"}, "OM": {"OpioidMeds"}, "PHR": {"Pharmacotherapy"}, "AGE": {"Age"},
    "SG": {"Special"}, "GN": {"Gender"}, "SN": {"Gender"}, "SL": {"Language"}, "OL": {"Language"},
    "AIL": {"Language"}, "TAP": {"Approach"}, "LCA": {"License"}, "FOP": {"Operation"},
    "DETOX": {"Detox"}, "SCR": {"Testing"}, "RSS": {"RecoverySupport"}, "HOSP": {"Hospitals"},
}  # fmt: skip


def normalize_label(label: str) -> str:
    """Case, punctuation, trademark signs and spacing do not matter:
    "Buprenorphine with naloxone  (Suboxone®)" = "buprenorphine with naloxone suboxone"."""
    text = str(label).casefold().replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", text).replace("_", " ").split())


def _without_brackets(label: str) -> str:
    return re.sub(r"\([^)]*\)", " ", str(label))


@dataclass
class CodeTable:
    labels: dict[str, str] = field(default_factory=dict)  # code -> label
    by_label: dict[str, set[str]] = field(default_factory=dict)  # normalized label -> codes
    categories: set[str] = field(default_factory=set)  # f2 category codes
    groups: dict[str, set[str]] = field(default_factory=dict)  # code -> table groups
    # (f2 category or "*", normalised label) -> codes; empty = known, not mapped
    variants: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _seen: dict[tuple[str, str], frozenset[str] | None] = field(default_factory=dict, repr=False)

    @property
    def codes(self) -> set[str]:
        return set(self.labels)

    def not_shown_reason(self, code: str) -> str:
        """Why a code of the table maps to no term ("" when it should)."""
        if code in NOT_SHOWN:
            return NOT_SHOWN[code]
        for group in sorted(self.groups.get(code, ())):
            if group in NOT_SHOWN_GROUPS:
                return NOT_SHOWN_GROUPS[group]
        return ""

    def label(self, code: str) -> str:
        return self.labels.get(code, "")

    def codes_for_label(self, label: str, category: str = "") -> set[str] | None:
        """Cached: a file repeats the same few hundred labels."""
        key = (label, category)
        if key not in self._seen:
            codes = self._codes_for_label(label, category)
            self._seen[key] = None if codes is None else frozenset(codes)
        found = self._seen[key]
        return None if found is None else set(found)

    def _codes_for_label(self, label: str, category: str = "") -> set[str] | None:
        """The codes a locator label stands for, or None when the label is
        unknown (an empty set: known, but nothing here maps it). The variant
        table is asked first, for the row's f2 category and then for any;
        then the code table's own labels. A few labels mean different codes
        in different categories ("Young adults" is an age group and a
        special program): the f2 category decides when it can. Failing
        that, the label is tried again without its bracketed part
        ("Sliding fee scale (fee is based on income...)")."""
        category = category.strip().upper()
        for text in (label, _without_brackets(label)):
            key = normalize_label(text)
            if not key:
                continue
            for scope in (category, "*"):
                if (scope, key) in self.variants:
                    return set(self.variants[(scope, key)])
            codes = set(self.by_label.get(key, ()))
            if codes:
                wanted = CATEGORY_GROUPS.get(category)
                if len(codes) > 1 and wanted:
                    narrowed = {code for code in codes if self.groups.get(code, set()) & wanted}
                    codes = narrowed or codes
                return codes
        if category in LANGUAGE_CATEGORIES and normalize_label(label):
            return {LANGUAGE_CATEGORIES[category]}
        return None


def language_fallback(code: str) -> str:
    """FX / NX for a language code of SAMHSA's pattern we cannot name
    (e.g. an F-code added to the national directory after our table), else
    ""."""
    for pattern, general in LANGUAGE_FALLBACK:
        if pattern.fullmatch(code):
            return general
    return ""


def code_status(code: str, terms: "TermMap") -> str:
    """How an import uses a code: "term", "flag", "language" (the general
    language term), "not shown" (documented in NOT_SHOWN*) or "unknown"."""
    if code in terms.by_code:
        return "term"
    if code in FLAG_CODES:
        return "flag"
    table = code_table()
    if code in table.labels:
        return "not shown" if table.not_shown_reason(code) else "unknown"
    if language_fallback(code):
        return "language"
    return "unknown"


@cache
def code_table() -> CodeTable:
    table = CodeTable()
    with CODE_TABLE_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "group" or len(row) < 3:
                continue
            group, code, label = row[0], row[1].strip(), row[2].strip()
            if group == "CAT":
                table.categories.add(code)
                continue
            table.labels.setdefault(code, label)
            table.groups.setdefault(code, set()).add(group)
            table.by_label.setdefault(normalize_label(label), set()).add(code)
    with LABEL_VARIANTS_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if not row or row[0].startswith("#") or row[0] == "category" or len(row) < 3:
                continue
            codes = frozenset(code for code in row[2].split() if code != "-")
            table.variants[(row[0].strip().upper() or "*", normalize_label(row[1]))] = codes
    return table


@dataclass
class TermMap:
    """Vocabulary terms in memory, so an import makes no query per row."""

    by_code: dict[str, list[tuple[str, int]]]  # code -> [(m2m field, term id)]
    by_slug: dict[str, dict[str, int]]  # m2m field -> slug -> term id
    slugs: dict[str, dict[int, str]]  # m2m field -> term id -> slug
    codes_of: dict[tuple[str, int], set[str]] = field(default_factory=dict)  # (m2m field, term id) -> codes

    @classmethod
    def load(cls) -> "TermMap":
        by_code, by_slug, slugs = {}, {}, {}
        for field_name, model in RELATION_MODELS.items():
            by_slug[field_name] = {}
            slugs[field_name] = {}
            for pk, slug, codes in model.objects.values_list("pk", "slug", "samhsa_codes"):
                by_slug[field_name][slug] = pk
                slugs[field_name][pk] = slug
                for code in codes or []:
                    by_code.setdefault(code.upper(), []).append((field_name, pk))
        codes_of = {}
        for code, pairs in by_code.items():
            for pair in pairs:
                codes_of.setdefault(pair, set()).add(code)
        return cls(by_code=by_code, by_slug=by_slug, slugs=slugs, codes_of=codes_of)
