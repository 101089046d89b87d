"""Listings already stored that are one facility (manage.py
merge_duplicates): the importer's identity rule (importing/identity.py)
applied to every pair of listings at one ZIP code. Certain pairs form
clusters, each merged into its best listing (published, with a source id,
oldest); unsure pairs go to the admin's match review queue."""

from dataclasses import dataclass, field
from itertools import combinations

from .importing import identity
from .models import MatchReview, Program

STORED = "stored listings"  # a queued pair's "source"


@dataclass
class Cluster:
    programs: list[Program]  # the survivor first
    reason: str


@dataclass
class Pair:
    first: Program
    second: Program
    reason: str
    score: float

    @property
    def key(self) -> str:
        low, high = sorted((self.first.pk, self.second.pk))
        return f"pair:{low}:{high}"


@dataclass
class Found:
    clusters: list[Cluster] = field(default_factory=list)
    unsure: list[Pair] = field(default_factory=list)


def _facility(program: Program) -> identity.Facility:
    return identity.Facility(
        name=program.name,
        second_name=program.alternate_name,
        street1=program.street1,
        zip_code=program.zip_code,
        phones=(program.phone, program.intake_phone),
    )


def _preference(program: Program):
    """Which listing of a cluster survives: published (or closed) over a
    draft, one with a source id, then the oldest."""
    return (program.status == Program.Status.DRAFT, not program.external_id, program.pk)


def _compare(a: Program, b: Program) -> identity.Verdict:
    if a.external_id and b.external_id and a.source == b.source:
        return identity.Verdict(identity.DIFFERENT, "two ids of one source")
    return identity.compare(_facility(a), _facility(b))


def duplicate_clusters() -> Found:
    decided = dict(
        MatchReview.objects.filter(key__startswith="pair:")
        .values_list("key", "status")
        .order_by("created_at")
    )
    by_address: dict[str, list[Program]] = {}
    for program in Program.objects.exclude(street1="").order_by("pk").iterator(chunk_size=2000):
        key = identity.address_key(program.street1, program.zip_code)
        if key:
            by_address.setdefault(key, []).append(program)
    found = Found()
    for programs in by_address.values():
        if len(programs) < 2:
            continue
        clusters: list[Cluster] = []
        for program in sorted(programs, key=_preference):
            for cluster in clusters:
                verdicts = [_compare(member, program) for member in cluster.programs]
                if verdicts[0].kind == identity.SAME and all(v.kind != identity.DIFFERENT for v in verdicts):
                    cluster.programs.append(program)
                    break
            else:
                clusters.append(Cluster([program], ""))
        for cluster in clusters:
            if len(cluster.programs) > 1:
                cluster.reason = _compare(cluster.programs[0], cluster.programs[1]).reason
                found.clusters.append(cluster)
        for a, b in combinations([c.programs[0] for c in clusters], 2):
            verdict = _compare(a, b)
            pair = Pair(a, b, verdict.reason, verdict.score)
            if verdict.kind == identity.UNSURE and pair.key not in decided:
                found.unsure.append(pair)
    return found


def queue_unsure_pairs(pairs: list[Pair]) -> int:
    """Queue each unsure pair once for staff (the second listing as the
    'incoming' one)."""
    queued = 0
    for pair in pairs:
        if MatchReview.objects.filter(key=pair.key).exists():
            continue
        second = pair.second
        MatchReview.objects.create(
            key=pair.key,
            incoming={
                name: getattr(second, name)
                for name in (
                    "name",
                    "alternate_name",
                    "street1",
                    "street2",
                    "city",
                    "state",
                    "zip_code",
                    "phone",
                )
            },
            incoming_program=second,
            candidate=pair.first,
            source=STORED,
            reason=pair.reason[:200],
            score=pair.score,
        )
        queued += 1
    return queued
