"""A guide that went live before GuidePage had review fields (guide/0002)
was medically approved through the Article review workflow, but the approval
had nowhere to record the review, so readers saw no review line and the
guide would count as never reviewed. Record that last medical approval
(its reviewer and day, due again a year later) on the page and on its live
and latest revisions, as the approval would record it today
(MedicalReviewTask.record_review). A guide with no medical approval on
record stays unreviewed: it is listed as due for review."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def one_year_after(day):
    # A frozen copy of content.models.one_year_after: migrations keep their own.
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def reviewer_for(MedicalReviewer, user):
    """As MedicalReviewer.for_user: the approving account's reviewer profile,
    created from its name the first time."""
    if user is None:
        return None
    name = f"{user.first_name} {user.last_name}".strip() or user.username
    reviewer, _ = MedicalReviewer.objects.get_or_create(user=user, defaults={"name": name[:120]})
    return reviewer


def last_medical_approval(apps, page_pk):
    TaskState = apps.get_model("wagtailcore", "TaskState")
    MedicalReviewTask = apps.get_model("content", "MedicalReviewTask")
    return (
        TaskState.objects.filter(
            status="approved",
            finished_at__isnull=False,
            task__in=MedicalReviewTask.objects.values("pk"),
            workflow_state__base_content_type__app_label="wagtailcore",
            workflow_state__base_content_type__model="page",
            workflow_state__object_id=str(page_pk),
        )
        .select_related("finished_by")
        .order_by("-finished_at", "-pk")
        .first()
    )


def forwards(apps, schema_editor):
    GuidePage = apps.get_model("guide", "GuidePage")
    Revision = apps.get_model("wagtailcore", "Revision")
    MedicalReviewer = apps.get_model("content", "MedicalReviewer")

    for page in GuidePage.objects.filter(last_reviewed__isnull=True):
        approval = last_medical_approval(apps, page.pk)
        if approval is None:
            continue
        reviewed_on = timezone.localdate(approval.finished_at)
        reviewer = reviewer_for(MedicalReviewer, approval.finished_by)
        next_due = one_year_after(reviewed_on)
        GuidePage.objects.filter(pk=page.pk).update(
            medical_reviewer=reviewer, last_reviewed=reviewed_on, next_review_due=next_due
        )
        # The next edit starts from the latest revision, and a direct publish
        # writes a revision's fields to the page: they carry the review too.
        for revision in Revision.objects.filter(pk__in=[page.live_revision_id, page.latest_revision_id]):
            if revision.content.get("last_reviewed"):
                continue
            content = {
                **revision.content,
                "medical_reviewer": reviewer.pk if reviewer else None,
                "last_reviewed": reviewed_on.isoformat(),
                "next_review_due": next_due.isoformat(),
            }
            Revision.objects.filter(pk=revision.pk).update(content=content)


class Migration(migrations.Migration):
    dependencies = [
        ("guide", "0002_guide_medical_review_fields"),
        ("content", "0009_review_fields_for_any_reviewed_page"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
