"""A center's intake coordinator on a 390 px phone, from nothing (issue 28):
signs up on the site's own page, confirms the address from the email,
claims a listing (staff approve it), changes the listing's phone (the
dashboard says "Waiting for review"), sets availability in one tap and
opens the inbox. On every page: nothing wider than the screen, axe finds
nothing."""

import re

import pytest
from django.core import mail

from portal.models import ListingClaim
from portal.services import claim_approve
from tests.directory.factories import ProgramFactory
from tests.portal.factories import PASSWORD, UserFactory, make_inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "dana.ortiz@example.org"

# Elements whose right edge passes the viewport (visually hidden text and
# the skip link excepted), and the page's scroll and client widths.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter((element) => {
    const box = element.getBoundingClientRect();
    return box.width > 1 && box.right > width + 0.5 && !element.closest(".visually-hidden, .skip-link");
  }).map((element) => {
    const text = (element.textContent || "").trim().slice(0, 40);
    return `${element.tagName.toLowerCase()}.${element.className} "${text}"`;
  });
  return {scroll: document.documentElement.scrollWidth, client: width, wide: wide};
}"""


def fits(page):
    """Nothing cut off or scrolled sideways at the page's width."""
    result = page.evaluate(OVERFLOW)
    assert result["wide"] == [], f"{page.url}: wider than {result['client']} px: {result['wide'][:5]}"
    assert result["scroll"] == result["client"], f"{page.url} scrolls sideways: {result}"


def check(page, axe):
    fits(page)
    axe(page)


def test_a_coordinator_runs_the_portal_from_a_phone(page, live_server, axe, settings):
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url  # email links to this server
    base = live_server.url
    program = ProgramFactory(
        name="Harbor House (Sample)", phone="(212) 555-0111", inquiry_email="intake@example.org"
    )
    staff = UserFactory(username="staff", email="staff@example.org", is_staff=True, is_superuser=True)

    # Sign up on our own page: a too-short password is reported on that field.
    page.goto(base + "/for-centers/")
    page.get_by_role("link", name="Create your center account").click()
    assert page.get_by_role("heading", name="Create your center account").is_visible()
    check(page, axe)
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill("short-pass1")
    page.get_by_label("Password (again)").fill("short-pass1")
    page.get_by_role("button", name="Create account").click()
    password_field = page.locator(".field", has=page.locator("#id_password1"))
    assert password_field.get_by_text("This password is too short.").is_visible()
    check(page, axe)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    check(page, axe)

    # Confirm the address from the email (the test's mail outbox).
    message = mail.outbox[-1]
    assert message.to == [EMAIL] and "FindCare center portal account" in message.body
    link = re.search(rf"{re.escape(base)}/for-centers/account/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    assert page.get_by_role("heading", name="Confirm your email address").is_visible()
    check(page, axe)
    page.get_by_role("button", name="Confirm my email address").click()
    assert page.get_by_role("heading", name="Your listings").is_visible()
    assert page.get_by_text(f"Signed in as {EMAIL}.", exact=True).is_visible()
    check(page, axe)

    # Claim the listing from its public page; staff approve the claim.
    page.goto(base + program.get_absolute_url())
    page.get_by_role("link", name="Is this your program? Claim it").click()
    page.get_by_label("Your full name").fill("Dana Ortiz (Sample)")
    page.get_by_label("Your role at the center").fill("Intake coordinator")
    page.get_by_label("Your work email").fill(EMAIL)
    page.get_by_label("Your work phone").fill("212-555-0142")
    check(page, axe)
    page.get_by_role("button", name="Send claim").click()
    claim = ListingClaim.objects.get(user__email=EMAIL, program=program)
    claim_approve(claim=claim, reviewer=staff)
    make_inquiry(program, name="Jordan (Sample)", message="Is there a bed this week?")

    # Change the phone: held for review, and the dashboard says so.
    page.goto(base + "/for-centers/")
    page.get_by_role("link", name=f"Edit listing {program.name}").click()
    page.get_by_label(re.compile("^Main phone")).fill("212-555-0199")
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_role("heading", name="Waiting for review").is_visible()
    check(page, axe)  # the table of waiting changes, stacked
    page.screenshot(path="var/portal-journey-edit-390.png", full_page=True)
    page.get_by_role("link", name="Your listings").click()
    badge = page.locator(".badge--review")
    assert badge.inner_text().startswith("Waiting for review")
    assert "(published)" not in page.locator("main").inner_text()

    # Availability: one tap on a large button.
    box = page.locator(f"#availability-{program.pk}")
    waitlist = box.get_by_role("button", name=re.compile("^Waitlist"))
    assert waitlist.bounding_box()["height"] >= 44
    edit_box = page.get_by_role("link", name=f"Edit listing {program.name}").bounding_box()
    assert edit_box["height"] >= 44 and edit_box["width"] >= 44
    waitlist.click()
    box = page.locator(f"#availability-{program.pk}")
    assert box.get_by_role("button", name=re.compile("^Waitlist Shown now, confirmed")).is_visible()
    check(page, axe)
    page.screenshot(path="var/portal-journey-dashboard-390.png", full_page=True)
    program.refresh_from_db()
    assert program.accepting_clients == "waitlist"

    # The inbox: every column of the inquiry is on screen.
    page.get_by_role("link", name=re.compile("^Inquiries")).first.click()
    assert page.get_by_role("heading", name=re.compile("^Inquiries")).is_visible()
    row = page.locator("table.inbox tbody tr").first
    for label in ("Received", "Reference", "Listing", "Status", "Opened"):
        cell = row.locator(f'td[data-label="{label}"]')
        assert cell.is_visible(), label
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= 390, label
    check(page, axe)
    page.screenshot(path="var/portal-journey-inbox-390.png", full_page=True)

    # The team page's table stacks too ("Remove" was at x=392).
    page.goto(base + f"/for-centers/organizations/{program.organization.slug}/team/")
    fits(page)
