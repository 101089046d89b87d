"""No group but administrators holds page rights on the whole tree.

Wagtail's initial data gives its "Moderators" group add/change/publish/lock
rights on the root page, i.e. on every page, /learn/ included, which would
let its members publish articles without the editorial and medical review
(and would contradict the scoped Editors, Medical reviewers and Site editors
groups). Migration 0006 already took Wagtail's "Editors" group off the root;
this makes sure of it again.

- Moderators without members: the group is deleted (with its image and
  document rights and its place in Wagtail's default "Moderators approval"
  task, which only administrators can then act on).
- Moderators with members: the group is kept, without its rights on the
  root; give it rights on the pages its members should look after.

Backwards does nothing: the rights are not restored."""

from django.conf import settings
from django.db import migrations

MODERATORS = "Moderators"
EDITORS = "Editors"


def forwards(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    Page = apps.get_model("wagtailcore.Page")

    roots = Page.objects.filter(depth=1)
    GroupPagePermission.objects.filter(group__name__in=[MODERATORS, EDITORS], page__in=roots).delete()
    moderators = Group.objects.filter(name=MODERATORS).first()
    if moderators is not None and not User.objects.filter(groups=moderators).exists():
        moderators.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0007_heading_level"),
        ("wagtailcore", "0002_initial_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
