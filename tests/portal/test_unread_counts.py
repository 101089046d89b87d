"""Unread (new, never opened) inquiry counts per organization and per
listing, on the dashboard and in the portal navigation; never another
organization's."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry
from portal.models import Role
from portal.selectors import unread_inquiry_counts
from tests.directory.factories import ProgramFactory

from .factories import MembershipFactory, center, make_inquiry

pytestmark = pytest.mark.django_db


def nav(page):
    return re.search(r'<nav class="portal-nav".*?</nav>', page, re.S).group(0)


@pytest.fixture
def world():
    """Our organization: 3 unread on the first listing, 1 on the second, one
    opened and one contacted (not unread). Another organization: 5 unread."""
    user, org, (first, second) = center()
    for _ in range(3):
        make_inquiry(first)
    make_inquiry(second)
    opened = make_inquiry(second)
    Inquiry.objects.filter(pk=opened.pk).update(opened_at=timezone.now(), opened_by=user)
    contacted = make_inquiry(first)
    Inquiry.objects.filter(pk=contacted.pk).update(status=Inquiry.Status.CONTACTED)
    _, other_org, (foreign, _) = center()
    for _ in range(5):
        make_inquiry(foreign)
    make_inquiry(ProgramFactory())  # a listing nobody manages
    return user, org, first, second, other_org, foreign


def test_counts_per_organization_and_listing(world):
    user, org, first, second, other_org, foreign = world
    counts = unread_inquiry_counts(user=user)
    assert counts.organizations == {org.pk: 4}
    assert counts.programs == {first.pk: 3, second.pk: 1}
    assert counts.total == 4


def test_dashboard_and_navigation_show_only_our_counts(client, world):
    user, org, first, second, other_org, foreign = world
    client.force_login(user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    hidden = f'<span class="visually-hidden"> for {org.name}</span>'
    assert f'Inquiries{hidden} <span class="unread-count">(4 unread)' in page
    inbox = reverse("portal:inbox", kwargs={"org_slug": org.slug})
    assert f'href="{inbox}?program={first.pk}" class="button unread-count">3 unread inquiries' in page
    assert f'href="{inbox}?program={second.pk}" class="button unread-count">1 unread inquiry<' in page
    assert "(4 unread)" in nav(page)
    assert "5 unread" not in page and other_org.name not in page and foreign.name not in page
    # Every portal page carries the count in its navigation.
    page = client.get(reverse("portal:team", kwargs={"org_slug": org.slug})).content.decode()
    assert 'Inquiries <span class="unread-count">(4 unread)</span>' in nav(page)


def test_the_other_organization_sees_its_own(client, world):
    user, org, first, second, other_org, foreign = world
    other_user = other_org.memberships.get().user
    client.force_login(other_user)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "(5 unread)" in page and "(4 unread)" not in page and org.name not in page


def test_several_organizations_are_named_in_the_navigation(client, world):
    user, org, first, second, other_org, foreign = world
    MembershipFactory(user=user, role=Role.STAFF)  # a second organization, nothing unread
    client.force_login(user)
    page = nav(client.get(reverse("portal:dashboard")).content.decode())
    assert f'Inquiries: {org.name} <span class="unread-count">(4 unread)</span>' in page
    assert page.count("Inquiries: ") == 2


def test_opening_an_inquiry_lowers_the_count_and_agrees_with_the_inbox(client, world):
    user, org, first, second, other_org, foreign = world
    client.force_login(user)
    inbox = client.get(reverse("portal:inbox", kwargs={"org_slug": org.slug})).content.decode()
    assert inbox.count("(unread)</a>") == 4
    inquiry = Inquiry.objects.filter(program=first).unread().first()
    client.get(reverse("portal:inquiry_detail", kwargs={"org_slug": org.slug, "pk": inquiry.pk}))
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "(3 unread)" in nav(page) and "2 unread inquiries" in page
    inbox = client.get(reverse("portal:inbox", kwargs={"org_slug": org.slug})).content.decode()
    assert inbox.count("(unread)</a>") == 3


@pytest.mark.parametrize("status", list(Inquiry.Status))
@pytest.mark.parametrize("opened", [False, True])
def test_one_rule_for_a_row_and_the_query(status, opened):
    _, _, (program, _) = center()
    inquiry = make_inquiry(program)
    Inquiry.objects.filter(pk=inquiry.pk).update(status=status, opened_at=timezone.now() if opened else None)
    inquiry.refresh_from_db()
    assert inquiry.is_unread == Inquiry.objects.unread().filter(pk=inquiry.pk).exists()
    assert inquiry.is_unread == (status == Inquiry.Status.NEW and not opened)


def test_queries_on_the_dashboard_do_not_grow_with_listings(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def dashboard_queries(listings):
        user, org, programs = center(programs=listings)
        for program in programs:
            make_inquiry(program)
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("portal:dashboard"))
        return len(queries)

    assert dashboard_queries(1) == dashboard_queries(6)
