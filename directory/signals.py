"""Keep the search indexes fresh (the directory's, search/freshness.py, and
site search's): every change to a program's searchable data is logged for the
index, and Program.updated_at stays honest when only a program's vocabulary
links change (the admin saves links after the row). The relations come from
directory/vocabularies.py. Writes that send no post_save (queryset updates,
including the ones related managers and deletions make) are reported by
Program's QuerySet (`models.programs_updated`)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone
from wagtail.signals import published

from . import vocabularies
from .models import Organization, Program, program_link_ids, programs_updated
from .search import freshness
from .services import SEARCH_INDEX_BATCH, programs_search_index
from .tasks import programs_search_index_task

# A term's programs, noted at pre_clear: post_clear does not say which
# programs lost the term.
_CLEARED_LINKS = "_cleared_link_programs"


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Any vocabulary link added or removed, from either side
    (program.medications.add(...), medication.programs.clear()): the
    programs' updated_at moves (sitemap lastmod, caches), through that
    update they are logged for the search index (programs_written), and
    site search indexes them again."""
    if reverse and action == "pre_clear":
        relation = _RELATION_BY_THROUGH[sender]
        setattr(instance, _CLEARED_LINKS, list(term_programs(relation, instance.pk)))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        program_ids = [instance.pk]
    elif pk_set is not None:
        program_ids = list(pk_set)
    else:
        program_ids = instance.__dict__.pop(_CLEARED_LINKS, [])
    if not program_ids:
        return
    Program.objects.filter(pk__in=program_ids).update(updated_at=timezone.now())
    # Site search holds the programs' term names (Program.term_names), saved after the row.
    programs_search_index(ids=program_ids)


def program_changed(sender, instance, **kwargs):
    freshness.record_changes([instance.pk])


# What site search holds of a program (Program.search_fields; the
# organization's name through "organization").
SITE_SEARCHED_FIELDS = {field.field_name for field in Program.search_fields}


def programs_written(program_ids, *, site_search: bool) -> None:
    """Programs written without a post_save of their own: log them for the
    directory's index in the write's transaction (a single "rebuild" row for
    more than freshness.MAX_INCREMENTAL of them: one rebuild is cheaper than
    applying thousands), and with `site_search` index them again for site
    search, in bulk."""
    program_ids = list(dict.fromkeys(program_ids))
    if not program_ids:
        return
    if len(program_ids) > freshness.MAX_INCREMENTAL:
        freshness.invalidate()
    else:
        freshness.record_changes(program_ids)
    if site_search:
        programs_search_index(ids=program_ids)


def programs_updated_in_bulk(sender, program_ids, fields, bulk_write, **kwargs):
    """A queryset update() or bulk_update() of programs (models.ProgramQuerySet).
    Site search is indexed again when the update wrote what it holds, except
    for bulk_update: bulk writers (import_facilities, load_demo) index what
    they wrote themselves, once, after committing."""
    written = {Program._meta.get_field(name).name for name in fields}
    programs_written(program_ids, site_search=not bulk_write and bool(written & SITE_SEARCHED_FIELDS))


def organization_changed(sender, instance, created=False, **kwargs):
    """Organization names are searched by name: re-index its programs.
    (Deleting an organization sets its programs' organization to null with
    a queryset update, which logs them: programs_updated_in_bulk.)"""
    if not created:
        program_ids = Program.objects.filter(organization_id=instance.pk).values_list("pk", flat=True)
        programs_written(program_ids, site_search=True)


def vocabulary_changed(sender, **kwargs):
    freshness.invalidate()


# Every vocabulary of the registry, by its join table and by its term model.
_RELATION_BY_THROUGH = {v.through: v.relation for v in vocabularies.all_vocabularies()}
_RELATION_BY_TERM_MODEL = {v.model: v.relation for v in vocabularies.all_vocabularies()}
for _vocabulary in vocabularies.all_vocabularies():
    m2m_changed.connect(links_changed, sender=_vocabulary.through, weak=False)
for _vocabulary in vocabularies.VOCABULARIES:  # the ones the search index holds
    post_save.connect(vocabulary_changed, sender=_vocabulary.model, weak=False)
    post_delete.connect(vocabulary_changed, sender=_vocabulary.model, weak=False)
post_save.connect(program_changed, sender=Program, weak=False)
post_delete.connect(program_changed, sender=Program, weak=False)
programs_updated.connect(programs_updated_in_bulk, sender=Program, weak=False)
post_save.connect(organization_changed, sender=Organization, weak=False)


def apply_published_links(sender, instance, revision, **kwargs):
    """Links are stored in revisions by Program.serializable_data; publishing
    a revision applies them (only the ones that differ)."""
    links = getattr(instance, "_pending_links", None)
    if not links:
        return
    stored = program_link_ids(instance.pk)  # one query for every vocabulary
    for name, ids in links.items():
        manager = getattr(instance, name)
        if stored.get(name) != sorted(ids):
            # Leaving out terms deleted since the revision was saved: a link
            # to one would fail the commit (foreign key).
            manager.set(manager.model.objects.filter(pk__in=ids).values_list("pk", flat=True))
    instance._pending_links = None


published.connect(apply_published_links, sender=Program, weak=False)


def term_programs(relation: str, term_id: int):
    return Program.objects.filter(**{relation: term_id}).values_list("pk", flat=True)


def term_renamed(sender, instance, created=False, update_fields=None, **kwargs):
    """A renamed term: its programs are found by the new name, not the old."""
    if created or (update_fields is not None and "name" not in update_fields):
        return
    _index_term_programs_later(sender, instance)


def term_deleting(sender, instance, **kwargs):
    """A deleted term (pre_delete: its links are still there to be read):
    its programs are no longer found by its name. Deleting the links sends
    no m2m_changed."""
    _index_term_programs_later(sender, instance)


def _index_term_programs_later(term_model, term) -> None:
    """Index a term's programs again after the commit, in the task queue (a
    common term is linked to most programs), in batches."""
    program_ids = list(term_programs(_RELATION_BY_TERM_MODEL[term_model], term.pk))

    def enqueue():
        for start in range(0, len(program_ids), SEARCH_INDEX_BATCH):
            programs_search_index_task.enqueue(program_ids[start : start + SEARCH_INDEX_BATCH])

    if program_ids:
        transaction.on_commit(enqueue)


for _term_model in _RELATION_BY_TERM_MODEL:
    post_save.connect(term_renamed, sender=_term_model, weak=False)
    pre_delete.connect(term_deleting, sender=_term_model, weak=False)
