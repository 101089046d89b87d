"""A center user keeps a listing true in the portal, without JavaScript:
availability is public at once; a phone change waits until a staff member
approves it in the Wagtail admin. axe on the portal pages at 390 px."""

import re

import pytest

from directory.models import Program
from tests.directory.factories import OrganizationFactory, ProgramFactory
from tests.portal.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def admin_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_center_updates_availability_and_phone_with_review(live_server, no_js_page, admin_page, axe, page):
    organization = OrganizationFactory(name="Harbor Health (Sample)")
    program = ProgramFactory(
        name="Harbor House (Sample)",
        organization=organization,
        phone="555-0111",
        inquiry_email="intake@example.org",
    )
    ProgramFactory(name="Other Clinic (Sample)", organization=organization)
    membership = MembershipFactory(organization=organization, user=UserFactory(email="center@example.org"))
    staff = UserFactory(username="staff", email="staff@example.org", is_staff=True, is_superuser=True)
    base = live_server.url

    center = no_js_page
    center.goto(base + "/for-centers/account/login/")
    center.locator("input[name=login]").fill(membership.user.email)
    center.locator("input[name=password]").fill(PASSWORD)
    center.locator("main form button[type=submit]").first.click()
    center.goto(base + "/for-centers/")
    assert center.get_by_role("heading", name="Your listings").is_visible()

    # Availability in one tap, from the dashboard; then the open beds.
    box = center.locator(f"#availability-{program.pk}")
    box.get_by_role("button", name=re.compile("^Waitlist")).click()
    box = center.locator(f"#availability-{program.pk}")
    assert box.get_by_role("button", name=re.compile("^Waitlist Shown now, confirmed")).is_visible()
    box.get_by_label(re.compile("Open beds")).fill("3")
    box.get_by_role("button", name=re.compile("Save open beds")).click()
    center.goto(base + program.get_absolute_url())
    assert center.get_by_text("3 open beds").is_visible()
    assert center.get_by_text("updated today").first.is_visible()

    # A new phone number waits for review.
    center.goto(base + f"/for-centers/listings/{program.slug}/edit/")
    center.get_by_label(re.compile("^Main phone")).fill("212.555.0199")  # stored as (212) 555-0199
    center.get_by_role("button", name="Save changes").click()
    assert center.get_by_role("heading", name="Waiting for review").is_visible()
    center.goto(base + program.get_absolute_url())
    assert center.get_by_text("555-0111").first.is_visible()
    assert center.get_by_text("555-0199").count() == 0

    # Staff approve in the admin.
    admin_page.goto(base + "/admin/login/")
    admin_page.get_by_label("Username").fill(staff.username)
    admin_page.get_by_label("Password").fill(PASSWORD)
    admin_page.get_by_role("button", name="Sign in").click()
    admin_page.wait_for_url(base + "/admin/")
    admin_page.goto(base + f"/admin/snippets/directory/program/edit/{program.pk}/")
    admin_page.wait_for_load_state("networkidle")
    admin_page.get_by_role("button", name="More actions").click()
    admin_page.get_by_role("button", name=re.compile(r"^Approve( and Publish)?$")).first.click()
    admin_page.wait_for_load_state("networkidle")
    program.refresh_from_db()
    assert program.phone == "(212) 555-0199"
    center.goto(base + program.get_absolute_url())
    assert center.get_by_text("555-0199").first.is_visible()
    assert center.get_by_text("Waitlist").first.is_visible()  # approval kept the later availability

    # axe on the portal pages, at 390 px, with scripts on.
    page.goto(base + "/for-centers/account/login/")
    page.locator("input[name=login]").fill(membership.user.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    for path in [
        "/for-centers/",
        f"/for-centers/listings/{program.slug}/",
        f"/for-centers/listings/{program.slug}/edit/",
    ]:
        page.goto(base + path)
        axe(page)
    page.screenshot(path="var/portal-edit-390.png", full_page=True)
    assert Program.objects.get(pk=program.pk).accepting_clients == "waitlist"


def sign_in(page, base, email):
    page.goto(base + "/for-centers/account/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(base + "/for-centers/")


def test_changes_sent_back_show_the_comment_and_can_be_submitted_again(live_server, no_js_page, axe, page):
    """A reviewer requested changes: the edit page says so with the comment
    (axe at 390 px), and "Submit again for review" works without scripts."""
    from directory.review.workflow import program_submit_changes

    membership = MembershipFactory(user=UserFactory(email="center@example.org"))
    program = ProgramFactory(name="Harbor House (Sample)", organization=membership.organization)
    reviewer = UserFactory(username="reviewer", is_superuser=True, is_staff=True)
    program_submit_changes(program=program, data={"phone": "555-0166"}, user=membership.user)
    program.refresh_from_db()
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment="That number rings a pharmacy."
    )
    base, edit = live_server.url, f"/for-centers/listings/{program.slug}/edit/"

    sign_in(page, base, membership.user.email)
    page.goto(base + edit)
    assert page.get_by_role("heading", name="Changes requested").is_visible()
    assert page.get_by_text("That number rings a pharmacy.").is_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    sign_in(no_js_page, base, membership.user.email)
    no_js_page.goto(base + edit)
    no_js_page.get_by_role("button", name="Submit again for review").click()
    assert no_js_page.get_by_role("heading", name="Waiting for review").is_visible()
    program.refresh_from_db()
    assert program.current_workflow_state.status == state.STATUS_IN_PROGRESS
    assert program.phone != "555-0166"
