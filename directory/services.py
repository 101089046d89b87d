"""Writes for the directory. Keyword-only functions named <entity>_<action>."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from . import geo
from .importing.cleaning import Record, address_key
from .importing.codes import VOCABULARIES
from .models import Organization, ProblemReport, Program


def problem_report_create(
    *, program: Program, kind: str, details: str = "", contact_email: str = ""
) -> ProblemReport:
    return ProblemReport.objects.create(
        program=program, kind=kind, details=details, contact_email=contact_email
    )


def program_geocode(*, program: Program, replace_far: bool = False) -> str:
    """Fill in or correct a program's coordinates from its ZIP code (offline)
    and set coordinate_flag; returns a note saying what was done ('' when the
    coordinates were fine). Coordinates that came from a ZIP centroid follow
    the ZIP when it changes. Does not save."""
    latitude, longitude = program.latitude, program.longitude
    if program.coordinate_flag == Program.CoordinateFlag.FROM_ZIP:
        latitude = longitude = None
    check = geo.check_coordinates(
        latitude=latitude, longitude=longitude, zip_code=program.zip_code, replace_far=replace_far
    )
    program.latitude, program.longitude, program.coordinate_flag = check.latitude, check.longitude, check.flag
    return check.note


def program_links_insert(*, field_name: str, pairs: list[tuple[int, int]]) -> None:
    """Add (program id, term id) rows to one vocabulary join table in a few
    statements: at a million rows the ORM's bulk_create spends more time
    building model instances than the database spends inserting."""
    if not pairs:
        return
    field = Program._meta.get_field(field_name)
    table = connection.ops.quote_name(field.remote_field.through._meta.db_table)
    names = (field.m2m_column_name(), field.m2m_reverse_name())
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    # Table and column names come from the model; values are parameters.
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # In-process: executemany is the fastest way in.
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", pairs)  # noqa: S608
            return
        # Over a network, one statement per row would mean one round trip
        # per row: send many rows per statement instead.
        for start in range(0, len(pairs), 5000):
            chunk = pairs[start : start + 5000]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [value for pair in chunk for value in pair]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values}", params)  # noqa: S608


# --- import ---------------------------------------------------------------


@dataclass
class RowOutcome:
    row: int
    status: str  # created, updated, unchanged, skipped, merged
    name: str = ""
    external_id: str = ""
    slug: str = ""
    notes: list[str] = field(default_factory=list)


@dataclass
class _Existing:
    """Every program's current values in memory, so matching and comparing a
    whole file costs a handful of queries instead of several per row."""

    values: dict[int, dict]
    links: dict[str, dict[int, set[int]]]
    by_id: dict[tuple[str, str], int]
    by_slug: dict[str, int]
    by_address: dict[tuple, int]

    @classmethod
    def load(cls, *, fields: set[str], link_fields: set[str]) -> "_Existing":
        wanted = fields | {"slug", "source", "external_id", "name", "street1", "zip_code"}
        values = {row["id"]: row for row in Program.objects.values("id", *wanted).iterator(chunk_size=5000)}
        links = {}
        for field_name in link_fields:
            model_field = Program._meta.get_field(field_name)
            through = model_field.remote_field.through
            pairs = through.objects.values_list(model_field.m2m_column_name(), model_field.m2m_reverse_name())
            links[field_name] = {}
            for program_id, term_id in pairs.iterator(chunk_size=20000):
                links[field_name].setdefault(program_id, set()).add(term_id)
        existing = cls(values, links, {}, {}, {})
        for pk, row in values.items():
            existing.index(pk, row)
        return existing

    def index(self, pk: int, row: dict) -> None:
        if row["external_id"]:
            self.by_id[(row["source"], row["external_id"])] = pk
        self.by_slug[row["slug"]] = pk
        key = address_key(name=row["name"], street1=row["street1"], zip_code=row["zip_code"])
        self.by_address.setdefault(key, pk)

    def match(self, record: Record) -> int | None:
        if record.external_id and (record.source, record.external_id) in self.by_id:
            return self.by_id[(record.source, record.external_id)]
        slug = record.fields.get("slug")
        if slug and slug in self.by_slug:
            return self.by_slug[slug]
        pk = self.by_address.get(_record_address(record))
        if pk is None:
            return None
        row = self.values[pk]
        same_source = row["source"] == record.source
        if (
            record.external_id
            and row["external_id"]
            and same_source
            and row["external_id"] != record.external_id
        ):
            return None  # another facility of the same source at the same address
        return pk


def _record_address(record: Record) -> tuple:
    fields = record.fields
    return address_key(
        name=fields.get("name", ""), street1=fields.get("street1", ""), zip_code=fields["zip_code"]
    )


def programs_import(
    *, records: list[Record], dry_run: bool = False, progress: Callable[[int, int], None] | None = None
) -> list[RowOutcome]:
    """Create or update programs from cleaned import records, in bulk.

    A program is the same when its source and external id match, or (our own
    format) its slug, or else its normalized name and street address in the
    same ZIP. Rows that are the same program as an earlier row are merged
    into it. Only the fields a file gives are compared and written, so
    re-importing a file changes nothing."""
    outcomes = {record.row: RowOutcome(record.row, "skipped", notes=list(record.notes)) for record in records}
    for record in records:
        if record.error:
            outcomes[record.row].notes.insert(0, record.error)
    good = _merge_duplicates([r for r in records if not r.error], outcomes)
    _resolve_references(good, dry_run=dry_run)
    existing = _Existing.load(
        fields={name for r in good for name in r.fields}, link_fields={name for r in good for name in r.links}
    )
    creates, updates, link_changes = [], [], []
    claimed: dict[int, Record] = {}
    for done, record in enumerate(good, start=1):
        outcome = outcomes[record.row]
        outcome.name, outcome.external_id = record.fields.get("name", ""), record.external_id
        pk = existing.match(record)
        if pk is not None and pk in claimed:
            _merge(claimed[pk], record, outcome)
        elif pk is None:
            creates.append(record)
        else:
            claimed[pk] = record
            _plan_update(pk, record, existing, outcome, updates, link_changes)
        if progress:
            progress(done, len(good))
    _plan_creates(creates, existing, outcomes)
    if not dry_run:
        with transaction.atomic():
            _write(creates, updates, link_changes)
            transaction.on_commit(search_index_changed)
    return [outcomes[record.row] for record in records]


def _merge_duplicates(records: list[Record], outcomes: dict[int, RowOutcome]) -> list[Record]:
    kept, by_id, by_address = [], {}, {}
    for record in records:
        key = (record.source, record.external_id)
        address = _record_address(record)
        first = (by_id.get(key) if record.external_id else None) or by_address.get(address)
        if first:
            _merge(first, record, outcomes[record.row])
            continue
        kept.append(record)
        if record.external_id:
            by_id[key] = record
        by_address.setdefault(address, record)
    return kept


def _merge(into: Record, duplicate: Record, outcome: RowOutcome) -> None:
    """Fill what the first row lacks from the duplicate; vocabularies add up."""
    for name, value in duplicate.fields.items():
        if into.fields.get(name) in (None, "", False) and value not in (None, ""):
            into.fields[name] = value
    for name, ids in duplicate.links.items():
        into.links.setdefault(name, set()).update(ids)
    outcome.status = "merged"
    outcome.name, outcome.external_id = duplicate.fields.get("name", ""), duplicate.external_id
    outcome.notes.insert(0, f"duplicate of row {into.row}: merged into it")


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


def _plan_update(pk, record, existing, outcome, updates, link_changes) -> None:
    current = existing.values[pk]
    fields = dict(record.fields)
    if fields.get("slug") and fields["slug"] != current["slug"] and fields["slug"] in existing.by_slug:
        outcome.notes.append(
            f"slug {fields.pop('slug')!r} belongs to another program; kept {current['slug']!r}"
        )
    if current["external_id"] and not record.external_id:
        fields.pop("external_id", None)
        fields.pop("source", None)
    changed = {name: value for name, value in fields.items() if current.get(name) != value}
    changed_links = {
        name: ids for name, ids in record.links.items() if existing.links[name].get(pk, set()) != ids
    }
    outcome.slug = changed.get("slug", current["slug"])
    outcome.status = "updated" if changed or changed_links else "unchanged"
    if changed or changed_links:
        outcome.notes.append("changed: " + ", ".join(sorted({*changed, *changed_links})))
    if changed or changed_links:
        # updated_at moves even when only links changed: search caches key on it.
        updates.append((pk, {**current, **changed}, set(changed)))
    for name, ids in changed_links.items():
        link_changes.append((name, pk, ids))


def _plan_creates(records: list[Record], existing: _Existing, outcomes: dict[int, RowOutcome]) -> None:
    taken = set(existing.by_slug)
    for record in records:
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


def search_index_changed() -> None:
    """Bulk writes send no signals: tell the search's facet index itself."""
    from . import facets

    facets.invalidate()


