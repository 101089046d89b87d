"""Keep the search index fresh (see facets.py): every change to a program's
searchable data is logged for the index, and Program.updated_at stays
honest when only a program's vocabulary links change (the admin saves
links after the row). The relations come from directory/vocabularies.py."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils import timezone
from wagtail.signals import published

from . import facets, vocabularies
from .models import Organization, Program


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse and pk_set is None:  # a term's links cleared: unknown programs
        facets.invalidate()
        return
    program_ids = list(pk_set or []) if reverse else [instance.pk]
    Program.objects.filter(pk__in=program_ids).update(updated_at=timezone.now())
    facets.record_changes(program_ids)


def program_changed(sender, instance, **kwargs):
    facets.record_changes([instance.pk])


def reindex_programs(program_ids) -> None:
    """Programs whose organization's name changed or went away: log them
    for the directory's index (facets.py) and index them again for site
    search (Program.search_fields include the organization's name)."""
    from wagtail.search.index import insert_or_update_object

    program_ids = list(program_ids)
    facets.record_changes(program_ids)
    for program in Program.objects.filter(pk__in=program_ids).select_related("organization"):
        insert_or_update_object(program)


def organization_changed(sender, instance, created=False, **kwargs):
    """Organization names are searched by name: re-index its programs."""
    if not created:
        reindex_programs(Program.objects.filter(organization_id=instance.pk).values_list("pk", flat=True))


def organization_deleting(sender, instance, **kwargs):
    """Program.organization is SET_NULL: Django clears it with a queryset
    update (no post_save for the programs), after pre_delete and before
    post_delete. Note the programs now, while they still point here."""
    instance._indexed_program_ids = list(
        Program.objects.filter(organization_id=instance.pk).values_list("pk", flat=True)
    )


def organization_deleted(sender, instance, **kwargs):
    """Re-index the programs that lost their organization (their searched
    text held its name); logged in the deletion's own transaction."""
    reindex_programs(getattr(instance, "_indexed_program_ids", []))


def vocabulary_changed(sender, **kwargs):
    facets.invalidate()


for _vocabulary in vocabularies.VOCABULARIES:
    m2m_changed.connect(links_changed, sender=_vocabulary.through, weak=False)
    post_save.connect(vocabulary_changed, sender=_vocabulary.model, weak=False)
    post_delete.connect(vocabulary_changed, sender=_vocabulary.model, weak=False)
post_save.connect(program_changed, sender=Program, weak=False)
post_save.connect(organization_changed, sender=Organization, weak=False)
pre_delete.connect(organization_deleting, sender=Organization, weak=False)
post_delete.connect(organization_deleted, sender=Organization, weak=False)
post_delete.connect(program_changed, sender=Program, weak=False)


def apply_published_links(sender, instance, revision, **kwargs):
    """Links are stored in revisions by Program.serializable_data; publishing
    a revision applies them (only the ones that differ)."""
    links = getattr(instance, "_pending_links", None)
    if not links:
        return
    for name, ids in links.items():
        manager = getattr(instance, name)
        if sorted(manager.values_list("pk", flat=True)) != sorted(ids):
            manager.set(ids)
    instance._pending_links = None


published.connect(apply_published_links, sender=Program, weak=False)


SEARCHED_LINKS = {"levels_of_care", "medications"}  # the relations in Program.search_fields


def search_links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Site search indexes a program's levels of care and medications, which
    are saved after the row: index it again once they change."""
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    from wagtail.search.index import insert_or_update_object

    programs = Program.objects.filter(pk__in=pk_set or []) if reverse else [instance]
    for program in programs:
        insert_or_update_object(program)


for _name in SEARCHED_LINKS:
    m2m_changed.connect(search_links_changed, sender=getattr(Program, _name).through, weak=False)
