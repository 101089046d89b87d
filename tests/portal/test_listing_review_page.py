"""The reviewer's page for a center's listing change
(/admin/listing-reviews/<id>/, directory/review/admin_views.py): public and
proposed values whole, marked in words; the evidence we hold (where the
public value came from, who asked and since when they are a member, the new
phone's area code against the address); Approve / Request changes / Reject,
for reviewers only."""

import datetime
import re
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from directory.models import Program
from directory.provenance import program_provenance_record
from directory.review.evidence import area_code_fit, place_state
from directory.review.workflow import program_submit_changes
from portal.models import Membership
from tests.portal.factories import UserFactory, center

pytestmark = pytest.mark.django_db

NEW_PHONE = "(615) 555-0131"  # area code 615: Tennessee


@pytest.fixture
def reviewer():
    user = UserFactory(username="reviewer", email="reviewer@findcare.example.org")
    user.groups.add(Group.objects.get(name="Listing reviewers"))
    return user


@pytest.fixture
def held(django_capture_on_commit_callbacks):
    """A center manager (a member for 3 days) asked to change the main
    phone of a New York listing whose phone came from a dated import."""
    user, org, (program, _) = center()
    Membership.objects.filter(user=user).update(created_at=timezone.now() - datetime.timedelta(days=3))
    Program.objects.filter(pk=program.pk).update(state="NY", city="Albany")
    program.refresh_from_db()
    program_provenance_record(
        program_id=program.pk, fields=["phone"], source="samhsa-locator", file_name="locator.csv"
    )
    with django_capture_on_commit_callbacks(execute=True):
        program_submit_changes(program=program, data={"phone": NEW_PHONE}, user=user)
    program.refresh_from_db()
    return user, program


def url(program):
    return reverse("directory_listing_review", args=[program.pk])


def post(client, program, decision, comment="", revision=None):
    program.refresh_from_db()
    data = {"decision": decision, "comment": comment, "revision": revision or program.latest_revision_id}
    return client.post(url(program), data)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_page_shows_both_values_whole_marked_in_words(client, held, reviewer):
    _, program = held
    old_phone = program.phone
    client.force_login(reviewer)
    response = client.get(url(program))
    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    # Whole values, each in its own cell, old struck out and new inserted:
    # told apart by markup and the word "Changed", not by colour.
    row = re.search(r"<tr>\s*<th scope=\"row\">Main phone</th>(.*?)</tr>", html, re.S).group(1)
    assert f'<del><span class="w-sr-only">Public now: </span>{old_phone}</del>' in row
    assert f'<ins><span class="w-sr-only">Proposed: </span>{NEW_PHONE}</ins>' in row
    assert ">Changed</td>" in row
    # Where the public value came from, and its date.
    assert "SAMHSA&#x27;s treatment locator (FindTreatment.gov) (locator.csv), " in row
    assert timezone.localdate().strftime("%B %-d, %Y").replace(" 0", " ") in row
    assert "Approve</button>" in html and "Request changes</button>" in html and "Reject</button>" in html


def test_the_page_shows_the_evidence(client, held, reviewer):
    user, program = held
    client.force_login(reviewer)
    page = text(client.get(url(program)))
    assert f"Asked by {user.username} <{user.email}>" in page.replace("&lt;", "<").replace("&gt;", ">")
    assert f"Manager of {program.organization.name} since" in page and "(3 days). Check" in page
    assert "Email address Verified." in page
    assert (
        f"Area code of the new main phone {NEW_PHONE}: area code 615 is in Tennessee; "
        "the address is in New York. Does not fit" in page
    )
    assert "Same phones or website elsewhere No other organization's listing uses the proposed ones." in (
        page.replace("&#x27;", "'")
    )


def test_area_code_fit():
    assert area_code_fit(phone="(615) 555-0131", state="TN") == (
        "(615) 555-0131: area code 615 is in Tennessee; the address is in Tennessee. Fits.",
        False,
    )
    assert area_code_fit(phone="(212) 555-0123", state="NY")[1] is False  # "New York, NY"
    assert area_code_fit(phone="(212) 555-0123", state="NJ")[1] is True
    assert area_code_fit(phone="(800) 555-0100", state="NJ") == (
        "(800) 555-0100: a toll-free number, not tied to a place.",
        False,
    )
    assert "fictional" in area_code_fit(phone="555-010-0177", state="NJ")[0]
    assert (place_state("Washington D.C."), place_state("Chicago, IL"), place_state("Ontario")) == (
        "DC",
        "IL",
        "",
    )


def test_approve_publishes_and_says_what_happened(client, held, reviewer, django_capture_on_commit_callbacks):
    user, program = held
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, program, "approve")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("directory_listing_reviews")
    program.refresh_from_db()
    assert program.phone == NEW_PHONE and not program.has_unpublished_changes
    assert program.current_workflow_state is None
    page = client.get(response["Location"]).content.decode()
    assert f"Approved: the new main phone is live on {program.name}." in page
    [notice] = [m for m in mail.outbox if user.email in m.to and "approved" in m.subject]
    assert "Main phone" in notice.body
    # Approving it again: nothing waits any more.
    response = post(client, program, "approve")
    assert response.status_code == HTTPStatus.OK
    assert "Nothing is waiting for review" in response.content.decode()