def _write(creates: list[Record], updates: list, link_changes: list) -> None:
    now = timezone.now()
    programs = Program.objects.bulk_create([Program(**record.fields) for record in creates], batch_size=1000)
    for field_name in VOCABULARIES:
        pairs = [
            (program.pk, term_id)
            for program, record in zip(programs, creates, strict=True)
            for term_id in sorted(record.links.get(field_name, ()))
        ]
        program_links_insert(field_name=field_name, pairs=pairs)
    groups: dict[frozenset, list[Program]] = {}
    for pk, values, changed in updates:
        names = frozenset(changed)
        values = {name: values[name] for name in names}
        groups.setdefault(names, []).append(Program(pk=pk, updated_at=now, **values))
    for names, objs in groups.items():
        Program.objects.bulk_update(objs, [*names, "updated_at"], batch_size=500)
    for field_name in VOCABULARIES:
        changes = [(pk, ids) for name, pk, ids in link_changes if name == field_name]
        if not changes:
            continue
        through = getattr(Program, field_name).through
        ids = [pk for pk, _ in changes]
        for start in range(0, len(ids), 500):
            through.objects.filter(program_id__in=ids[start : start + 500]).delete()
        pairs = [(pk, term_id) for pk, term_ids in changes for term_id in sorted(term_ids)]
        program_links_insert(field_name=field_name, pairs=pairs)


def programs_search_index(*, slugs) -> int:
    """Add programs written in bulk to Wagtail's site-search index (bulk
    inserts send no signals, so /search/ would not find them otherwise)."""
    from wagtail.search.backends import get_search_backend

    slugs, count = list(slugs), 0
    backend = get_search_backend()
    for start in range(0, len(slugs), 1000):
        programs = list(
            Program.objects.filter(slug__in=slugs[start : start + 1000])
            .select_related("organization")
            .prefetch_related("levels_of_care", "medications")
        )
        if programs:
            backend.add_bulk(Program, programs)
            count += len(programs)
    return count
