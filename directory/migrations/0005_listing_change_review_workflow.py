"""The "Listing change review" workflow for programs (one group approval
task for the "Listing reviewers" group), assigned to the Program content
type, so a center's held changes wait for staff."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Listing reviewers"
WORKFLOW = "Listing change review"
TASK = "Check listing change"


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore.WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")

    program_ct, _ = ContentType.objects.get_or_create(app_label="directory", model="program")
    publish, _ = Permission.objects.get_or_create(
        content_type=program_ct, codename="publish_program", defaults={"name": "Can publish program"}
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type=program_ct, codename="change_program"),
        Permission.objects.get(content_type=program_ct, codename="view_program"),
        publish,
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name=TASK,
        defaults={
            "content_type": ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0]
        },
    )
    task.groups.add(group)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": 0})
    WorkflowContentType.objects.update_or_create(content_type=program_ct, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name=TASK).delete()
    apps.get_model("auth.Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0004_program_draft_state_and_workflow"),
        ("wagtailcore", "0098_apitoken"),
        ("content", "0004_learn_section_and_review_workflow"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
