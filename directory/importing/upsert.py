"""Writing cleaned import records to the database, in bulk
(`programs_import`, re-exported by directory.services).

Rules (issue 10):
- A field is written only when the file has its column; a vocabulary term
  only when the file speaks about its codes.
- An empty cell or an empty term list does not erase a value that another
  source provided: only the source that set the value (per its provenance),
  or the site's own export, may empty it.
- Every value an import writes records its provenance (source, file, when)
  in FieldProvenance.
- Distinct programs are never merged: two records with different source ids
  are two programs; only the same id, or the same normalised name + second
  name + address, is the same program. Every merge is reported."""

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from directory.models import FieldProvenance, Organization, Program
from directory.provenance import PROVENANCE_SKIP
from directory.services import program_links_insert, search_index_changed

from .cleaning import Record, normalize_words, shared_terms
from .codes import RELATION_MODELS

OWN_EXPORT = "findcare"  # the site's own export may empty any value


@dataclass
class RowOutcome:
    row: int
    status: str  # created, updated, unchanged, skipped, merged
    name: str = ""
    external_id: str = ""
    slug: str = ""
    notes: list[str] = field(default_factory=list)


def _site_key(name: str, street1: str, zip_code: str) -> tuple[str, str, str]:
    return (normalize_words(name), normalize_words(street1), zip_code or "")


def _record_site(record: Record) -> tuple[str, str, str]:
    f = record.fields
    return _site_key(f.get("name", ""), f.get("street1", ""), f.get("zip_code", ""))


@dataclass
class _Existing:
    """Every program's current values in memory, so matching and comparing a
    whole file costs a handful of queries instead of several per row."""

    values: dict[int, dict]
    links: dict[str, dict[int, set[int]]]
    provenance: dict[int, dict]
    by_id: dict[tuple[str, str], int]
    by_slug: dict[str, int]
    by_site: dict[tuple, list[int]]  # (name, street, ZIP) -> programs there

    @classmethod
    def load(cls, *, fields: set[str], link_fields: set[str]) -> "_Existing":
        wanted = fields | {"slug", "source", "external_id", "name", "alternate_name", "street1", "zip_code"}
        values = {row["id"]: row for row in Program.objects.values("id", *wanted).iterator(chunk_size=5000)}
        links = {}
        for field_name in link_fields:
            model_field = Program._meta.get_field(field_name)
            through = model_field.remote_field.through
            pairs = through.objects.values_list(model_field.m2m_column_name(), model_field.m2m_reverse_name())
            links[field_name] = {}
            for program_id, term_id in pairs.iterator(chunk_size=20000):
                links[field_name].setdefault(program_id, set()).add(term_id)
            # One shared frozenset per distinct set of terms: many programs have the same.
            links[field_name] = {pk: shared_terms(ids) for pk, ids in links[field_name].items()}
        provenance = {
            pk: _shared_stamps(fields)
            for pk, fields in FieldProvenance.objects.values_list("program_id", "fields").iterator(
                chunk_size=5000
            )
        }
        existing = cls(values, links, provenance, {}, {}, {})
        for pk, row in values.items():
            existing.index(pk, row)
        return existing

    def index(self, pk: int, row: dict) -> None:
        if row["external_id"]:
            self.by_id[(row["source"], row["external_id"])] = pk
        self.by_slug[row["slug"]] = pk
        self.by_site.setdefault(_site_key(row["name"], row["street1"], row["zip_code"]), []).append(pk)

    def match(self, record: Record) -> tuple[int | None, str]:
        """(program id or None, reason). A reason without an id means the
        row is ambiguous and must be skipped rather than guessed."""
        if record.external_id and (record.source, record.external_id) in self.by_id:
            return self.by_id[(record.source, record.external_id)], ""
        slug = record.fields.get("slug")
        if slug and slug in self.by_slug:
            return self.by_slug[slug], ""
        candidates = []
        for pk in self.by_site.get(_record_site(record), []):
            row = self.values[pk]
            if record.external_id and row["external_id"] and row["source"] == record.source:
                continue  # another program of the same source: a different id is a different program
            candidates.append(pk)
        if "alternate_name" in record.fields:
            wanted = normalize_words(record.fields["alternate_name"])
            candidates = [
                pk for pk in candidates if normalize_words(self.values[pk]["alternate_name"]) == wanted
            ]
        if len(candidates) > 1:
            return None, (
                f"matches {len(candidates)} programs with this name at this address; "
                "the file has no second name (name2) or id to tell them apart"
            )
        return (candidates[0] if candidates else None), ""


