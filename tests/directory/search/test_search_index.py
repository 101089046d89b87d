"""The search index stays current as listings change: one program's change
is applied incrementally (its bits flipped), equal to a fresh build, and a
full rebuild runs in the background while the old index keeps serving."""

import threading

import pytest
from django.test import override_settings

from directory import availability
from directory.models import Program, SearchIndexChange
from directory.search import freshness
from directory.search import index as search_index
from tests.directory.factories import OrganizationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def snapshot(index):
    """An index as plain data keyed by program id (positions differ
    between an incrementally patched index and a fresh build)."""
    published = index.published_ids()

    def ids(bits):
        return {pk for pk in published if bits >> index.positions[pk] & 1}

    return {
        "published": published,
        "terms": {
            relation: {term_id: ids(bits) for term_id, bits in by_term.items() if ids(bits)}
            for relation, by_term in index.terms.items()
        },
        "flags": {name: ids(bits) for name, bits in index.flags.items()},
        "by_name": [index.ids[pos] for pos in index.by_name],
        "by_verified": [index.ids[pos] for pos in index.by_verified],
        "text": {
            index.ids[pos]: index.search_text[pos] for pos in range(index.size) if index.ids[pos] in published
        },
    }


def test_each_kind_of_change_is_applied_incrementally_and_equals_a_fresh_build(builds):
    programs = [
        ProgramFactory(name="Alder House", levels_of_care=["detox"], medications=["buprenorphine"]),
        ProgramFactory(name="Birch Center", levels_of_care=["residential"], offers_telehealth=True),
        ProgramFactory(name="Cedar Clinic", payment_options=["medicaid"], languages=["spanish"]),
    ]
    freshness.current_index()
    assert len(builds) == 1

    def check(step):
        index = freshness.current_index()
        assert len(builds) == 1, f"{step} forced a full rebuild"
        fresh = snapshot(search_index.build())
        builds.pop()
        assert snapshot(index) == fresh, step

    availability.program_set_availability(program=programs[0], accepting=Program.Accepting.YES, open_beds=3)
    check("availability")
    programs[1].levels_of_care.add(*programs[0].levels_of_care.all())
    programs[1].medications.set(programs[0].medications.all())
    check("links added")
    programs[0].levels_of_care.clear()
    check("links cleared")
    programs[2].name = "Aardvark Recovery"
    programs[2].save()
    check("renamed")
    programs[2].verified_at = programs[2].created_at.date()
    programs[2].save()
    check("verified")
    programs[1].status = Program.Status.DRAFT
    programs[1].save()
    check("unpublished")
    programs[1].status = Program.Status.PUBLISHED
    programs[1].save()
    check("published again")
    ProgramFactory(name="Dogwood Place", levels_of_care=["detox"], accreditations=["joint-commission"])
    check("new program")
    ProgramFactory(name="Draft Only", status=Program.Status.DRAFT)
    check("new draft")
    programs[0].delete()
    check("deleted")
    organization = OrganizationFactory(name="Harbor Health")
    Program.objects.filter(pk=programs[2].pk).update(organization=organization)  # logs it itself
    check("organization linked")
    organization.name = "Lighthouse Health"
    organization.save()
    check("organization renamed")
    assert (
        "lighthouse health"
        in freshness.current_index().search_text[freshness.current_index().positions[programs[2].pk]]
    )


def test_availability_change_shows_in_search_without_a_rebuild(client, builds):
    program = ProgramFactory(accepting_clients=Program.Accepting.NO)
    assert client.get("/find/", {"accepting": "1"}).context["result"].total == 0
    availability.program_set_availability(program=program, accepting=Program.Accepting.YES)
    assert client.get("/find/", {"accepting": "1"}).context["result"].total == 1
    assert len(builds) == 1


def test_a_centers_vocabulary_edit_is_applied_incrementally(client, builds, django_user_model):
    """The portal's edit publishes links through a revision (links applied
    after the row is saved) and, for held ones, on approval: both reach the
    index through the change log, without a rebuild, equal to a fresh build."""
    from directory.models import Accreditation, PaymentOption
    from directory.review.workflow import program_submit_changes

    user = django_user_model.objects.create_user("center", "center@example.org", "pw")
    reviewer = django_user_model.objects.create_superuser("staff", "staff@example.org", "pw")
    program = ProgramFactory(organization=OrganizationFactory())
    freshness.current_index()
    medicaid = PaymentOption.objects.get(slug="medicaid")
    accreditation = Accreditation.objects.order_by("pk").first()
    program_submit_changes(
        program=program, data={"payment_options": [medicaid], "accreditations": [accreditation]}, user=user
    )
    assert client.get("/find/", {"payment": "medicaid"}).context["result"].total == 1
    assert client.get("/find/", {"accreditation": accreditation.slug}).context["result"].total == 0
    program.refresh_from_db()
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "approve")
    assert client.get("/find/", {"accreditation": accreditation.slug}).context["result"].total == 1
    assert len(builds) == 1
    index = freshness.current_index()
    fresh = snapshot(search_index.build())
    assert snapshot(index) == fresh


