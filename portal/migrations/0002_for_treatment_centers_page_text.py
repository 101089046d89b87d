"""Rewrite the "For treatment centers" page (created by
content/0002_create_site_pages) so it describes the center portal as it
exists, with links to sign in and to create an account."""

import json
import uuid

from django.db import migrations

INTRO = "Claim your program's free listing, answer the families who write to you, and see how often your page is read."

BLOCKS = [
    ("paragraph", "<p>Listings on FindCare are free, and no program can pay to rank higher. Most listings start from SAMHSA's public facility data. The center portal lets the people who run a program take charge of its listing.</p>"),
    ("heading", "Get access"),
    ("paragraph", '<ol><li><a href="/for-centers/account/signup/">Create an account</a> with your work email address and confirm it from the email we send. Passwords need at least 12 characters; you can add a second sign-in step with an authenticator app.</li><li>Find your program in the <a href="/find/">directory</a> and choose <b>Is this your program? Claim it</b> on its page. Tell us your name, job title and a work phone number.</li><li>A member of our staff confirms the claim by calling the center on the number on its state licence or already on the listing, never a number typed into the claim. You get an email with the decision.</li></ol><p>Already have an account? <a href="/for-centers/account/login/">Sign in to the center portal</a>.</p>'),
    ("heading", "What you can do"),
    ("paragraph", "<ul><li><b>Answer inquiries.</b> Families can send your program a message through its page. You receive an email saying a new inquiry is waiting (never its contents), then read it in the portal's inbox, mark it contacted or closed, and keep a private note. We record who opened each inquiry and when, and the family can see that it was opened and answered.</li><li><b>Keep the listing true.</b> Edit the description, hours, services, payment, groups served, languages and contact details. Changes to the name, phone numbers, website, inquiry address, street address, levels of care or medications are checked by our staff before they go live (the public page keeps the approved details meanwhile, and the previous inquiry address is told when contact details change); everything else is public at once. Every change stays in the listing's history.</li><li><b>Show availability in one click.</b> Accepting new clients, waitlist or not accepting, and open beds where beds apply. Families see it with its age (“updated 3 days ago”); after 30 days without a confirmation it says “not confirmed recently” and we send you a reminder.</li><li><b>Work as a team.</b> Managers invite colleagues by email as managers or staff and can remove them. One person can help several organizations.</li><li><b>See how your listing does.</b> For each listing and month: page views (counted on our own server, with nothing about the visitor), inquiries received and the median time to answer them.</li></ul>"),
    ("heading", "Protecting families from listing hijacking"),
    ("paragraph", "<p>Some call centers try to take over treatment listings and swap in their own phone numbers. That is why every claim is confirmed by phone through the licence or the existing listing, every listing shows since when its center manages it, and center accounts can never reach our staff tools. If something on a listing looks wrong, use <b>Report a problem with this listing</b> on its page.</p>"),
]


def body_json(blocks):
    data = []
    for block_type, value in blocks:
        if block_type == "heading":
            value = {"text": value}
        data.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
    return json.dumps(data)


def update_page(apps, schema_editor):
    StandardPage = apps.get_model("content.StandardPage")
    StandardPage.objects.filter(slug="for-treatment-centers").update(intro=INTRO, body=body_json(BLOCKS))


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0002_create_site_pages"),
        ("portal", "0001_memberships_invitations_claims_pageviews"),
    ]

    operations = [migrations.RunPython(update_page, migrations.RunPython.noop)]