def test_request_changes_needs_a_comment_and_sends_it(
    client, held, reviewer, django_capture_on_commit_callbacks
):
    user, program = held
    client.force_login(reviewer)
    response = post(client, program, "request_changes")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Say what the center should change" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, program, "request_changes", comment="That number rings a pharmacy.")
    assert response.status_code == HTTPStatus.FOUND
    program.refresh_from_db()
    assert program.current_workflow_state.status == "needs_changes"
    assert program.phone != NEW_PHONE
    [notice] = [m for m in mail.outbox if user.email in m.to and "another look" in m.subject]
    assert "That number rings a pharmacy." in notice.body
    page = client.get(response["Location"]).content.decode()
    assert "Changes requested:" in page


def test_reject_drops_the_change_and_tells_the_center(
    client, held, reviewer, django_capture_on_commit_callbacks
):
    user, program = held
    old_phone = program.phone
    client.force_login(reviewer)
    assert post(client, program, "reject").status_code == HTTPStatus.BAD_REQUEST  # a reason is needed
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, program, "reject", comment="We could not reach anyone at this number.")
    assert response.status_code == HTTPStatus.FOUND
    program.refresh_from_db()
    assert program.phone == old_phone and not program.has_unpublished_changes
    assert program.current_workflow_state is None
    assert ModelLogEntry.objects.for_instance(program).filter(action="directory.review_rejected").exists()
    [notice] = [m for m in mail.outbox if user.email in m.to]
    assert notice.subject == f"FindCare: changes to {program.name} not approved"
    assert "Not approved:\n- Main phone\n" in notice.body and "Not approved yet" not in notice.body
    assert "We could not reach anyone at this number." in notice.body
    page = client.get(response["Location"]).content.decode()
    assert f"Rejected: {program.name} keeps its public main phone" in page
    # The center's edit page has nothing waiting.
    client.force_login(user)
    edit = client.get(reverse("portal:listing_edit", kwargs={"slug": program.slug})).content.decode()
    assert NEW_PHONE not in edit


@pytest.mark.parametrize(
    "data",
    [
        {"decision": "publish"},
        {"decision": ""},
        {"decision": "approve", "revision": "abc"},
        {"decision": "approve", "revision": ""},
        {"decision": "reject", "comment": "x" * 2001},
    ],
)
def test_bad_input_is_a_400_and_changes_nothing(client, held, reviewer, data):
    _, program = held
    client.force_login(reviewer)
    data = {"revision": program.latest_revision_id, **data}
    response = client.post(url(program), data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    program.refresh_from_db()
    assert program.current_workflow_state.status == "in_progress" and program.phone != NEW_PHONE


def test_a_decision_on_a_version_the_reviewer_did_not_see_is_refused(
    client, held, reviewer, django_capture_on_commit_callbacks
):
    user, program = held
    seen = program.latest_revision_id
    with django_capture_on_commit_callbacks(execute=True):
        program_submit_changes(program=program, data={"phone": "(615) 555-0132"}, user=user)
    client.force_login(reviewer)
    response = post(client, program, "approve", revision=seen)
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == url(program)
    program.refresh_from_db()
    assert program.phone not in (NEW_PHONE, "(615) 555-0132")
    assert "nothing was done" in client.get(url(program)).content.decode()


def test_only_reviewers_may_open_or_act(client, held, django_capture_on_commit_callbacks):
    user, program = held
    editor = UserFactory(username="editor")
    editor.groups.add(Group.objects.get(name="Editors"))  # admin access, not a reviewer
    client.force_login(editor)
    assert client.get(url(program)).status_code == HTTPStatus.FORBIDDEN
    assert post(client, program, "approve").status_code == HTTPStatus.FORBIDDEN
    assert client.get(reverse("directory_listing_reviews")).status_code == HTTPStatus.FORBIDDEN
    # The center user who asked: no admin access at all.
    client.force_login(user)
    response = post(client, program, "approve")
    assert response.status_code == HTTPStatus.FOUND and "/admin/login/" in response["Location"]
    client.logout()
    assert "/admin/login/" in post(client, program, "approve")["Location"]
    program.refresh_from_db()
    assert program.phone != NEW_PHONE and program.current_workflow_state.status == "in_progress"


def test_unknown_listing_is_a_404(client, reviewer):
    client.force_login(reviewer)
    assert client.get(reverse("directory_listing_review", args=[999999])).status_code == HTTPStatus.NOT_FOUND


def test_linked_from_the_edit_screen_the_dashboard_and_the_menu(client, held, reviewer):
    _, program = held
    client.force_login(reviewer)
    link = f'href="{url(program)}"'
    edit = client.get(reverse("wagtailsnippets_directory_program:edit", args=[program.pk])).content.decode()
    assert link in edit and "Open its review page" in edit
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Listing changes to review (1)" in dashboard and link in dashboard
    index = client.get(reverse("directory_listing_reviews")).content.decode()
    assert link in index and "Listing changes to review" in index
