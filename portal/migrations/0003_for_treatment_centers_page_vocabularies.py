"""The "For treatment centers" page names what a center can edit in its
listing: since every vocabulary a program page shows became editable
(treatment approaches, recovery support and testing, who runs the program,
accreditations; the last two checked by staff), say so.

Only the one sentence is replaced, in the live page and in its latest
revision (if editors have one), and only where it still reads as
portal/0002 wrote it: an editor's own wording is left alone."""

import json

from django.db import migrations

OLD = (
    "Edit the description, hours, services, payment, groups served, languages and contact details. "
    "Changes to the name, phone numbers, website, inquiry address, street address, levels of care or "
    "medications are checked by our staff"
)
NEW = (
    "Edit the description, hours, levels of care, medications, detox, treatment approaches, recovery "
    "support and testing, payment, who you accept and serve, languages, accreditations, who runs the "
    "program and contact details. Changes to the name, phone numbers, website, inquiry address, street "
    "address, levels of care, medications, accreditations or who runs the program are checked by our staff"
)


def _replace(apps, old, new):
    StandardPage = apps.get_model("content.StandardPage")
    Revision = apps.get_model("wagtailcore.Revision")
    for page in StandardPage.objects.filter(slug="for-treatment-centers"):
        blocks = [dict(block) for block in page.body.raw_data]
        changed = False
        for block in blocks:
            value = block.get("value")
            if block.get("type") == "paragraph" and isinstance(value, str) and old in value:
                block["value"] = value.replace(old, new)
                changed = True
        if changed:
            StandardPage.objects.filter(pk=page.pk).update(body=json.dumps(blocks))
        if page.latest_revision_id:
            revision = Revision.objects.filter(pk=page.latest_revision_id).first()
            body = (revision.content or {}).get("body") if revision else None
            if isinstance(body, str) and old in body:
                revision.content["body"] = body.replace(old, new)
                revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    _replace(apps, OLD, NEW)


def backwards(apps, schema_editor):
    _replace(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_for_treatment_centers_page_text"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
