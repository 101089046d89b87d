"""Create the /learn/ section, the Editors and Medical reviewers groups with
their permissions, and the article review workflow (Editorial review, then
Medical review) on /learn/, so a fresh database has a working editorial set-up."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editors"
REVIEWERS = "Medical reviewers"
WORKFLOW = "Article review"
EDITORIAL_TASK = "Editorial review"
MEDICAL_TASK = "Medical review"

LEARN_INTRO = (
    "Plain-language guides to detox, medications and recovery. Every article names its author "
    "and the clinician who reviewed it, and lists its sources."
)

# (group, page permissions on /learn/, model permissions as app_label.codename)
GROUP_PERMISSIONS = [
    (
        EDITORS,
        ["add_page", "change_page", "lock_page", "unlock_page"],
        [
            "wagtailadmin.access_admin",
            "content.add_author", "content.change_author", "content.view_author",
            "content.view_medicalreviewer",
        ],
    ),
    (
        REVIEWERS,
        ["change_page"],
        [
            "wagtailadmin.access_admin",
            "content.view_author",
            "content.change_medicalreviewer", "content.view_medicalreviewer",
        ],
    ),
]  # fmt: skip
IMAGE_PERMISSIONS = {EDITORS: ["add_image", "change_image", "choose_image"], REVIEWERS: ["choose_image"]}


def ensure_permissions(apps):
    # Model permissions are normally created after all migrations run; the
    # groups below need them now (on a fresh database too).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_learn_page(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("content.HomePage")
    ArticleIndexPage = apps.get_model("content.ArticleIndexPage")

    home = HomePage.objects.order_by("path").first()
    if home is None:
        return None
    existing = ArticleIndexPage.objects.filter(path__startswith=home.path).first()
    if existing:
        return existing
    index_ct, _ = ContentType.objects.get_or_create(app_label="content", model="articleindexpage")
    last_child = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).order_by("-path").first()
    position = int(last_child.path[-4:]) + 1 if last_child else 1
    learn = ArticleIndexPage.objects.create(
        title="Learn", draft_title="Learn", slug="learn", content_type=index_ct,
        path=f"{home.path}{position:04d}", depth=home.depth + 1, numchild=0,
        url_path=f"{home.url_path}learn/", locale_id=home.locale_id, live=True,
        intro=LEARN_INTRO,
        seo_title="Learn about addiction treatment",
        search_description="Medically reviewed guides to detox, withdrawal, medications, levels of care and recovery.",
    )  # fmt: skip
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    return learn


def permission(apps, dotted):
    Permission = apps.get_model("auth.Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups(apps, learn):
    Group = apps.get_model("auth.Group")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    root_collection = Collection.objects.filter(depth=1).first()

    groups = {}
    for name, page_codenames, model_permissions in GROUP_PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[permission(apps, dotted) for dotted in model_permissions])
        if learn is not None:
            for codename in page_codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=learn.pk, permission=permission(apps, f"wagtailcore.{codename}")
                )
        if root_collection is not None:
            for codename in IMAGE_PERMISSIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(apps, f"wagtailimages.{codename}")
                )
        groups[name] = group
    return groups


def create_workflow(apps, learn, groups):
    ContentType = apps.get_model("contenttypes.ContentType")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    MedicalReviewTask = apps.get_model("content.MedicalReviewTask")

    editorial, _ = GroupApprovalTask.objects.get_or_create(
        name=EDITORIAL_TASK,
        defaults={"content_type": ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")[0]},
    )
    editorial.groups.add(groups[EDITORS])
    medical, _ = MedicalReviewTask.objects.get_or_create(
        name=MEDICAL_TASK,
        defaults={"content_type": ContentType.objects.get_or_create(app_label="content", model="medicalreviewtask")[0]},
    )
    medical.groups.add(groups[REVIEWERS])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW)
    for order, task in enumerate([editorial, medical]):
        WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": order})
    if learn is not None:
        WorkflowPage.objects.update_or_create(page_id=learn.pk, defaults={"workflow": workflow})


def forwards(apps, schema_editor):
    ensure_permissions(apps)
    learn = create_learn_page(apps)
    groups = create_groups(apps, learn)
    create_workflow(apps, learn, groups)


def backwards(apps, schema_editor):
    apps.get_model("wagtailcore.Workflow").objects.filter(name=WORKFLOW).delete()
    apps.get_model("wagtailcore.Task").objects.filter(name__in=[EDITORIAL_TASK, MEDICAL_TASK]).delete()
    apps.get_model("auth.Group").objects.filter(name__in=[EDITORS, REVIEWERS]).delete()
    apps.get_model("content.ArticleIndexPage").objects.filter(slug="learn").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0003_articles"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
