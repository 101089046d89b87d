"""The portal on a phone (issue 28): availability in one tap on large
buttons with the date it was set, a "Waiting for review" badge on the
dashboard and the listing page while changes are held, a button-sized Edit
link, tables whose cells name their column (stacked under 600 px), and one
"Who you serve" question on the edit form."""

import datetime
from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from directory.models import GenderAccepted, Population, Program
from directory.review.workflow import program_submit_changes

from .factories import center, make_inquiry

pytestmark = pytest.mark.django_db


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def availability_url(program):
    return reverse("portal:listing_availability", kwargs={"slug": program.slug})


def test_availability_is_three_submit_buttons_one_tap_each(client):
    """Before: radio buttons and a "Confirm availability" button (two actions)."""
    user, org, (program, _) = center()
    client.force_login(user)
    page = soup(client.get(reverse("portal:dashboard")))
    box = page.select_one(f"#availability-{program.pk}")
    form = box.find("form", action=availability_url(program))
    assert form["method"] == "post"
    buttons = form.select("button[type=submit][name=accepting]")
    assert [(b["value"], b.get_text(" ", strip=True)) for b in buttons] == [
        ("yes", "Accepting new clients"),
        ("waitlist", "Waitlist"),
        ("no", "Not accepting new clients"),
    ]
    assert not box.select("input[type=radio]")

    # One tap: the button's own value is the whole request.
    response = client.post(availability_url(program), {"accepting": "waitlist", "return_to": "dashboard"})
    assert response.status_code == HTTPStatus.FOUND
    program.refresh_from_db()
    assert program.accepting_clients == "waitlist" and program.open_beds is None


def test_the_current_answer_shows_the_date_it_was_set(client):
    user, org, (program, _) = center()
    set_on = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))
    Program.objects.filter(pk=program.pk).update(accepting_clients="yes", availability_updated_at=set_on)
    client.force_login(user)
    page = soup(client.get(reverse("portal:program_stats", kwargs={"slug": program.slug})))
    current = page.select(".availability-choice--current")
    assert [b["value"] for b in current] == ["yes"]
    assert current[0].get_text(" ", strip=True) == "Accepting new clients Shown now, confirmed 3 December"


def test_a_tap_keeps_the_open_beds_and_beds_have_their_own_form(client):
    """Open beds in a form of their own: Enter in the number field submits
    "Save open beds" and never one of the three answers."""
    user, org, (program, _) = center()
    Program.objects.filter(pk=program.pk).update(accepting_clients="yes", open_beds=4)
    client.force_login(user)
    page = soup(client.get(reverse("portal:program_stats", kwargs={"slug": program.slug})))
    choices, beds = page.select(f"#availability-{program.pk} form")
    assert choices.select_one("input[name=open_beds]")["value"] == "4"
    assert beds.select_one("input[name=accepting]")["value"] == "yes"
    saves = [b.get_text(" ", strip=True) for b in beds.select("button")]
    assert saves == [f"Save open beds of {program.name}"]
    client.post(availability_url(program), {"accepting": "no", "open_beds": "4"})
    program.refresh_from_db()
    assert (program.accepting_clients, program.open_beds) == ("no", 4)


def test_dashboard_edit_is_a_button_and_held_changes_show_a_badge(client):
    """Before: a 33x20 px "Edit" text link and "(published)" while a phone
    change waited for review."""
    user, org, (program, other) = center()
    client.force_login(user)
    page = soup(client.get(reverse("portal:dashboard")))
    edit = page.find("a", href=reverse("portal:listing_edit", kwargs={"slug": program.slug}))
    assert "button" in edit["class"] and edit.get_text(" ", strip=True) == f"Edit listing {program.name}"
    assert "(published)" not in page.get_text()
    assert not page.select(".badge--review")

    program_submit_changes(program=program, data={"phone": "(212) 555-0177"}, user=user)
    page = soup(client.get(reverse("portal:dashboard")))
    badges = page.select(".badge--review")
    texts = [b.get_text(" ", strip=True) for b in badges]
    assert texts == [f"Waiting for review : changes to {program.name}"]
    listing = soup(client.get(reverse("portal:program_stats", kwargs={"slug": program.slug})))
    assert listing.select_one(".badge--review").get_text(" ", strip=True).startswith("Waiting for review")
    other_page = soup(client.get(reverse("portal:program_stats", kwargs={"slug": other.slug})))
    assert not other_page.select(".badge--review")


