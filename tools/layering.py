"""Layering SAMHSA sources, measured (manage.py check_layering and its
tests): load files in order, then count what a family would meet.

The duplicate count is deliberately independent of the importer's own
matching (directory/importing): two published listings are counted as one
facility listed twice when they share ZIP code, house number and first
street word (direction words such as "S." or "South" skipped) and either
most of their name words (at least half of the two names' distinct
significant words in common) or a phone number."""

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from pathlib import Path

from django.db.models import Q

from config.phones import phone_key
from directory.importing import import_file
from directory.importing.formats import FormatError
from directory.models import Program

DIRECTIONS = {"n", "s", "e", "w", "ne", "nw", "se", "sw", "north", "south", "east", "west"}
# Words too common in facility names to say two names are the same place.
GENERIC_NAME_WORDS = {
    "center", "centers", "program", "programs", "services", "service", "treatment", "recovery", "clinic",
    "health", "behavioral", "inc", "llc", "the", "and", "for", "of", "adult", "outpatient",
}  # fmt: skip
WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class LayerFile:
    path: Path
    as_of: date


@dataclass(frozen=True)
class Manifest:
    files: tuple[LayerFile, ...]
    direction: str = "oldest to newest"

    @classmethod
    def read(cls, path: Path) -> "Manifest":
        lines = [line for line in path.read_text().splitlines() if line and not line.startswith("#")]
        rows = list(csv.DictReader(lines, delimiter="\t"))
        if not rows:
            raise ValueError("no files listed")
        files = [LayerFile(path.parent / row["file"], date.fromisoformat(row["as_of"])) for row in rows]
        return cls(tuple(sorted(files, key=lambda f: f.as_of)))

    def reversed(self) -> "Manifest":
        return Manifest(tuple(reversed(self.files)), "newest to oldest")

    def label(self) -> str:
        return f"{self.direction} ({', '.join(f.path.name for f in self.files)})"

    def __iter__(self):
        return iter(self.files)


def import_in_order(files: Manifest) -> list[str]:
    """Import each file; one summary line per file (a file the importer
    refuses is reported and the rest go on, as staff would)."""
    notes = []
    for layer in files:
        try:
            report = import_file(layer.path, as_of=layer.as_of)
        except FormatError as exc:
            notes.append(f"{layer.path.name} (data of {layer.as_of:%B %Y}): REFUSED: {exc}")
            continue
        notes.append(f"{layer.path.name} (data of {layer.as_of:%B %Y}): {report.summary()}")
    return notes


def street_key(program) -> tuple[str, str, str] | None:
    words = WORD.findall((program.street1 or "").casefold())
    if not words or not words[0].isdigit():
        return None
    rest = [w for w in words[1:] if w not in DIRECTIONS]
    return ((program.zip_code or "")[:5], words[0], rest[0] if rest else "")


def name_words(program) -> set[str]:
    text = f"{program.name} {program.alternate_name}".casefold()
    return {w for w in WORD.findall(text) if len(w) > 2 and w not in GENERIC_NAME_WORDS}


def similar_names(a, b) -> bool:
    first, second = name_words(a), name_words(b)
    return bool(first and second) and len(first & second) * 2 >= len(first | second)


def phones(program) -> set[str]:
    found = set()
    for value in (program.phone, program.intake_phone, program.hotline_phone):
        if len(digits := phone_key(value)) == 10:
            found.add(digits)
    return found


def duplicate_clusters(programs) -> list[list[Program]]:
    """Groups of published listings that look like one facility."""
    by_site: dict[tuple, list] = {}
    for program in programs:
        if (key := street_key(program)) is not None:
            by_site.setdefault(key, []).append(program)
    clusters = []
    for group in by_site.values():
        parent = {p.pk: p.pk for p in group}

        def root(pk, parent=parent):
            while parent[pk] != pk:
                pk = parent[pk]
            return pk

        for a, b in combinations(group, 2):
            if similar_names(a, b) or phones(a) & phones(b):
                parent[root(a.pk)] = root(b.pk)
        members: dict[int, list] = {}
        for program in group:
            members.setdefault(root(program.pk), []).append(program)
        clusters += [sorted(c, key=lambda p: p.pk) for c in members.values() if len(c) > 1]
    return clusters


