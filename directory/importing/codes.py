"""SAMHSA service codes: the project's copy of the code table
(directory/data/samhsa_service_codes.tsv) and the map from codes to
vocabulary terms, read from the database so terms staff add are used too."""

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from directory import vocabularies

CODE_TABLE_PATH = Path(__file__).resolve().parent.parent / "data" / "samhsa_service_codes.tsv"

# Program M2M field -> vocabulary model, from the search registry
# (directory/vocabularies.py). The order is the export order.
VOCABULARIES = vocabularies.relation_models()
# Codes that set a Program flag rather than a vocabulary term.
TELEHEALTH_CODES = frozenset({"TELE"})
OTP_CERTIFIED_CODES = frozenset({"SOTP"})
# f2 category code -> groups of the code table it draws its values from.
CATEGORY_GROUPS = {
    "TC": {"TypeOfCare"}, "SET": {"Setting"}, "PAY": {"Payment"}, "PYAS": {"PaymentAssist"},
    "OT": {"OpioidTreatment"}, "OM": {"OpioidMeds"}, "PHR": {"Pharmacotherapy"}, "AGE": {"Age"},
    "SG": {"Special"}, "GN": {"Gender"}, "SN": {"Gender"}, "SL": {"Language"}, "OL": {"Language"},
    "AIL": {"Language"}, "TAP": {"Approach"}, "LCA": {"License"}, "FOP": {"Operation"},
}  # fmt: skip


def normalize_label(label: str) -> str:
    return re.sub(r"\s+", " ", label).strip().casefold()


@dataclass
class CodeTable:
    labels: dict[str, str] = field(default_factory=dict)  # code -> label
    by_label: dict[str, set[str]] = field(default_factory=dict)  # normalized label -> codes
    categories: set[str] = field(default_factory=set)  # f2 category codes
    groups: dict[str, set[str]] = field(default_factory=dict)  # code -> table groups

    @property
    def codes(self) -> set[str]:
        return set(self.labels)

    def label(self, code: str) -> str:
        return self.labels.get(code, "")

    def codes_for_label(self, label: str, category: str = "") -> set[str]:
        """A few labels mean different codes in different categories
        ("Young adults" is an age group and a special program): the f2
        category of the locator row decides when it can."""
        codes = set(self.by_label.get(normalize_label(label), ()))
        wanted = CATEGORY_GROUPS.get(category.upper())
        if len(codes) > 1 and wanted:
            narrowed = {code for code in codes if self.groups.get(code, set()) & wanted}
            codes = narrowed or codes
        return codes


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
    return table


@dataclass
class TermMap:
    """Vocabulary terms in memory, so an import makes no query per row."""

    by_code: dict[str, list[tuple[str, int]]]  # code -> [(m2m field, term id)]
    by_slug: dict[str, dict[str, int]]  # m2m field -> slug -> term id
    slugs: dict[str, dict[int, str]]  # m2m field -> term id -> slug

    @classmethod
    def load(cls) -> "TermMap":
        by_code, by_slug, slugs = {}, {}, {}
        for field_name, model in VOCABULARIES.items():
            by_slug[field_name] = {}
            slugs[field_name] = {}
            for pk, slug, codes in model.objects.values_list("pk", "slug", "samhsa_codes"):
                by_slug[field_name][slug] = pk
                slugs[field_name][pk] = slug
                for code in codes or []:
                    by_code.setdefault(code.upper(), []).append((field_name, pk))
        return cls(by_code=by_code, by_slug=by_slug, slugs=slugs)
