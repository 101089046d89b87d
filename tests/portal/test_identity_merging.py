"""When the directory merges two listings of one facility (issue 21), the
portal's and inquiries' rows follow the surviving listing: inquiries,
claims (one pending claim per user kept) and page views (added up); the
organization whose members manage the listing comes along when the
survivor has none."""

import datetime

import pytest

from directory.merging import programs_merge
from inquiries.models import Inquiry
from portal.models import ListingClaim, ProgramPageView
from tests.directory.factories import ProgramFactory

from .factories import UserFactory, center, make_inquiry

pytestmark = pytest.mark.django_db


def claim(user, program, status=ListingClaim.Status.PENDING):
    return ListingClaim.objects.create(
        user=user, program=program, full_name="Pat (Sample)", job_title="Director", work_phone="555-010-0100",
        status=status,
    )  # fmt: skip


def test_inquiries_claims_page_views_and_the_organization_move_to_the_survivor():
    user, organization, (merged,) = center(programs=1)
    survivor = ProgramFactory(organization=None)
    make_inquiry(merged)
    make_inquiry(survivor)
    claimant, other = UserFactory(), UserFactory()
    claim(claimant, survivor)
    claim(claimant, merged)  # the same user's second pending claim: one is enough
    claim(other, merged)
    claim(other, merged, status=ListingClaim.Status.REFUSED)
    month = datetime.date(2026, 11, 1)
    ProgramPageView.objects.create(program=survivor, month=month, count=3)
    ProgramPageView.objects.create(program=merged, month=month, count=4)
    ProgramPageView.objects.create(program=merged, month=datetime.date(2026, 10, 1), count=2)

    programs_merge(survivor=survivor, merged=[merged])

    assert Inquiry.objects.filter(program=survivor).count() == 2
    assert ListingClaim.objects.filter(program=survivor, user=claimant).count() == 1
    assert ListingClaim.objects.filter(program=survivor, user=other).count() == 2
    views = dict(ProgramPageView.objects.filter(program=survivor).values_list("month", "count"))
    assert views == {month: 7, datetime.date(2026, 10, 1): 2}
    survivor.refresh_from_db()
    assert survivor.organization == organization  # its members manage the merged listing now
