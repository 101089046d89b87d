"""Reads for the center portal."""

import datetime

from django.db.models import Min

from directory.models import Organization, Program

from .models import ListingClaim, Membership, ProgramPageView, Role


def organizations_for_user(*, user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct().order_by("name")


def programs_for_user(*, user):
    if not user.is_authenticated:
        return Program.objects.none()
    return (
        Program.objects.filter(organization__memberships__user=user)
        .select_related("organization")
        .distinct()
        .order_by("organization__name", "name")
    )


def memberships_for_user(*, user):
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def user_role(*, user, organization):
    membership = Membership.objects.filter(user=user, organization=organization).first()
    return membership.role if membership else None


def user_is_manager(*, user, organization):
    return user_role(user=user, organization=organization) == Role.MANAGER


def organization_members(*, organization):
    return organization.memberships.select_related("user").order_by("user__email")


def organization_open_invitations(*, organization):
    return organization.invitations.filter(accepted_at=None, revoked_at=None)


def claims_for_user(*, user):
    return ListingClaim.objects.filter(user=user).select_related("program", "organization")


def pending_claims():
    return ListingClaim.objects.filter(status=ListingClaim.Status.PENDING).select_related(
        "user", "program", "organization"
    )


def managed_since(*, program):
    """The date the program's organization first had a member, or None when
    nobody manages the listing (so the public page offers to claim it)."""
    if program.organization_id is None:
        return None
    first = Membership.objects.filter(organization_id=program.organization_id).aggregate(
        first=Min("created_at")
    )
    return first["first"]


def is_managed(*, program):
    return (
        program.organization_id is not None
        and Membership.objects.filter(organization_id=program.organization_id).exists()
    )


def first_of_month(day=None):
    day = day or datetime.date.today()
    return day.replace(day=1)


def page_views_by_month(*, program, months=6):
    rows = ProgramPageView.objects.filter(program=program).order_by("-month")[:months]
    return {row.month: row.count for row in rows}


def user_manages(*, user, program=None, organization=None):
    org_id = program.organization_id if program else organization.pk
    return bool(org_id) and Membership.objects.filter(user=user, organization_id=org_id).exists()


def program_monthly_stats(*, program, months=6):
    """Per month, newest first: page views, inquiries and median answer
    time. Inquiry figures come from portal.inbox_selectors when the
    inquiries app is installed."""
    today = first_of_month()
    month_list = []
    day = today
    for _ in range(months):
        month_list.append(day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    views = page_views_by_month(program=program, months=months)
    inquiry_stats = _inquiry_stats(program=program, since=month_list[-1])
    return [
        {
            "month": month,
            "views": views.get(month, 0),
            "inquiries": inquiry_stats.get(month, {}).get("count", 0),
            "median_answer": inquiry_stats.get(month, {}).get("median"),
        }
        for month in month_list
    ]


def _inquiry_stats(*, program, since):
    return {}