_STAMPS: dict[tuple, dict] = {}


def _shared_stamps(fields) -> dict:
    """A program's provenance with one shared object per distinct stamp
    ({source, file, at}), and one per distinct provenance: a whole import
    writes one stamp, so tens of thousands of programs would otherwise each
    hold copies of the same few. Read only: a new provenance is a new dict."""
    if not isinstance(fields, dict):
        return fields
    if len(_STAMPS) > 100_000:
        _STAMPS.clear()
    shared = {}
    for name, stamp in fields.items():
        try:
            key = tuple(sorted(stamp.items())) if isinstance(stamp, dict) else None
            shared[sys.intern(name)] = _STAMPS.setdefault(key, stamp) if key is not None else stamp
        except TypeError:  # an unhashable value: keep it as it is
            shared[sys.intern(name)] = stamp
    # Programs written by the same imports have the same provenance: share it too.
    key = ("program", " ".join(sorted(f"{name}:{id(stamp)}" for name, stamp in shared.items())))
    return _STAMPS.setdefault(key, shared)


def programs_import(
    *,
    records: list[Record],
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    source_key: str = "",
    file_name: str = "",
) -> list[RowOutcome]:
    """Create or update programs from cleaned import records, in bulk.

    A program is the same when its source and external id match, or (our own
    format) its slug, or else its normalized name, second name and street
    address in the same ZIP (never when both carry different ids of the same
    source). Rows that are the same program as an earlier row are merged
    into it. Only the fields a file gives are compared and written, so
    re-importing a file changes nothing. `source_key` and `file_name` are
    recorded as the provenance of every value written."""
    stamp = {"source": source_key or "import", "file": file_name, "at": timezone.now().isoformat()}
    outcomes = {record.row: RowOutcome(record.row, "skipped", notes=list(record.notes)) for record in records}
    for record in records:
        if record.error:
            outcomes[record.row].notes.insert(0, record.error)
    good = _merge_duplicates([r for r in records if not r.error], outcomes)
    _resolve_references(good, dry_run=dry_run)
    existing = _Existing.load(
        fields={name for r in good for name in r.fields},
        link_fields={name for r in good for name in r.links},
    )
    creates, updates, link_changes, provenance = [], [], [], {}
    claimed: dict[int, Record] = {}
    for done, record in enumerate(good, start=1):
        outcome = outcomes[record.row]
        outcome.name, outcome.external_id = record.fields.get("name", ""), record.external_id
        pk, reason = existing.match(record)
        if reason:
            outcome.notes.insert(0, reason)
        elif pk is not None and pk in claimed and _same_or_no_ids(claimed[pk], record):
            _merge(claimed[pk], record, outcome, why="matches the same program")
        elif pk is None or pk in claimed:  # a row with another id is another program
            if "city" not in record.fields or "state" not in record.fields:
                outcome.notes.insert(0, "new program, but the file has no city or state column")
            else:
                creates.append(record)
        else:
            claimed[pk] = record
            changes = _plan_update(pk, record, existing, outcome, updates, link_changes, source_key)
            if changes:
                provenance[pk] = {**existing.provenance.get(pk, {}), **dict.fromkeys(changes, stamp)}
        if progress:
            progress(done, len(good))
    _plan_creates(creates, existing, outcomes)
    if not dry_run:
        with transaction.atomic():
            created = _write(creates, updates, link_changes)
            _write_provenance(created, creates, provenance, existing, stamp)
            transaction.on_commit(search_index_changed)
    return [outcomes[record.row] for record in records]


def _same_or_no_ids(first: Record, second: Record) -> bool:
    return not (first.external_id and second.external_id and first.external_id != second.external_id)


def _merge_duplicates(records: list[Record], outcomes: dict[int, RowOutcome]) -> list[Record]:
    """Rows of one file that are one program: same source id, or (when
    neither id says otherwise) same name, second name and address."""
    kept, by_id, by_site = [], {}, {}
    for record in records:
        key = (record.source, record.external_id)
        site = (*_record_site(record), normalize_words(record.fields.get("alternate_name", "")))
        first, why = None, ""
        if record.external_id and key in by_id:
            first, why = by_id[key], "same source id"
        else:
            for candidate in by_site.get(site, []):
                if not (record.external_id and candidate.external_id):
                    first, why = candidate, "same name, second name and address"
                    break
        if first:
            _merge(first, record, outcomes[record.row], why=why)
            continue
        kept.append(record)
        if record.external_id:
            by_id[key] = record
        by_site.setdefault(site, []).append(record)
    return kept


