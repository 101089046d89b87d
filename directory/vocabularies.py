"""The one definition of what a directory search can filter on.

Every searchable vocabulary (a Program many-to-many relation to a Term
model) and every yes/no flag is listed here once. Everything else is
derived from these two lists:

- the search FilterSet (directory/search/filterset.py): one TermFilter per
  vocabulary, one FlagFilter per flag, in this order;
- the in-memory search index (directory/search/index.py): bits per term and flag;
- the index's change tracking (directory/signals.py): the M2M relations;
- the JSON API's query schema and program fields (directory/api.py);
- the CSV/backup columns (directory/exports.py) and the importer's
  relation list (directory/importing/codes.py);
- "is this a search" (search_params below), for the page and the API;
- the article blocks' program counts (content/find_treatment.py).

Adding a vocabulary filter is one line in VOCABULARIES (plus the model,
its M2M field on Program and their migration). Adding a flag filter is one
line in FLAGS (plus a migration if it needs a new field)."""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db.models import Q


def _program():
    # By name, not import: models.py imports this registry.
    return apps.get_model("directory", "Program")


@dataclass(frozen=True)
class Vocabulary:
    relation: str  # Program many-to-many field
    param: str  # query-string parameter
    label: str  # filter label on the page and in the API docs

    @property
    def model(self):
        return _program()._meta.get_field(self.relation).related_model

    @property
    def through(self):
        return getattr(_program(), self.relation).through

    @property
    def term_column(self) -> str:
        """The through table's column holding the term id."""
        return _program()._meta.get_field(self.relation).m2m_reverse_name()


@dataclass(frozen=True)
class Flag:
    param: str  # query-string parameter ("1" turns it on)
    label: str
    condition: Q  # which programs have it


VOCABULARIES: list[Vocabulary] = [
    Vocabulary("levels_of_care", "care", "Type of care"),
    Vocabulary("medications", "medication", "Medication"),
    Vocabulary("payment_options", "payment", "Payment"),
    Vocabulary("detox_substances", "detox", "Detox for"),
    Vocabulary("genders_accepted", "gender", "Gender"),
    Vocabulary("populations", "population", "Ages and groups served"),
    Vocabulary("languages", "language", "Language"),
    Vocabulary("accreditations", "accreditation", "Accreditation"),
    # Limits on who a program takes. A filter too (a veteran may want a
    # veterans-only program, a DUI client a DUI/DWI program), but mainly
    # shown: near the top of the program page and on every result card
    # (search/cards.py), and used by EXCLUSIONS below.
    Vocabulary("restrictions", "limited_to", "Limits on who is served"),
]

# The searchable Program relations, in filter order (prefetched wherever
# cards or pages show them).
TERM_RELATIONS: list[str] = [vocabulary.relation for vocabulary in VOCABULARIES]

# Shown on program pages, imported and exported, but not search filters.
# Moving one into VOCABULARIES makes it a filter everywhere at once.
DESCRIPTIVE: list[Vocabulary] = [
    Vocabulary("treatment_approaches", "approach", "Treatment approaches"),
    Vocabulary("facility_operations", "operation", "Facility operation"),
    Vocabulary("support_services", "support", "Recovery support and testing"),
]

FLAGS: list[Flag] = [
    Flag("telehealth", "Offers telehealth", Q(offers_telehealth=True)),
    Flag("accepting", "Accepting new clients", Q(accepting_clients="yes")),
    Flag("verified", "Verified listings only", Q(verified_at__isnull=False)),
]


@dataclass(frozen=True)
class Exclusion:
    """A term a program's restriction contradicts: searching for `term` of
    `relation` leaves out programs with one of `restrictions` (slugs of the
    restrictions vocabulary), on the page, in the API and in the CSV alike
    (the FilterSet and the in-memory index both apply it). A program that
    says it does not treat opioid use disorder is not a match for a
    methadone search, whatever else its listing says."""

    relation: str
    term: str
    restrictions: frozenset[str]


NO_OPIOID_TREATMENT = frozenset({"no-opioid-treatment", "no-opioid-medication"})
EXCLUSIONS: list[Exclusion] = [
    # Medications for opioid use disorder only; naltrexone and the alcohol
    # medications also treat alcohol use disorder, so those programs stay
    # and their cards say "Does not treat opioid use disorder".
    Exclusion("medications", "methadone", NO_OPIOID_TREATMENT),
    Exclusion("medications", "buprenorphine", NO_OPIOID_TREATMENT),
    Exclusion("medications", "accepts-outside-prescriptions", frozenset({"no-opioid-treatment"})),
    Exclusion("levels_of_care", "opioid-treatment-program", NO_OPIOID_TREATMENT),
]


