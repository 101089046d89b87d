"""Say on the privacy page, in plain words, what happens to an inquiry."""

import json
import uuid

from django.conf import settings
from django.db import migrations


def privacy_blocks(days):
    return [
        ("heading", "What we never do"),
        ("paragraph", "<ul><li>We load no advertising, analytics or tracking scripts, fonts or maps from other companies.</li><li>We never put what you search for or write to a program in a web address, an email subject, a log file or an error report.</li><li>We never sell or share inquiries, and we never use them for marketing.</li></ul>"),
        ("heading", "When you send an inquiry"),
        ("paragraph", "<p>The inquiry form asks only for a name (a first name or initials is enough), an email address or phone number, how and when you would like to be contacted, who the help is for, and an optional message. We never ask for your date of birth, insurance numbers or a diagnosis.</p>"),
        ("paragraph", "<p>We save your inquiry first, so it is not lost if email is slow, and then tell the program you chose. That email says only that an inquiry is waiting and gives a link: staff at the program must sign in to read your name, contact details and message.</p>"),
        ("heading", "Who can read it"),
        ("paragraph", "<p>The program you chose. Until programs can sign in to FindCare themselves, a small number of our staff who hold a special permission can read inquiries to make sure they arrive; every time someone opens one, we record who and when. Other staff see only whether an inquiry was delivered, never what it says.</p>"),
        ("heading", "How we protect it"),
        ("paragraph", "<p>Your name, contact details and message are encrypted in our database, with keys kept outside it and changed from time to time. If you ask for a confirmation email, it gives the program's name and a reference number, and does not repeat your message.</p>"),
        ("heading", "You stay in control"),
        ("paragraph", "<p>After you send an inquiry you get a private link. It shows whether the program has received, opened and answered your inquiry, and has a button to delete it for good. Keep the link to yourself: anyone who has it can see the status. If the program has already read your inquiry, they may have copied your details into their own records; ask them directly to remove them.</p>"),
        ("heading", "How long we keep it"),
        ("paragraph", f"<p>We delete every inquiry automatically {days} days after it was sent, or sooner if you delete it yourself.</p>"),
        ("heading", "Stopping abuse"),
        ("paragraph", "<p>To stop automated spam we count how many forms arrive from each internet address and for each program over a short time. These counters hold no form contents and expire within hours. Forms that look automated are counted and thrown away, not saved.</p>"),
    ]


def body_json(blocks):
    data = []
    for block_type, value in blocks:
        if block_type == "heading":
            value = {"text": value}
        data.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
    return json.dumps(data)


def update_privacy_page(apps, schema_editor):
    StandardPage = apps.get_model("content.StandardPage")
    days = getattr(settings, "INQUIRY_RETENTION_DAYS", 90)
    StandardPage.objects.filter(slug="privacy", depth=3).update(
        intro="Looking for help with substance use is private. This page says what we collect, who can "
        "read it, how long we keep it and what we never do.",
        body=body_json(privacy_blocks(days)),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_inquiry"),
        ("content", "0002_create_site_pages"),
    ]

    operations = [migrations.RunPython(update_privacy_page, migrations.RunPython.noop)]
