"""Say on the privacy page, in plain words, what happens to an inquiry."""

import json
import uuid

from django.conf import settings
from django.db import migrations


def privacy_blocks(days):
    return [
        ("heading", "What we never do"),
        ("paragraph", "<ul><li>We load no advertising, analytics or tracking scripts, fonts or maps from other companies.</li><li>We never put what you write to a program, or your answers in the care guide, in a web address, an email, a log file or an error report.</li><li>We keep no record of who searched for what.</li><li>We never sell or share inquiries, and we never use them for marketing.</li></ul>"),
        ("heading", "When you search"),
        ("paragraph", "<p>The place and filters of a search are part of the results page's web address, so you can bookmark or share a search and it works without JavaScript. Your browser keeps that address in its history like any other page; use a private window if others share your device. Our web server's logs record which page was asked for, without the search part of the address. <b>Use my location</b> asks your browser only when you press it; the position goes into the search's address like a typed ZIP code and is not stored.</p>"),
        ("heading", "The care guide"),
        ("paragraph", "<p>Your answers in the <b>Which care do I need?</b> guide travel only inside the form, from one question to the next. We do not store them, log them or put them in a web address; the link to matching programs carries only the suggested type of care and medications.</p>"),
        ("heading", "When you send an inquiry"),
        ("paragraph", "<p>The inquiry form asks only for a name (a first name or initials is enough), an email address or phone number, how and when you would like to be contacted, who the help is for, and an optional message. We never ask for your date of birth, insurance numbers or a diagnosis.</p>"),
        ("paragraph", "<p>We save your inquiry first, so it is not lost if email is slow, and then tell the program you chose. That email says only that an inquiry is waiting and gives a link: staff at the program must sign in to read your name, contact details and message.</p>"),
        ("heading", "Who can read it"),
        ("paragraph", "<p>Staff of the program you chose, after they sign in to our center portal; a program's account is only opened after our staff confirm, by calling the number on its state licence or listing, that the person works there. If the program has not joined the portal yet, we email it that an inquiry is waiting and how to join. A small number of our own staff who hold a special permission can also read inquiries, to help when one does not arrive; every time anyone opens an inquiry, we record who and when. Other staff see only whether an inquiry was delivered, never what it says.</p>"),
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