def _merge(into: Record, duplicate: Record, outcome: RowOutcome, *, why: str) -> None:
    """Fill what the first row lacks from the duplicate; vocabularies add up."""
    # A record's links and covered maps may be shared with other records
    # (cleaning.shared_terms): copy before changing.
    into.links, into.covered = dict(into.links), dict(into.covered)
    for name, value in duplicate.fields.items():
        if into.fields.get(name) in (None, "", False) and value not in (None, ""):
            into.fields[name] = value
    for name, ids in duplicate.links.items():
        into.links[name] = {*into.links.get(name, ()), *ids}
        if name in duplicate.covered:
            mine, theirs = into.covered.get(name, set()), duplicate.covered[name]
            into.covered[name] = None if mine is None or theirs is None else mine | theirs
    outcome.status = "merged"
    outcome.name, outcome.external_id = duplicate.fields.get("name", ""), duplicate.external_id
    outcome.notes.insert(0, f"duplicate of row {into.row} ({why}): merged into it")


def _resolve_references(records: list[Record], *, dry_run: bool) -> None:
    """Organization slugs and usernames (our own format) become ids."""
    wanted = {r.organization[0]: r.organization[1] for r in records if r.organization and r.organization[0]}
    organizations = dict(Organization.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = [
        Organization(slug=slug, name=name) for slug, name in wanted.items() if slug not in organizations
    ]
    if missing and not dry_run:
        Organization.objects.bulk_create(missing)
        organizations.update(Organization.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    usernames = {r.verified_by for r in records if r.verified_by}
    User = get_user_model()
    users = dict(
        User.objects.filter(**{f"{User.USERNAME_FIELD}__in": usernames}).values_list(
            User.USERNAME_FIELD, "pk"
        )
    )
    for record in records:
        if record.organization is not None:
            record.fields["organization_id"] = organizations.get(record.organization[0])
        if record.verified_by is not None:
            record.fields["verified_by_id"] = users.get(record.verified_by)
            if record.verified_by and record.verified_by not in users:
                record.notes.append(f"verified_by: no user {record.verified_by!r}")


def _empty(value) -> bool:
    return value in (None, "", False) or value == set()


def _may_erase(name: str, pk: int, existing: _Existing, source_key: str, record: Record) -> bool:
    """May this file empty the program's value of `name`? Only if the value
    came from this same source, or the file is the site's own export. A
    value without provenance (entered before provenance was kept) belongs
    to the program's own source."""
    if source_key == OWN_EXPORT:
        return True
    origin = existing.provenance.get(pk, {}).get(name)
    if origin:
        return origin.get("source") == source_key
    return existing.values[pk]["source"] == record.source


def _plan_update(pk, record, existing, outcome, updates, link_changes, source_key) -> list[str]:
    """Plan one program's changes; returns the names of changed fields."""
    current = existing.values[pk]
    fields = dict(record.fields)
    if fields.get("slug") and fields["slug"] != current["slug"] and fields["slug"] in existing.by_slug:
        outcome.notes.append(
            f"slug {fields.pop('slug')!r} belongs to another program; kept {current['slug']!r}"
        )
    if current["external_id"] and not record.external_id:
        fields.pop("external_id", None)
        fields.pop("source", None)
    kept = []
    changed = {}
    for name, value in fields.items():
        if current.get(name) == value:
            continue
        if (
            _empty(value)
            and not _empty(current.get(name))
            and not _may_erase(name, pk, existing, source_key, record)
        ):
            kept.append(name)
            continue
        changed[name] = value
    if "coordinate_flag" in changed and "latitude" not in changed and "longitude" not in changed:
        changed.pop("coordinate_flag")
    changed_links = {}
    for name, ids in record.links.items():
        have = existing.links[name].get(pk, set())
        covered = record.covered.get(name)
        new = set(ids) if covered is None else (have - covered) | ids
        if new == have:
            continue
        if not new and not _may_erase(name, pk, existing, source_key, record):
            kept.append(name)
            continue
        changed_links[name] = new
    outcome.slug = changed.get("slug", current["slug"])
    outcome.status = "updated" if changed or changed_links else "unchanged"
    if changed or changed_links:
        outcome.notes.append("changed: " + ", ".join(sorted({*changed, *changed_links})))
        # updated_at moves even when only links changed: search caches key on it.
        updates.append((pk, {**current, **changed}, set(changed)))
    if kept:
        outcome.notes.append("kept (another source set them): " + ", ".join(sorted(kept)))
    for name, ids in changed_links.items():
        link_changes.append((name, pk, ids))
    return [*changed, *changed_links]


def _plan_creates(records: list[Record], existing: _Existing, outcomes: dict[int, RowOutcome]) -> None:
    taken = set(existing.by_slug)
    for record in records:
        for name, value in record.defaults.items():
            record.fields.setdefault(name, value)
        fields = record.fields
        slug = fields.get("slug")
        if not slug or slug in taken:
            slug = Program.unique_slug(fields["name"], fields.get("city", ""), fields["state"], taken=taken)
        taken.add(slug)
        fields["slug"] = slug
        if "status" not in fields and record.source == Program.Source.SAMHSA:
            fields["status"] = Program.Status.PUBLISHED
        outcomes[record.row].status = "created"
        outcomes[record.row].slug = slug


def _write_provenance(
    created_ids: list[int], creates: list[Record], updated: dict[int, dict], existing, stamp: dict
) -> None:
    """One FieldProvenance row per program: new ones for created programs
    (and updated ones that had none), the stored ones updated otherwise."""
    new, old = [], []
    for pk, record in zip(created_ids, creates, strict=True):
        names = [n for n, v in record.fields.items() if n not in PROVENANCE_SKIP and not _empty(v)]
        names += [n for n, ids in record.links.items() if ids]
        if names:
            new.append(FieldProvenance(program_id=pk, fields=dict.fromkeys(names, stamp)))
        if len(new) >= CREATE_CHUNK:  # a large file: a chunk at a time
            FieldProvenance.objects.bulk_create(new, batch_size=1000)
            new = []
    for pk, fields in updated.items():
        row = FieldProvenance(
            program_id=pk, fields={n: v for n, v in fields.items() if n not in PROVENANCE_SKIP}
        )
        (old if pk in existing.provenance else new).append(row)
    FieldProvenance.objects.bulk_create(new, batch_size=1000)
    if old:
        ids = [row.program_id for row in old]
        pks = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            pks.update(FieldProvenance.objects.filter(program_id__in=chunk).values_list("program_id", "pk"))
        for row in old:
            row.pk = pks[row.program_id]
        FieldProvenance.objects.bulk_update(old, ["fields"], batch_size=500)


CREATE_CHUNK = 2000


def _write(creates: list[Record], updates: list, link_changes: list) -> list[int]:
    """Returns the ids of the created programs, in the order of `creates`."""
    now = timezone.now()
    created = []
    # In chunks, so a large file never has all its new Program objects in memory at once.
    for start in range(0, len(creates), CREATE_CHUNK):
        chunk = creates[start : start + CREATE_CHUNK]
        programs = Program.objects.bulk_create([Program(**record.fields) for record in chunk])
        for field_name in RELATION_MODELS:
            pairs = [
                (program.pk, term_id)
                for program, record in zip(programs, chunk, strict=True)
                for term_id in sorted(record.links.get(field_name, ()))
            ]
            program_links_insert(field_name=field_name, pairs=pairs)
        created.extend(program.pk for program in programs)
    groups: dict[frozenset, list[Program]] = {}
    for pk, values, changed in updates:
        names = frozenset(changed)
        values = {name: values[name] for name in names}
        groups.setdefault(names, []).append(Program(pk=pk, updated_at=now, **values))
    for names, objs in groups.items():
        Program.objects.bulk_update(objs, [*names, "updated_at"], batch_size=500)
    for field_name in RELATION_MODELS:
        changes = [(pk, ids) for name, pk, ids in link_changes if name == field_name]
        if not changes:
            continue
        through = getattr(Program, field_name).through
        ids = [pk for pk, _ in changes]
        for start in range(0, len(ids), 500):
            through.objects.filter(program_id__in=ids[start : start + 500]).delete()
        pairs = [(pk, term_id) for pk, term_ids in changes for term_id in sorted(term_ids)]
        program_links_insert(field_name=field_name, pairs=pairs)
    return created
