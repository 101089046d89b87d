"""Roles and removal on the team page: managers change roles, the only
manager can neither leave nor drop their role, removal asks to confirm and
emails the person, whose next visit says their access ended (and shows
nothing else); what each role may do is one table, and the words on the
page match what the views allow."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from portal import permissions
from portal.forms import InvitationForm
from portal.models import Membership, MembershipRemoval, Role
from portal.services import PortalError, membership_remove, membership_set_role

from .factories import MembershipFactory, center, make_inquiry

pytestmark = pytest.mark.django_db


def team_url(organization):
    return reverse("portal:team", kwargs={"org_slug": organization.slug})


def role_url(organization, membership):
    return reverse("portal:member_role", kwargs={"org_slug": organization.slug, "pk": membership.pk})


def remove_url(organization, membership):
    return reverse("portal:member_remove", kwargs={"org_slug": organization.slug, "pk": membership.pk})


def test_a_manager_changes_a_members_role(client):
    manager, organization, _ = center()
    colleague = MembershipFactory(organization=organization, role=Role.STAFF)
    client.force_login(manager)
    page = client.get(team_url(organization)).content.decode()
    assert f'action="{role_url(organization, colleague)}"' in page
    response = client.post(role_url(organization, colleague), {f"member-{colleague.pk}-role": "manager"})
    assert response["Location"] == team_url(organization)
    colleague.refresh_from_db()
    assert colleague.role == Role.MANAGER
    assert ModelLogEntry.objects.filter(action="portal.member_role").exists()
    # Now two managers: the first may become staff.
    own = Membership.objects.get(user=manager)
    client.post(role_url(organization, own), {f"member-{own.pk}-role": "staff"})
    own.refresh_from_db()
    assert own.role == Role.STAFF
    # ...and can no longer change roles (a 403, from the same table).
    assert (
        client.post(role_url(organization, colleague), {f"member-{colleague.pk}-role": "staff"}).status_code
        == 403
    )


def test_a_bad_role_is_refused_with_a_message(client):
    manager, organization, _ = center()
    colleague = MembershipFactory(organization=organization, role=Role.STAFF)
    client.force_login(manager)
    response = client.post(
        role_url(organization, colleague), {f"member-{colleague.pk}-role": "owner"}, follow=True
    )
    assert "Choose manager or staff." in response.content.decode()
    colleague.refresh_from_db()
    assert colleague.role == Role.STAFF


def test_the_only_manager_cannot_leave_or_drop_their_role(client):
    manager, organization, _ = center()
    MembershipFactory(organization=organization, role=Role.STAFF)
    own = Membership.objects.get(user=manager)
    client.force_login(manager)
    page = client.get(team_url(organization)).content.decode()
    # No "Remove"/"Leave" link and no role form for the only manager.
    assert remove_url(organization, own) not in page
    assert role_url(organization, own) not in page
    assert "(the only manager)" in page
    # The service refuses, with a message that says what to do.
    with pytest.raises(PortalError, match="Make someone else a manager first"):
        membership_set_role(membership=own, role=Role.STAFF, by=manager)
    with pytest.raises(PortalError, match="needs at least one manager"):
        membership_remove(membership=own, by=manager)
    # And so do the views, even when posted to directly.
    response = client.post(role_url(organization, own), {f"member-{own.pk}-role": "staff"}, follow=True)
    assert "you are its only one" in response.content.decode()
    body = client.get(remove_url(organization, own)).content.decode()
    assert "You cannot leave" in body and "the only manager" in body
    assert f"Leave {organization.name}</button>" not in body  # no button on the confirmation page
    own.refresh_from_db()
    assert own.role == Role.MANAGER and Membership.objects.filter(pk=own.pk).exists()


def test_removal_asks_to_confirm_emails_the_person_and_explains_on_their_next_visit(client):
    manager, organization, (program, _) = center()
    make_inquiry(program, name="Casey (Sample)", message="A family's question")
    colleague = MembershipFactory(organization=organization, role=Role.STAFF)
    client.force_login(manager)

    confirm = client.get(remove_url(organization, colleague))
    assert confirm.status_code == HTTPStatus.OK
    assert f"Remove {colleague.user.email}?" in confirm.content.decode()
    assert Membership.objects.filter(pk=colleague.pk).exists()  # asking is not removing

    mail.outbox.clear()
    response = client.post(remove_url(organization, colleague), follow=True)
    assert "We emailed them to say so." in response.content.decode()
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    removal = MembershipRemoval.objects.get()
    assert (removal.user, removal.organization, removal.removed_by) == (colleague.user, organization, manager)
    (email,) = mail.outbox
    assert email.to == [colleague.user.email]
    assert f"{manager.email} removed your access to {organization.name}" in email.body
    assert "Casey" not in email.body

    # Their next visit: the dashboard and every URL of the organization say so.
    client.force_login(colleague.user)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f"Your access to {organization.name} ended on" in dashboard
    inquiry = program.inquiries.get()
    for url in [
        team_url(organization),
        reverse("portal:inbox", kwargs={"org_slug": organization.slug}),
        reverse("portal:inquiry_detail", kwargs={"org_slug": organization.slug, "pk": inquiry.pk}),
        reverse("portal:listing_edit", kwargs={"slug": program.slug}),
        reverse("portal:program_stats", kwargs={"slug": program.slug}),
    ]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.FORBIDDEN, url
        body = response.content.decode()
        assert f"Your access to {organization.name} ended" in body, url
        assert f"{manager.email} removed you from {organization.name} on" in body, url
        # Nothing of the organization beyond its name.
        for secret in (
            "Casey",
            "A family's question",
            inquiry.reference,
            program.name,
            manager.email + "</td>",
        ):
            assert secret not in body, (url, secret)
    # Someone who never belonged still gets a plain 404.
    outsider, _, _ = center()
    client.force_login(outsider)
    assert client.get(team_url(organization)).status_code == HTTPStatus.NOT_FOUND

    # Invited back and accepted: the notice is gone, access is back.
    MembershipFactory(user=colleague.user, organization=organization, role=Role.STAFF)
    client.force_login(colleague.user)
    assert client.get(team_url(organization)).status_code == HTTPStatus.OK
    assert "Your access to" not in client.get(reverse("portal:dashboard")).content.decode()


def test_what_each_role_may_do_is_one_table_and_the_words_are_true(client):
    """Staff open every view whose capability the table gives them and are
    refused the others: the team page's words come from the same table."""
    manager, organization, (program, _) = center()
    staff = MembershipFactory(organization=organization, role=Role.STAFF)
    inquiry = make_inquiry(program)
    views = {
        permissions.ANSWER_INQUIRIES: [
            ("get", reverse("portal:inbox", kwargs={"org_slug": organization.slug})),
            (
                "get",
                reverse("portal:inquiry_detail", kwargs={"org_slug": organization.slug, "pk": inquiry.pk}),
            ),
        ],
        permissions.EDIT_LISTINGS: [("get", reverse("portal:listing_edit", kwargs={"slug": program.slug}))],
        permissions.SEE_STATS: [("get", reverse("portal:program_stats", kwargs={"slug": program.slug}))],
        permissions.MANAGE_TEAM: [
            ("post", team_url(organization)),
            ("get", remove_url(organization, Membership.objects.get(user=manager))),
        ],
    }
    assert set(views) == set(permissions.CAPABILITIES)
    client.force_login(staff.user)
    team_page = client.get(team_url(organization)).content.decode()
    for capability, requests in views.items():
        allowed = permissions.may(Role.STAFF, capability)
        for method, url in requests:
            status = getattr(client, method)(
                url, {"email": "x@example.org", "role": "staff"} if method == "post" else None
            ).status_code
            assert (status == HTTPStatus.OK) == allowed, (capability.name, url, status)
        assert (capability.description in permissions.describe_role(Role.STAFF)) == allowed
        assert capability.description.replace("'", "&#x27;") in team_page
    # The help text no longer says staff only answer inquiries: it names the difference.
    help_text = str(InvitationForm().fields["role"].help_text)
    assert help_text == (
        "Only managers invite colleagues, change their roles and remove them. Staff may do everything else."
    )
    assert "Staff and managers read and answer the organization&#x27;s inquiries" in team_page


def test_a_manager_may_leave_when_another_manager_remains(client):
    manager, organization, _ = center()
    MembershipFactory(organization=organization, role=Role.MANAGER)
    own = Membership.objects.get(user=manager)
    client.force_login(manager)
    assert f"Leave {organization.name}?" in client.get(remove_url(organization, own)).content.decode()
    mail.outbox.clear()
    response = client.post(remove_url(organization, own))
    assert response["Location"] == reverse("portal:dashboard")
    assert not Membership.objects.filter(pk=own.pk).exists()
    assert mail.outbox == []  # nobody to tell: they did it
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    assert f"Your access to {organization.name} ended on" in dashboard and "you left it" in dashboard
