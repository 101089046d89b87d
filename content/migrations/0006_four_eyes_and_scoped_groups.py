"""Four eyes and scoped rights for the editorial workflow:

- "Editorial review" becomes an EditorialReviewTask (no one approves their own
  submission); the old plain group approval task is renamed and deactivated.
- Editors and Medical reviewers keep rights only on /learn/: the rights
  Wagtail's own initial "Editors" group holds at the root (every page) go.
- Site pages (About, Privacy, Terms...) get their own group, "Site editors",
  who edit and publish them directly (they are not part of the article review)."""

from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Medical reviewers"
SITE_EDITORS = "Site editors"
WORKFLOW = "Article review"
EDITORIAL_TASK = "Editorial review"
REPLACED_SUFFIX = " (replaced)"
SITE_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def permission(apps, app_label, codename):
    return apps.get_model("auth.Permission").objects.get(content_type__app_label=app_label, codename=codename)


def swap_editorial_task(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    EditorialReviewTask = apps.get_model("content.EditorialReviewTask")

    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    old = GroupApprovalTask.objects.filter(name=EDITORIAL_TASK).first()
    if EditorialReviewTask.objects.filter(name=EDITORIAL_TASK).exists():
        return
    new = EditorialReviewTask.objects.create(
        name=EDITORIAL_TASK,
        content_type=ContentType.objects.get_or_create(app_label="content", model="editorialreviewtask")[0],
    )
    if old is not None:
        new.groups.set(old.groups.all())
        old.name = EDITORIAL_TASK + REPLACED_SUFFIX
        old.active = False
        old.save(update_fields=["name", "active"])
    else:
        new.groups.set(Group.objects.filter(name=EDITORS))
    if workflow is not None:
        link = WorkflowTask.objects.filter(workflow=workflow, task_id=old.pk).first() if old else None
        if link is not None:
            link.task_id = new.pk
            link.save(update_fields=["task"])
        else:
            WorkflowTask.objects.create(workflow=workflow, task_id=new.pk, sort_order=0)


def scope_groups(apps):
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    ArticleIndexPage = apps.get_model("content.ArticleIndexPage")
    learn_ids = list(ArticleIndexPage.objects.values_list("pk", flat=True))
    GroupPagePermission.objects.filter(group__name__in=[EDITORS, REVIEWERS]).exclude(
        page_id__in=learn_ids
    ).delete()


def create_site_editors(apps):
    Group = apps.get_model("auth.Group")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    HomePage = apps.get_model("content.HomePage")
    StandardPage = apps.get_model("content.StandardPage")

    group, _ = Group.objects.get_or_create(name=SITE_EDITORS)
    group.permissions.add(permission(apps, "wagtailadmin", "access_admin"))
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    # Each top-level site page (and what is under it). Not the home page: a
    # right on it would reach every article under /learn/ as well.
    for page in StandardPage.objects.filter(path__startswith=home.path, depth=home.depth + 1):
        for codename in SITE_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=page.pk, permission=permission(apps, "wagtailcore", codename)
            )


def forwards(apps, schema_editor):
    swap_editorial_task(apps)
    scope_groups(apps)
    create_site_editors(apps)


def backwards(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=SITE_EDITORS).delete()
    Task = apps.get_model("wagtailcore.Task")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    old = Task.objects.filter(name=EDITORIAL_TASK + REPLACED_SUFFIX).first()
    new = apps.get_model("content.EditorialReviewTask").objects.filter(name=EDITORIAL_TASK).first()
    if old is not None and new is not None:
        WorkflowTask.objects.filter(task_id=new.pk).update(task_id=old.pk)
        Task.objects.filter(pk=old.pk).update(name=EDITORIAL_TASK, active=True)
        new.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0005_editorial_review_task"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
