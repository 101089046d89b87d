"""Staff review a center's contact change on a laptop: from the admin's
dashboard to the change's review page (public and proposed values, the
evidence), Approve, and the message saying what happened; axe on the
review page."""

import re

import pytest

from directory.models import Program
from directory.review.workflow import program_submit_changes
from tests.directory.factories import OrganizationFactory, ProgramFactory
from tests.portal.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in_to_admin(page, base, username):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")


def test_staff_open_the_review_page_from_the_admin_and_approve(live_server, laptop, axe):
    from django.contrib.auth.models import Group

    organization = OrganizationFactory(name="Harbor Health (Sample)")
    program = ProgramFactory(
        name="Harbor House (Sample)", organization=organization, phone="(615) 555-0111", state="TN"
    )
    member = MembershipFactory(organization=organization, user=UserFactory(email="center@example.org")).user
    program_submit_changes(program=program, data={"phone": "(615) 555-0131"}, user=member)
    reviewer = UserFactory(username="rita", email="rita@findcare.example.org")
    reviewer.groups.add(Group.objects.get(name="Listing reviewers"))
    page = laptop
    sign_in_to_admin(page, live_server.url, "rita")

    panel = page.get_by_role("region", name="Listing changes to review (1)")
    panel.get_by_role("link", name="Review the change to Harbor House (Sample)").click()
    page.wait_for_url(re.compile(rf"/admin/listing-reviews/{program.pk}/$"))

    values = page.get_by_role("table", name=re.compile("Public and proposed values"))
    row = values.get_by_role("row", name=re.compile("^Main phone"))
    assert row.get_by_role("cell").nth(0).inner_text().endswith("(615) 555-0111")
    assert row.get_by_role("cell").nth(1).inner_text().endswith("(615) 555-0131")
    assert row.get_by_role("cell", name="Changed").is_visible()
    evidence = page.get_by_role("table", name=re.compile("Evidence about the change"))
    assert evidence.get_by_text(
        "area code 615 is in Tennessee; the address is in Tennessee. Fits."
    ).is_visible()
    assert evidence.get_by_text(re.compile(r"^Manager of Harbor Health \(Sample\) since")).is_visible()

    axe(page)  # the whole admin page, Wagtail's sidebar and header included

    page.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/listing-reviews/$"))
    message = page.get_by_text("Approved: the new main phone is live on Harbor House (Sample).")
    message.wait_for()
    assert message.is_visible()
    assert page.get_by_text("No listing change is waiting for review.").is_visible()
    assert Program.objects.get(pk=program.pk).phone == "(615) 555-0131"


def test_staff_find_a_claim_on_the_dashboard_and_approve_it(live_server, laptop, axe):
    """The claim half of the staff journey (issue 28): the dashboard's
    "Waiting for staff" panel counts the claim and leads to it; approving
    it after the call makes the claimant a member."""
    from django.contrib.auth.models import Permission

    from portal import members
    from portal.services import claim_create

    program = ProgramFactory(name="Cedar House (Sample)", organization=OrganizationFactory(), state="TN")
    claimant = UserFactory(email="dana@example.org")
    claim_create(
        user=claimant, program=program, full_name="Dana Ortiz (Sample)", job_title="Intake coordinator",
        work_phone="(615) 555-0142", work_email="dana@example.org",
    )  # fmt: skip
    staff = UserFactory(username="sam", email="sam@findcare.example.org")
    staff.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_listingclaim"),
    )
    page = laptop
    sign_in_to_admin(page, live_server.url, "sam")

    panel = page.get_by_role("region", name="Waiting for staff")
    panel.get_by_role("link", name="Listing claims waiting for review: 1").click()
    page.get_by_role("link", name="Cedar House (Sample)").click()
    page.get_by_role("heading", name="Decision").wait_for()
    assert "Dana Ortiz (Sample)" in page.inner_text("main")
    axe(page)

    page.get_by_role("button", name="Approve: I confirmed by phone").click()
    page.get_by_text("Claim approved: dana@example.org now manages").wait_for()
    assert members.membership_of(user=claimant, organization_id=program.organization_id) is not None
