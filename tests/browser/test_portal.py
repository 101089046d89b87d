"""The center portal in a real browser: a center user signs in, opens an
inquiry and marks it contacted; axe finds nothing on any portal page, at
390 px and without JavaScript."""

import pytest
from django.urls import reverse

from inquiries.models import Inquiry
from portal.models import ListingClaim, Role
from portal.services import invitation_create
from tests.directory.factories import ProgramFactory
from tests.portal.factories import PASSWORD, center, make_inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, email):
    page.goto(base_url + reverse("portal:dashboard"))
    assert "/for-centers/account/login/" in page.url  # the portal needs an account
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + reverse("portal:dashboard"))


@pytest.fixture
def center_world():
    user, org, (program, _) = center(role=Role.MANAGER)
    inquiry = make_inquiry(program, name="Jordan (Sample)", message="Is there a bed this week?")
    claim = ListingClaim.objects.create(
        user=user,
        program=ProgramFactory(),
        full_name="Dana (Sample)",
        job_title="Director",
        work_phone="555-0142",
    )
    invitation_create(organization=org, email="colleague@example.org", role=Role.STAFF, invited_by=user)
    return user, org, program, inquiry, claim


def portal_urls(org, program, inquiry, claim):
    unclaimed = ProgramFactory()
    return [
        reverse("portal:dashboard"),
        reverse("portal:program_stats", kwargs={"slug": program.slug}),
        reverse("portal:team", kwargs={"org_slug": org.slug}),
        reverse("portal:inbox", kwargs={"org_slug": org.slug}),
        reverse("portal:inquiry_detail", kwargs={"org_slug": org.slug, "pk": inquiry.pk}),
        reverse("portal:claim_program", kwargs={"slug": unclaimed.slug}),
        reverse("portal:claim_detail", kwargs={"pk": claim.pk}),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]


def test_center_user_opens_an_inquiry_and_marks_it_contacted(page, live_server, axe, center_world):
    user, org, program, inquiry, _ = center_world
    sign_in(page, live_server.url, user.email)
    # Unread counts in the navigation and on the dashboard, per listing too.
    assert (
        page.get_by_role("navigation", name="Center portal")
        .get_by_role("link", name="Inquiries (1 unread)")
        .is_visible()
    )
    assert page.get_by_role("link", name=f"1 unread inquiry for {program.name}").is_visible()
    page.get_by_role("link", name=f"Inquiries for {org.name} (1 unread)").click()
    page.get_by_role("link", name=f"{inquiry.reference} (unread)").click()
    assert page.get_by_role("link", name="Inquiries", exact=True).is_visible()  # opened: none unread
    assert page.get_by_text("Is there a bed this week?").is_visible()
    page.get_by_label("Contacted").check()
    page.get_by_role("button", name="Save status").click()
    assert page.get_by_text(f"Inquiry {inquiry.reference} marked contacted.").is_visible()
    axe(page)
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CONTACTED
    assert inquiry.opened_by == user and inquiry.answered_at is not None


def test_every_portal_page_passes_axe_at_390px(page, live_server, axe, center_world):
    user, org, program, inquiry, claim = center_world
    sign_in(page, live_server.url, user.email)
    for path in portal_urls(org, program, inquiry, claim):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        axe(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width}px)"
    page.goto(live_server.url + reverse("portal:dashboard"))
    page.screenshot(path="var/portal-dashboard-390.png", full_page=True)


def test_account_pages_pass_axe(page, live_server, axe):
    for name in ("account_login", "account_signup", "account_reset_password"):
        page.goto(live_server.url + reverse(name))
        axe(page)
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Send me a link").click()
    assert page.locator(".error-summary").is_visible()
    axe(page)


def test_the_portal_works_without_javascript(page, live_server, axe, center_world):
    """No script ever loads (the CSP forbids inline scripts, so blocking
    script files blocks them all): sign in, filter, note, status, invite."""
    user, org, program, inquiry, _ = center_world
    page.route("**/*.js", lambda route: route.abort())
    sign_in(page, live_server.url, user.email)
    page.goto(live_server.url + reverse("portal:inbox", kwargs={"org_slug": org.slug}))
    page.get_by_label("Status").select_option("new")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=f"{inquiry.reference} (unread)").click()
    page.get_by_label("Private note (only your organization sees it)").fill("Call back Tuesday.")
    page.get_by_role("button", name="Save note").click()
    assert page.get_by_text("Note saved.").is_visible()
    page.get_by_label("Closed").check()
    page.get_by_role("button", name="Save status").click()
    axe(page)
    page.goto(live_server.url + reverse("portal:team", kwargs={"org_slug": org.slug}))
    page.get_by_label("Colleague's work email").fill("second@example.org")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text("Invitation sent to second@example.org.").is_visible()
    inquiry.refresh_from_db()
    assert inquiry.status == Inquiry.Status.CLOSED and inquiry.center_note == "Call back Tuesday."