def exclusions_for(relation: str) -> dict[str, frozenset[str]]:
    """term slug -> restriction slugs that leave a program out of it."""
    return {e.term: e.restrictions for e in EXCLUSIONS if e.relation == relation}


# Parameters that shape a search without filtering by a vocabulary or flag.
SEARCH_SHAPE_PARAMS = ["location", "radius", "q", "sort"]


def by_relation() -> dict[str, Vocabulary]:
    return {vocabulary.relation: vocabulary for vocabulary in VOCABULARIES}


def by_param() -> dict[str, Vocabulary]:
    return {vocabulary.param: vocabulary for vocabulary in VOCABULARIES}


def all_vocabularies() -> list[Vocabulary]:
    """Searchable and descriptive: everything imported, exported and shown."""
    return [*VOCABULARIES, *DESCRIPTIVE]


def relation_models() -> dict:
    """Program M2M field -> term model, in export order."""
    return {vocabulary.relation: vocabulary.model for vocabulary in all_vocabularies()}


def term_models() -> list:
    return [vocabulary.model for vocabulary in VOCABULARIES]


def search_params() -> set[str]:
    """Every query parameter that makes a request a search."""
    return {*SEARCH_SHAPE_PARAMS, *(v.param for v in VOCABULARIES), *(f.param for f in FLAGS)}


def is_search(params) -> bool:
    """True when the query string holds a search (not just a page number,
    nothing, or parameters we do not know): the page and the API agree."""
    return bool(search_params() & set(params))


# Names families use -------------------------------------------------------
# Brand, street and short names for terms ("Suboxone" -> buprenorphine,
# "heroin" -> opioids, "rehab" -> residential or inpatient), as data in
# directory/data/synonyms.tsv. Every caller reads them here: site search
# (content.selectors), the directory's name field (directory/search: the
# FilterSet and the in-memory index alike) and the care guide.

SYNONYMS_FILE = Path(__file__).parent / "data" / "synonyms.tsv"
# A word as the searches read it: letters and digits of any script, no
# punctuation, no underscore.
WORD_RE = re.compile(r"[^\W_]+")


def words(text) -> list[str]:
    """The words of a text, in order, as typed (case kept)."""
    return WORD_RE.findall(text or "")


@dataclass(frozen=True)
class Name:
    """A name families use: its words (casefolded) and the terms it stands
    for ((relation, slug) pairs, any of them), with the words site search
    looks for besides the name itself."""

    words: tuple[str, ...]
    terms: tuple[tuple[str, str], ...]
    search_words: tuple[str, ...]

    def terms_in(self, relations) -> tuple[tuple[str, str], ...]:
        return tuple(term for term in self.terms if term[0] in relations)


@functools.cache
def names() -> dict[tuple[str, ...], Name]:
    """The synonym table: name words -> Name."""
    terms: dict[tuple[str, ...], list] = {}
    search: dict[tuple[str, ...], list] = {}
    with SYNONYMS_FILE.open(encoding="utf-8") as file:
        rows = csv.DictReader((line for line in file if not line.startswith("#")), delimiter="\t")
        for row in rows:
            key = tuple(word.casefold() for word in words(row["name"]))
            terms.setdefault(key, []).append((row["relation"], row["slug"]))
            for alternative in row["words"].split("|"):
                if alternative.strip() and alternative.strip() not in search.setdefault(key, []):
                    search[key].append(alternative.strip())
    return {key: Name(key, tuple(terms[key]), tuple(search[key])) for key in terms}


def read_names(text_words, relations=None) -> list:
    """The words of a search, with each name families use (longest first)
    replaced by its Name; other words stay strings. With `relations`, only
    names standing for a term of those relations count (the directory's
    filters cover VOCABULARIES, not the descriptive ones)."""
    table = names()
    longest = max((len(key) for key in table), default=0)
    folded = [word.casefold() for word in text_words]
    read, position = [], 0
    while position < len(text_words):
        for size in range(min(longest, len(text_words) - position), 0, -1):
            name = table.get(tuple(folded[position : position + size]))
            if name and (relations is None or name.terms_in(relations)):
                read.append(name)
                position += size
                break
        else:
            read.append(text_words[position])
            position += 1
    return read
