"""Keep the search's facet index fresh (see facets.py), and keep
Program.updated_at honest when only a program's vocabulary links change
(the admin saves links after the row)."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from . import facets
from .models import Program

LINK_FIELDS = [
    "levels_of_care",
    "medications",
    "payment_options",
    "populations",
    "languages",
    "accreditations",
]


def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    programs = (
        Program.objects.filter(pk__in=pk_set or []) if reverse else Program.objects.filter(pk=instance.pk)
    )
    programs.update(updated_at=timezone.now())
    facets.invalidate()


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


def directory_changed(sender, **kwargs):
    facets.invalidate()


for _name in LINK_FIELDS:
    m2m_changed.connect(links_changed, sender=getattr(Program, _name).through, weak=False)
for _name in SEARCHED_LINKS:
    m2m_changed.connect(search_links_changed, sender=getattr(Program, _name).through, weak=False)
for _model in [Program, *facets.TERM_MODELS]:
    post_save.connect(directory_changed, sender=_model, weak=False)
    post_delete.connect(directory_changed, sender=_model, weak=False)