def test_changes_sent_back_show_as_such_on_the_dashboard(client, django_user_model):
    user, org, (program, _) = center()
    program_submit_changes(program=program, data={"phone": "(212) 555-0178"}, user=user)
    program.refresh_from_db()
    state = program.current_workflow_state
    reviewer = django_user_model.objects.create_superuser("reviewer", "reviewer@example.org", "pw")
    state.current_task_state.task.specific.on_action(state.current_task_state, reviewer, "reject", comment="")
    client.force_login(user)
    page = soup(client.get(reverse("portal:dashboard")))
    assert page.select_one(".badge--review").get_text(" ", strip=True).startswith("Changes requested")


def test_table_cells_name_their_column_for_the_stacked_layout(client):
    user, org, (program, _) = center()
    make_inquiry(program)
    program_submit_changes(program=program, data={"phone": "(212) 555-0179"}, user=user)
    client.force_login(user)
    inbox = soup(client.get(reverse("portal:inbox", kwargs={"org_slug": org.slug})))
    labels = [td.get("data-label") for td in inbox.select("table.inbox tbody tr")[0].select("td")]
    assert labels == ["Received", "Reference", "Listing", "Status", "Opened"]
    edit = soup(client.get(reverse("portal:listing_edit", kwargs={"slug": program.slug})))
    row = edit.select_one("#pending-heading").find_parent("section").select_one("tbody tr")
    labels = [td.get("data-label") for td in row.select("td")]
    assert labels == ["On the public page now", "Waiting for review"]


def test_edit_form_asks_once_who_is_served(client):
    """Before: "Accepts: Women, Men" and "Ages and groups served: ... Women
    ... Men" as two unrelated questions with the same words."""
    user, org, (program, _) = center()
    client.force_login(user)
    page = soup(client.get(reverse("portal:listing_edit", kwargs={"slug": program.slug})))
    served = [fs for fs in page.select("fieldset") if fs.legend.get_text(strip=True) == "Who you serve"]
    assert len(served) == 1
    parts = [fs.legend.get_text(strip=True) for fs in served[0].select("fieldset")]
    assert parts == ["Who may enroll", "Ages accepted", "Has a program designed for"]
    labels = [label.get_text(strip=True) for label in served[0].select("label")]
    assert len(labels) == len(set(labels)), "a choice is asked twice in the same words"
    assert {"Accepts women", "Accepts men", "Women", "Men", "Adults"} <= set(labels)
    legends = [fs.legend.get_text(strip=True) for fs in page.select("form > fieldset")]
    assert "Accepts" not in legends and "Ages and groups served" not in legends
    ages = [label.get_text(strip=True) for label in served[0].select("fieldset")[1].select("label")]
    assert set(ages) == set(Population.objects.filter(kind="age").values_list("name", flat=True))


def test_who_you_serve_saves_both_vocabularies(client):
    from .test_listing_edit import edit_data

    user, org, (program, _) = center()
    client.force_login(user)
    men = GenderAccepted.objects.get(slug="men")
    adults, veterans = Population.objects.get(slug="adults"), Population.objects.get(slug="veterans")
    data = edit_data(program, genders_accepted=[men.pk], populations=[adults.pk, veterans.pk])
    assert client.post(reverse("portal:listing_edit", kwargs={"slug": program.slug}), data).status_code == 302
    program = Program.objects.get(pk=program.pk)
    assert list(program.genders_accepted.all()) == [men]
    assert set(program.populations.all()) == {adults, veterans}
