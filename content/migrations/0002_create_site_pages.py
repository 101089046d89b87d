"""Replace Wagtail's welcome page with our HomePage and create the pages the
footer links to. Their text is plain and true; editors refine it later."""

import json
import uuid

from django.db import migrations

PAGES = [
    (
        "About",
        "about",
        "FindCare helps people find addiction treatment programs and understand their options.",
        [
            ("heading", "Who we are"),
            ("paragraph", "<p>FindCare is an independent directory of addiction treatment programs in the United States, with plain-language articles about detox, medications and recovery. It is free to use and asks for no account.</p>"),
            ("heading", "How listings are ordered"),
            ("paragraph", "<p>Search results are ordered by distance, name or how recently a listing was verified. No program can pay to appear higher, and we do not take referral fees.</p>"),
        ],
    ),
    (
        "Privacy",
        "privacy",
        "Looking for help with substance use is private. This page says what we collect and what we never do.",
        [
            ("heading", "What we never do"),
            ("paragraph", "<ul><li>We load no advertising, analytics or tracking scripts, fonts or maps from other companies.</li><li>We never put what you search for or write to a program in a web address, an email subject or a log file.</li><li>We never sell or share inquiries.</li></ul>"),
            ("heading", "Inquiries"),
            ("paragraph", "<p>When you send an inquiry, only the program you chose can read it, after signing in. The email we send the program says only that a new inquiry is waiting. Inquiries are deleted after a limited time.</p>"),
        ],
    ),
    (
        "Editorial policy",
        "editorial-policy",
        "How our health articles are written, medically reviewed and kept up to date.",
        [
            ("heading", "Writing and review"),
            ("paragraph", "<p>Every article names its author and the clinician who medically reviewed it, shows when it was last reviewed and when the next review is due, and lists its sources.</p>"),
            ("heading", "Corrections"),
            ("paragraph", "<p>If you find an error, tell us and we will check it against current evidence and correct it.</p>"),
        ],
    ),
    (
        "Terms",
        "terms",
        "The rules for using FindCare.",
        [
            ("paragraph", "<p>FindCare provides information, not medical advice. Program details can change: confirm services, costs and availability with the program before you go. In an emergency call 911.</p>"),
        ],
    ),
    (
        "Data sources",
        "data-sources",
        "Where the program information in the directory comes from.",
        [
            ("paragraph", "<p>Program listings start from the public treatment facility data published by the Substance Abuse and Mental Health Services Administration (SAMHSA), which is in the public domain. Programs can claim their listing and keep it current; changes to phone numbers, websites and addresses are checked by our staff before they appear.</p>"),
        ],
    ),
    (
        "For treatment centers",
        "for-treatment-centers",
        "Keep your program's listing accurate and read the inquiries families send you.",
        [
            ("paragraph", "<p>Listings are free. Treatment centers can claim their listing, update services and availability, and read inquiries sent through the site. Changes to contact details are reviewed by our staff before they go live, to protect families from listing hijacking.</p>"),
        ],
    ),
]


def body_json(blocks):
    data = []
    for block_type, value in blocks:
        if block_type == "heading":
            value = {"text": value}
        data.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
    return json.dumps(data)


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("content.HomePage")
    StandardPage = apps.get_model("content.StandardPage")

    Page.objects.filter(depth=2, content_type__app_label="wagtailcore").delete()
    home_ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="content")
    std_ct, _ = ContentType.objects.get_or_create(model="standardpage", app_label="content")
    locale = Locale.objects.order_by("pk").first()
    root = Page.objects.get(depth=1)

    home = HomePage.objects.create(
        title="Home", draft_title="Home", slug="home", content_type=home_ct,
        path=f"{root.path}0002", depth=2, numchild=len(PAGES), url_path="/home/",
        locale=locale, live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True, site_name="FindCare")

    for position, (title, slug, intro, blocks) in enumerate(PAGES, start=1):
        StandardPage.objects.create(
            title=title, draft_title=title, slug=slug, content_type=std_ct,
            path=f"{home.path}{position:04d}", depth=3, numchild=0,
            url_path=f"/home/{slug}/", locale=locale, live=True,
            intro=intro, body=body_json(blocks),
        )


def remove_pages(apps, schema_editor):
    apps.get_model("content.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        
    ]

    operations = [migrations.RunPython(create_pages, remove_pages)]
