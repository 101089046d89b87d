"""Keep the search's facet index fresh (see facets.py), and keep
Program.updated_at honest when only a program's vocabulary links change
(the admin saves links after the row)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from wagtail.signals import published

from . import facets
from .models import Program

LINK_FIELDS = Program.LINK_FIELDS


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    programs = (
        Program.objects.filter(pk__in=pk_set or []) if reverse else Program.objects.filter(pk=instance.pk)
    )
    programs.update(updated_at=timezone.now())
    facets.invalidate()


def directory_changed(sender, **kwargs):
    facets.invalidate()


for _name in LINK_FIELDS:
    m2m_changed.connect(links_changed, sender=getattr(Program, _name).through, weak=False)
for _model in [Program, *facets.TERM_MODELS]:
    post_save.connect(directory_changed, sender=_model, weak=False)
    post_delete.connect(directory_changed, sender=_model, weak=False)


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
