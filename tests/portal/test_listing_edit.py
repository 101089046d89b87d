"""The center side of listing changes: the edit form with review, one-click
availability, and who may use them."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from directory.models import LevelOfCare, Program
from portal.models import Role

from .factories import UserFactory, center

pytestmark = pytest.mark.django_db


def edit_data(program, **changes):
    data = {
        "name": program.name,
        "alternate_name": program.alternate_name,
        "description": program.description,
        "hours": program.hours,
        "phone": program.phone,
        "intake_phone": program.intake_phone,
        "hotline_phone": program.hotline_phone,
        "website": program.website,
        "inquiry_email": program.inquiry_email,
        "street1": program.street1,
        "street2": program.street2,
        "city": program.city,
        "state": program.state,
        "zip_code": program.zip_code,
        "county": program.county,
        "levels_of_care": [t.pk for t in program.levels_of_care.all()],
    }
    data.update(changes)
    return data


def urls(program):
    return {
        "edit": reverse("portal:listing_edit", kwargs={"slug": program.slug}),
        "availability": reverse("portal:listing_availability", kwargs={"slug": program.slug}),
    }


def test_availability_in_one_click_is_public_at_once(client):
    user, org, (program, _) = center()
    client.force_login(user)
    response = client.post(urls(program)["availability"], {"accepting": "waitlist", "open_beds": "4"})
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Waitlist</strong>, 4 open beds" in page and "updated today" in page


def test_availability_from_the_dashboard_returns_there(client):
    user, org, (program, _) = center()
    client.force_login(user)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f'id="availability-{program.pk}"' in dashboard
    response = client.post(urls(program)["availability"], {"accepting": "no", "return_to": "dashboard"})
    assert response["Location"].startswith(reverse("portal:dashboard"))


def test_bad_availability_is_a_400_with_the_message(client):
    user, org, (program, _) = center()
    client.force_login(user)
    response = client.post(urls(program)["availability"], {"accepting": "yes", "open_beds": "-2"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Open beds cannot be below 0." in response.content.decode()
    response = client.post(urls(program)["availability"], {"accepting": "sometimes"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    program.refresh_from_db()
    assert program.accepting_clients == Program.Accepting.UNKNOWN


def test_phone_change_waits_and_description_is_live(client):
    user, org, (program, _) = center()
    old_phone = program.phone
    client.force_login(user)
    data = edit_data(program, phone="(212) 555-0166", description="We now offer evening groups.")
    response = client.post(urls(program)["edit"], data)
    assert response.status_code == HTTPStatus.FOUND
    page = client.get(program.get_absolute_url()).content.decode()
    assert "We now offer evening groups." in page
    assert old_phone in page and "555-0166" not in page
    form_page = client.get(urls(program)["edit"]).content.decode()
    assert "Waiting for review" in form_page and "555-0166" in form_page
    assert "Checked by our staff before it appears." in form_page


def test_edit_form_errors_keep_typed_values(client):
    user, org, (program, _) = center()
    client.force_login(user)
    data = edit_data(program, zip_code="123", description="Typed text stays.")
    response = client.post(urls(program)["edit"], data)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert "There is a problem" in html and "Enter the 5-digit ZIP code" in html
    assert "Typed text stays." in html
    program.refresh_from_db()
    assert program.description != "Typed text stays."


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("phone", "555-0166", "Enter the phone number with its area code, like 212-555-0123."),
        ("intake_phone", "(999) 999-9999", "Enter a 10-digit US phone number, like 212-555-0123."),
        ("hotline_phone", "call us", "Enter a 10-digit US phone number, like 212-555-0123."),
        ("phone", "+44 20 7946 0958", "Enter a US phone number, like 212-555-0123."),
    ],
)
def test_edit_form_checks_phone_numbers(client, field, typed, message):
    """Before, the edit form checked no phone field: any text was sent for review."""
    user, org, (program, _) = center()
    client.force_login(user)
    response = client.post(urls(program)["edit"], edit_data(program, **{field: typed}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    program.refresh_from_db()
    assert not program.has_unpublished_changes


def test_edit_form_stores_the_one_phone_form(client):
    user, org, (program, _) = center()
    client.force_login(user)
    # The listing's number written another way is no change at all.
    response = client.post(
        urls(program)["edit"], edit_data(program, phone=f"+1 {program.phone}"), follow=True
    )
    assert "Nothing was changed." in response.content.decode()
    program.refresh_from_db()
    assert not program.has_unpublished_changes
    client.post(urls(program)["edit"], edit_data(program, intake_phone="212.555.0166 ext. 4"))
    form_page = client.get(urls(program)["edit"]).content.decode()
    assert 'value="(212) 555-0166 x4"' in form_page  # waiting for review, in the stored form


def test_withdrawing_a_pending_change(client):
    user, org, (program, _) = center()
    client.force_login(user)
    old_phone = program.phone
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    program.refresh_from_db()
    assert program.has_unpublished_changes
    response = client.post(urls(program)["edit"], edit_data(program, phone=old_phone), follow=True)
    program.refresh_from_db()
    assert not program.has_unpublished_changes
    assert program.current_workflow_state is None
    page = response.content.decode()
    assert "Your change was withdrawn; nothing is waiting for review." in page
    assert "Nothing was changed." not in page


def test_withdrawing_while_saving_other_changes_says_both(client):
    user, org, (program, _) = center()
    client.force_login(user)
    old_phone = program.phone
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    response = client.post(
        urls(program)["edit"], edit_data(program, phone=old_phone, hours="Mon-Fri 9-5"), follow=True
    )
    page = response.content.decode()
    assert "Saved. Your other changes are on the public page now." in page
    assert "Your change was withdrawn; nothing is waiting for review." in page
    program.refresh_from_db()
    assert program.hours == "Mon-Fri 9-5" and not program.has_unpublished_changes


@pytest.mark.parametrize("view", ["edit", "availability"])
def test_other_organizations_and_anonymous_get_nothing(client, view):
    _, _, (theirs, _) = center()
    intruder, _, _ = center()
    detox = LevelOfCare.objects.get(slug="detox")
    data = {**edit_data(theirs, phone="(212) 555-0100", levels_of_care=[detox.pk]), "accepting": "no"}
    for pk_or_slug in [theirs.slug, str(theirs.pk)]:
        url = reverse(f"portal:listing_{view}", kwargs={"slug": pk_or_slug})
        client.force_login(intruder)
        assert client.get(url).status_code in {HTTPStatus.NOT_FOUND, HTTPStatus.METHOD_NOT_ALLOWED}
        assert client.post(url, data).status_code == HTTPStatus.NOT_FOUND
        client.logout()
        response = client.post(url, data)
        assert response.status_code == HTTPStatus.FOUND and "login" in response["Location"]
    theirs.refresh_from_db()
    assert theirs.accepting_clients == Program.Accepting.UNKNOWN
    assert theirs.phone != "(212) 555-0100" and not theirs.has_unpublished_changes


def test_staff_role_may_edit_and_update_availability(client):
    user, org, (program, _) = center(role=Role.STAFF)
    client.force_login(user)
    assert client.get(urls(program)["edit"]).status_code == HTTPStatus.OK
    assert client.post(urls(program)["availability"], {"accepting": "yes"}).status_code == HTTPStatus.FOUND


def test_user_without_membership_gets_404(client):
    _, _, (program, _) = center()
    client.force_login(UserFactory())
    assert client.get(urls(program)["edit"]).status_code == HTTPStatus.NOT_FOUND


def test_stale_availability_reminder_reaches_members(django_capture_on_commit_callbacks):
    import datetime

    from django.core import mail
    from django.core.management import call_command
    from django.utils import timezone

    user, org, (program, other) = center()
    stale = timezone.now() - datetime.timedelta(days=45)
    Program.objects.filter(pk=program.pk).update(
        availability_updated_at=stale, inquiry_email="intake@example.org"
    )
    Program.objects.filter(pk=other.pk).update(availability_updated_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_stale_availability")
    assert [sorted(m.to) for m in mail.outbox] == [sorted(["intake@example.org", user.email])]


def test_detox_substances_and_genders_accepted_publish_at_once(client):
    from directory.models import DetoxSubstance, GenderAccepted

    user, org, (program, _) = center()
    client.force_login(user)
    women = GenderAccepted.objects.get(slug="women")
    alcohol = DetoxSubstance.objects.get(slug="alcohol")
    response = client.post(
        urls(program)["edit"], edit_data(program, genders_accepted=[women.pk], detox_substances=[alcohol.pk])
    )
    assert response.status_code == HTTPStatus.FOUND
    program = Program.objects.get(pk=program.pk)
    assert list(program.genders_accepted.all()) == [women]
    assert list(program.detox_substances.all()) == [alcohol]
    page = client.get(program.get_absolute_url()).content.decode()
    assert "Detox offered for" in page and alcohol.name in page


def test_staff_see_on_the_source_tab_what_the_center_set(client, django_user_model):
    """A center's edit (published at once) and availability click are shown
    to staff as the center's values; a held change only once approved."""
    from bs4 import BeautifulSoup

    user, org, (program, _) = center()
    client.force_login(user)
    client.post(
        urls(program)["edit"], edit_data(program, phone="(212) 555-0166", description="Evening groups.")
    )
    client.post(urls(program)["availability"], {"accepting": "yes", "open_beds": "2"})
    client.force_login(django_user_model.objects.create_superuser("staff", "staff@example.org", "pw"))
    page = BeautifulSoup(
        client.get(f"/admin/snippets/directory/program/edit/{program.pk}/").content, "html.parser"
    )
    table = page.select_one(".findcare-provenance table")
    assert table is not None, "no provenance table on the Source tab"
    rows = {
        cells[0]: cells[1:]
        for cells in ([td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr"))
    }
    assert rows["Description"][:2] == ["center", "center portal"], rows
    assert rows["Accepting clients"][0] == "center", rows
    assert "Main phone" not in rows  # held until a reviewer approves it


def test_waiting_changes_are_named_as_on_the_form(client):
    """The list of waiting changes used the model's names, lower-cased
    ("Second name / dba", "Zip code", "Facility operations")."""
    from directory.models import FacilityOperation

    user, org, (program, _) = center()
    client.force_login(user)
    operation = FacilityOperation.objects.first()
    data = edit_data(
        program, alternate_name="Harbor DBA", zip_code="60614", facility_operations=[operation.pk]
    )
    assert client.post(urls(program)["edit"], data).status_code == HTTPStatus.FOUND
    page = client.get(urls(program)["edit"]).content.decode()
    pending = page.split('id="pending-heading"')[1].split("</section>")[0]
    for label in ["Second name / DBA", "ZIP code", "Who runs the program"]:
        assert f'<th scope="row">{label}</th>' in pending


def test_changes_requested_show_on_the_edit_page_with_the_comment(client):
    from directory.review.workflow import program_submit_changes

    user, org, (program, _) = center()
    reviewer = UserFactory(is_superuser=True)
    program_submit_changes(program=program, data={"phone": "555-0166"}, user=user)
    program.refresh_from_db()
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment="That number rings a pharmacy."
    )
    client.force_login(user)
    page = client.get(urls(program)["edit"]).content.decode()
    assert "Changes requested" in page and "Waiting for review</h2>" not in page
    assert "That number rings a pharmacy." in page and "555-0166" in page


def send_back(program, comment="That number rings a pharmacy."):
    """A reviewer's "Request changes" on the waiting draft."""
    reviewer = UserFactory(is_superuser=True)
    program.refresh_from_db()
    state = program.current_workflow_state
    state.current_task_state.task.specific.on_action(
        state.current_task_state, reviewer, "reject", comment=comment
    )


RESUBMIT = "Submit again for review"


def test_after_changes_requested_a_description_save_leaves_the_request(client):
    """The form shows the waiting values; saving only a description change
    publishes it and leaves the review sent back with the reviewer's
    comment (it resubmitted the unchanged phone number)."""
    user, org, (program, _) = center()
    client.force_login(user)
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    send_back(program)

    data = edit_data(program, phone="(212) 555-0166", description="We now offer evening groups.")
    response = client.post(urls(program)["edit"], data, follow=True)
    html = response.content.decode()
    assert "Changes requested" in html and "That number rings a pharmacy." in html
    assert "Waiting for review</h2>" not in html
    public = client.get(program.get_absolute_url()).content.decode()
    assert "We now offer evening groups." in public and "555-0166" not in public
    program.refresh_from_db()
    assert program.current_workflow_state.status == "needs_changes"
    assert "on the public page now" in html and "not sent for review again" in html
    assert RESUBMIT in html


def test_submit_again_for_review_from_the_edit_form(client):
    user, org, (program, _) = center()
    client.force_login(user)
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    send_back(program)
    data = {**edit_data(program, phone="(212) 555-0166"), "resubmit": "1"}
    response = client.post(urls(program)["edit"], data, follow=True)
    html = response.content.decode()
    assert "Waiting for review</h2>" in html and "Changes requested" not in html
    assert "That number rings a pharmacy." not in html and RESUBMIT not in html
    program.refresh_from_db()
    assert program.current_workflow_state.status == "in_progress"
    assert program.phone != "(212) 555-0166"


def test_changing_the_sent_back_value_resubmits_it(client):
    user, org, (program, _) = center()
    client.force_login(user)
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    send_back(program)
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0167"))
    program.refresh_from_db()
    assert program.current_workflow_state.status == "in_progress"
    page = client.get(urls(program)["edit"]).content.decode()
    assert "Waiting for review</h2>" in page and "555-0167" in page


def test_withdrawing_after_changes_requested(client):
    user, org, (program, _) = center()
    client.force_login(user)
    old_phone = program.phone
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    send_back(program)
    client.post(urls(program)["edit"], edit_data(program, phone=old_phone))
    program.refresh_from_db()
    assert program.current_workflow_state is None and not program.has_unpublished_changes
    page = client.get(urls(program)["edit"]).content.decode()
    assert "Changes requested" not in page and RESUBMIT not in page


def test_submit_again_is_offered_only_when_changes_were_requested(client):
    user, org, (program, _) = center()
    client.force_login(user)
    assert RESUBMIT not in client.get(urls(program)["edit"]).content.decode()
    client.post(urls(program)["edit"], edit_data(program, phone="(212) 555-0166"))
    assert RESUBMIT not in client.get(urls(program)["edit"]).content.decode()  # waiting for review
    # Posted anyway while the change waits for review: it is saved as usual.
    response = client.post(
        urls(program)["edit"], {**edit_data(program, phone="(212) 555-0166"), "resubmit": "1"}
    )
    assert response.status_code == HTTPStatus.FOUND
    program.refresh_from_db()
    assert program.current_workflow_state.status == "in_progress"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("website", "ftp://files.example.org/", "Enter a full web address, like https://example.org/."),
        ("website", "https://", "Enter a full web address, like https://example.org/."),
        ("website", "see our facebook page", "Enter a full web address, like https://example.org/."),
        ("inquiry_email", "intake at example.org", "Enter an email address, like intake@example.org."),
        ("inquiry_email", "intake@", "Enter an email address, like intake@example.org."),
        ("intake_phone", "call us", "Enter a 10-digit US phone number, like 212-555-0123."),
    ],
)
def test_edit_form_errors_are_on_the_field(client, field, typed, message):
    """Websites are http or https with a host (before, ftp:// was accepted),
    emails and phones are checked, and the error is on the field typed in."""
    user, org, (program, _) = center()
    client.force_login(user)
    response = client.post(urls(program)["edit"], edit_data(program, **{field: typed}))
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.context["form"].errors == {field: [message]}
    assert f'id="id_{field}_error"' in response.content.decode()
    program.refresh_from_db()
    assert not program.has_unpublished_changes


def test_edit_form_takes_a_website_without_its_scheme(client):
    user, org, (program, _) = center()
    client.force_login(user)
    client.post(urls(program)["edit"], edit_data(program, website="harbor.example.org"))
    program.refresh_from_db()
    assert program.has_unpublished_changes
    form_page = client.get(urls(program)["edit"]).content.decode()
    assert 'value="https://harbor.example.org"' in form_page