def test_a_request_reads_the_change_log_once(client, django_assert_max_num_queries):
    ProgramFactory(levels_of_care=["detox"])
    client.get("/find/")
    with django_assert_max_num_queries(3):  # change log, the page's rows, (session/site)
        client.get("/find/", {"care": "detox"})


def test_out_of_order_commits_are_picked_up_later():
    """A change id skipped over (its transaction not yet committed) is
    asked for again on the next request."""
    program = ProgramFactory(accepting_clients=Program.Accepting.NO)
    index = freshness.current_index()
    Program.objects.filter(pk=program.pk).update(accepting_clients=Program.Accepting.YES)
    late = SearchIndexChange.objects.latest("pk")  # the update's own log row
    assert late.program_id == program.pk
    late_pk = late.pk
    late.delete()  # not committed yet, as far as readers can tell
    early = SearchIndexChange.objects.create(program_id=program.pk + 1000)
    index = freshness.catch_up(index)
    assert late_pk in index.pending and index.cursor == early.pk
    assert index.flags["accepting"] == 0
    SearchIndexChange.objects.create(pk=late_pk, program_id=program.pk)  # now it commits
    index = freshness.catch_up(index)
    assert late_pk not in index.pending
    assert index.published_ids() == {program.pk} and index.flags["accepting"] != 0


def test_bulk_change_rebuilds_in_the_background_while_the_old_index_serves(monkeypatch):
    ProgramFactory(name="Old Listing")
    old = freshness.current_index()
    ProgramFactory(name="New Listing")
    fresh = search_index.build()
    started, release = threading.Event(), threading.Event()

    def slow_build():
        started.set()
        assert release.wait(10)
        return fresh

    monkeypatch.setattr(search_index, "build", slow_build)
    freshness.invalidate()
    with override_settings(DIRECTORY_INDEX_BACKGROUND=True):
        served = freshness.current_index()
        assert started.wait(10)
        assert served.ids == old.ids  # the request did not wait for the rebuild
        release.set()
        freshness.wait()
    assert freshness.get() is fresh


def test_cache_keys_are_prefixed_per_database(settings):
    """Two sites sharing a Redis database never read each other's keys."""
    from django.core.cache import cache

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix.startswith("findcare:") and prefix != "findcare:::"
    assert cache.make_key("x").startswith(prefix)


def test_many_renamed_programs_are_folded_back_into_a_fresh_build(monkeypatch, builds):
    """Changed names live in a small overlay on top of the index's text
    blob; once it grows past MAX_OVERLAY a rebuild folds them back in."""
    monkeypatch.setattr(freshness, "MAX_OVERLAY", 2)
    programs = [ProgramFactory(name=f"Program {n}") for n in range(4)]
    freshness.current_index()
    assert len(builds) == 1
    for n, program in enumerate(programs[:2]):
        program.name = f"Renamed {n}"
        program.save()
    freshness.current_index()
    assert len(builds) == 1  # two changed texts (each program's name): within the overlay
    programs[2].name = "Renamed 2"
    programs[2].save()
    index = freshness.current_index()
    assert len(builds) == 2 and not index.search_text.overlay
    found = sorted(index.ids[pos] for pos in index.text_positions("renamed"))
    assert found == sorted(program.pk for program in programs[:3])


NAMES = [
    ("Harbor Light Recovery", "", "Harborview Health"),
    ("St. Mary's Hospital – Addiction Services", "Saint Mary", ""),
    ("Straße Klinik", "", "Großer Verbund"),
    ("Café Sobriété", "CAFÉ", ""),
    ("New Harbor-Point Center", "NHP", "Point Health"),
    ("Recovery 24/7", "", ""),
    ("Bay Area Harbor", "", "Harbor Light Group"),
]
NEEDLES = [
    "harbor", "HARBOR", "arbo", "harbor light", "bor li", "r li", "harbor-point", "-point", "st. mary",
    "mary's", "'s h", "strasse", "straße", "café", "é", "24/7", "/", "-", "a", "point health", "light g",
    "xyz", "\x00", "harbor\x00",
]  # fmt: skip


def test_name_search_from_word_lists_equals_scanning_every_text(builds):
    """text_bits (word lists) gives exactly the positions of a scan of
    every text, for needles within a word, across words and punctuation,
    case-folded, and after renames (the overlay) and additions."""
    from directory.models import Organization

    def make(name, second, organization):
        org = None
        if organization:
            org = Organization.objects.create(name=organization, slug=f"org-{name[:20]}")
        return ProgramFactory(name=name, alternate_name=second, organization=org)

    programs = [make(*names) for names in NAMES] + [ProgramFactory() for _ in range(30)]

    def check(step):
        index = freshness.current_index()
        for needle in NEEDLES:
            scan = index.bits_for_positions(index.text_positions(needle))
            assert index.text_bits(needle) == scan, (step, needle)
        return index

    index = check("built")
    assert index.text_bits("harbor").bit_count() == 3
    programs[0].name = "Lighthouse Recovery"
    programs[0].save()
    programs[5].name = "Harbor 24/7"
    programs[5].save()
    make("Harbor Café", "", "")
    index = check("renamed and added")
    assert len(builds) == 1 and index.search_text.overlay
