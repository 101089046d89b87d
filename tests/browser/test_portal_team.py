"""A center's team in a real browser at 390 px: a manager invites a
colleague, who opens the invitation, signs up with the invited address
filled in, confirms it and accepts; the manager makes them a manager, then
removes them after confirming; the removed colleague's next visit says
their access ended. axe finds nothing on any of these pages."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Membership, MembershipRemoval, Role
from tests.portal.factories import PASSWORD, center

from .test_portal import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COLLEAGUE = "colleague.sample@example.org"


def path_of(link):
    return re.sub(r"^https?://[^/]+", "", link)


def test_invite_accept_change_role_remove_and_access_ended(browser, page, live_server, axe):
    manager, organization, _ = center(role=Role.MANAGER, programs=1)
    base = live_server.url
    team = base + reverse("portal:team", kwargs={"org_slug": organization.slug})

    # The manager invites a colleague as staff.
    sign_in(page, base, manager.email)
    page.goto(team)
    roles = page.get_by_role("region", name="What each role may do").or_(
        page.locator("section", has=page.get_by_role("heading", name="What each role may do"))
    )
    assert roles.get_by_text("Staff and managers read and answer the organization's inquiries").is_visible()
    page.get_by_label("Colleague's work email").fill(COLLEAGUE)
    page.get_by_label(re.compile(r"^Role \(required\)")).select_option("staff")
    page.get_by_role("button", name="Send invitation").click()
    assert page.get_by_text(f"Invitation sent to {COLLEAGUE}.").is_visible()
    invitation = next(m for m in mail.outbox if m.to == [COLLEAGUE])
    link = path_of(re.search(r"https?://\S+/for-centers/invitations/\S+/", invitation.body).group(0))

    # The colleague, in their own browser, opens the link: who invited whom, where, as what.
    colleague_context = browser.new_context(viewport={"width": 390, "height": 844})
    colleague = colleague_context.new_page()
    colleague.set_default_timeout(15_000)
    colleague.goto(base + link)
    main = colleague.locator("main")
    assert (
        f"{manager.email} invited {COLLEAGUE} to help manage the FindCare listings of "
        f"{organization.name} as staff" in main.inner_text()
    )
    axe(colleague)
    colleague.screenshot(path="var/portal-invitation-390.png", full_page=True)
    colleague.get_by_role("link", name="Create an account").click()
    email_field = colleague.locator("#id_email")
    assert email_field.input_value() == COLLEAGUE  # filled in from the invitation
    colleague.locator("#id_password1").fill(PASSWORD)
    colleague.locator("#id_password2").fill(PASSWORD)
    colleague.get_by_role("button", name="Create account").click()
    colleague.wait_for_url(re.compile("/confirm-email/"))
    confirmation = next(m for m in reversed(mail.outbox) if m.to == [COLLEAGUE] and "confirm-email" in m.body)
    confirm_link = path_of(re.search(r"https?://\S+/confirm-email/\S+", confirmation.body).group(0))
    colleague.goto(base + confirm_link)
    colleague.get_by_role("button", name=re.compile("confirm", re.I)).click()
    colleague.wait_for_url(base + link)
    axe(colleague)
    colleague.get_by_role("button", name="Accept the invitation").click()
    colleague.wait_for_url(base + reverse("portal:dashboard"))
    assert colleague.get_by_text(f"You are now a member of {organization.name}.").is_visible()
    membership = Membership.objects.get(user__email=COLLEAGUE)
    assert membership.role == Role.STAFF

    # The manager makes them a manager.
    page.goto(team)
    page.get_by_label(f"Role of {COLLEAGUE}").select_option("manager")
    page.get_by_role("button", name=f"Change role of {COLLEAGUE}").click()
    assert page.get_by_text(f"{COLLEAGUE} is now manager.").is_visible()
    axe(page)
    page.screenshot(path="var/portal-team-390.png", full_page=True)
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER

    # ...then removes them, after a confirmation page (no script involved).
    page.get_by_role("link", name=f"Remove {COLLEAGUE}").click()
    assert page.get_by_role("heading", name=f"Remove {COLLEAGUE}?").is_visible()
    axe(page)
    assert Membership.objects.filter(pk=membership.pk).exists()
    page.get_by_role("button", name=f"Remove {COLLEAGUE}").click()
    assert page.get_by_text(f"{COLLEAGUE} no longer has access to {organization.name}.").is_visible()
    axe(page)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert MembershipRemoval.objects.filter(user__email=COLLEAGUE).exists()
    assert any(m.to == [COLLEAGUE] and "removed your access" in m.body for m in mail.outbox)

    # The removed colleague's next visit: the page says so, and shows nothing else.
    colleague.goto(team)
    assert colleague.get_by_role("heading", name=f"Your access to {organization.name} ended").is_visible()
    assert (
        f"{manager.email} removed you from {organization.name} on" in colleague.locator("main").inner_text()
    )
    axe(colleague)
    colleague.goto(base + reverse("portal:dashboard"))
    assert colleague.get_by_text(f"Your access to {organization.name} ended on").is_visible()
    axe(colleague)
    for each in (page, colleague):
        width = each.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{each.url} scrolls sideways ({width}px)"
    colleague_context.close()


def test_claim_form_errors_take_the_focus(page, live_server, axe):
    from tests.directory.factories import ProgramFactory

    user, _, _ = center(programs=1)
    program = ProgramFactory()
    sign_in(page, live_server.url, user.email)
    page.goto(live_server.url + reverse("portal:claim_program", kwargs={"slug": program.slug}))
    page.get_by_role("button", name="Send claim").click()
    page.wait_for_function(
        "document.activeElement && document.activeElement.classList.contains('error-summary')"
    )
    assert "There is a problem" in page.evaluate("document.activeElement.innerText")
    axe(page)