@dataclass
class Figures:
    listings: int = 0
    published: int = 0
    clusters: int = 0
    extra_listings: int = 0
    otps: int = 0
    otps_without_methadone: int = 0
    without_contact: int = 0  # listed (in search, the API, nearby lists) yet nobody can contact them
    incomplete: int = 0  # published pages that say there is no way to contact the program, not listed
    snapshot: dict = field(default_factory=dict)

    def table(self) -> list[tuple[str, str]]:
        share = f"{self.extra_listings * 100 / self.published:.1f}%" if self.published else "-"
        return [
            ("listings (all / published)", f"{self.listings} / {self.published}"),
            ("duplicate clusters (extra listings)", f"{self.clusters} ({self.extra_listings})"),
            ("duplicates, share of published listings", share),
            ("OTP listings / without methadone", f"{self.otps} / {self.otps_without_methadone}"),
            ("listings in search with no phone or website", str(self.without_contact)),
            ("incomplete pages (published, not in search)", str(self.incomplete)),
        ]

    def missed_goals(self) -> list[str]:
        missed = []
        if self.published and self.extra_listings * 100 >= self.published:
            missed.append(
                f"duplicates are {self.extra_listings} of {self.published} listings (goal: under 1%)"
            )
        if self.otps_without_methadone:
            missed.append(f"{self.otps_without_methadone} OTP listing(s) without methadone")
        if self.without_contact:
            missed.append(f"{self.without_contact} listing(s) in search nobody can contact")
        return missed


# Independent of models.CONTACTABLE on purpose: what a family could use to reach the program.
NO_CONTACT = Q(phone="") & Q(intake_phone="") & Q(hotline_phone="") & Q(website="")


def directory_figures() -> Figures:
    published = list(
        Program.objects.published().prefetch_related("medications", "levels_of_care").order_by("pk")
    )
    clusters = duplicate_clusters(published)
    otps = [p for p in published if p.otp_certified]
    return Figures(
        listings=Program.objects.count(),
        published=len(published),
        clusters=len(clusters),
        extra_listings=sum(len(c) - 1 for c in clusters),
        otps=len(otps),
        otps_without_methadone=sum(
            1 for p in otps if "methadone" not in {m.slug for m in p.medications.all()}
        ),
        without_contact=Program.objects.listed().filter(NO_CONTACT).count(),
        incomplete=Program.objects.published().incomplete().count(),
        snapshot={listing_key(p): listing_values(p) for p in published},
    )


def listing_key(program) -> tuple:
    """Which facility a listing is, whatever order created it (slugs differ)."""
    site = street_key(program) or ((program.zip_code or "")[:5], program.street1.casefold(), "")
    return (*site, program.name.casefold())


def listing_values(program) -> tuple:
    return (
        program.name,
        program.alternate_name,
        program.street1,
        program.street2,
        program.city,
        program.phone,
        program.intake_phone,
        program.website,
        program.otp_certified,
        tuple(sorted(t.slug for t in program.levels_of_care.all())),
        tuple(sorted(t.slug for t in program.medications.all())),
    )


def snapshot_differences(first: dict, second: dict) -> list[str]:
    lines = []
    for key in sorted(set(first) | set(second), key=str):
        a, b = first.get(key), second.get(key)
        if a == b:
            continue
        if a is None or b is None:
            lines.append(
                f"{key[-1]!r} at {key[1]} {key[2]} {key[0]}: only {'newest' if a is None else 'oldest'} first"
            )
        else:
            changed = [f"{x!r} vs {y!r}" for x, y in zip(a, b, strict=True) if x != y]
            lines.append(f"{key[-1]!r}: {'; '.join(changed)}")
    return lines
