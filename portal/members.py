"""Who acts for a treatment center: the one members rule.

Every question about an organization's members goes through this module
(nothing else in the project queries `Membership`), and each one says which
members it means, with an explicit `active` flag:

- `active=True`: members whose account can sign in. Staff deactivate the
  account of someone who left the center; that person can no longer read the
  inbox or edit the listing, so they are nobody to tell and they do not make
  a listing "managed". Anything a member must read or do uses this: who is
  emailed (new inquiries, review outcomes, availability reminders), whether
  an inquiry links to the inbox or to the claim page, whether the public page
  says "Managed by the center since ..." or offers "Claim it", and the last
  manager who may not leave.
- `active=False`: every membership row, deactivated accounts included: the
  team page (a manager sees a former colleague and can remove them) and "is
  already a member" when inviting an address.

`role=Role.MANAGER` narrows `members()` to managers. A signed-in user's own
membership (`membership_of`, `role_of`, `is_manager`, `organization_ids_of`)
needs no flag: a deactivated account cannot sign in.

The one write of a membership row (`membership_add`) is here too, so the
whole table has one owner; removing a member and changing a role are
`portal.services` (they need `is_last_manager` from here). A removal leaves
a `MembershipRemoval` row: `removal_of` is what the portal tells someone
who was removed.
"""

from django.db.models import Min

from .models import Membership, MembershipRemoval, Role


def members(organization_id, *, active: bool, role: str | None = None):
    """The organization's memberships (a queryset): only those whose account
    can sign in when `active`, every row otherwise; only one role if given."""
    queryset = Membership.objects.filter(organization_id=organization_id)
    if active:
        queryset = queryset.filter(user__is_active=True)
    if role is not None:
        queryset = queryset.filter(role=role)
    return queryset


def has_members(organization_id, *, active: bool) -> bool:
    """Whether the organization has members (False for no organization)."""
    return organization_id is not None and members(organization_id, active=active).exists()


def member_emails(organization_id, *, active: bool) -> list[str]:
    """The members' email addresses, each once, oldest membership first
    ([] for no organization). Only verified addresses exist: allauth refuses
    sign-in before verification. Who is emailed always asks `active=True`."""
    if organization_id is None:
        return []
    emails = (
        members(organization_id, active=active)
        .exclude(user__email="")
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    return list(dict.fromkeys(emails))


def organization_ids_with_members(*, active: bool):
    """Ids of organizations that have members, as a subquery
    (`organization_id__in=`): for example the listings someone at the
    center can be told about."""
    queryset = Membership.objects.filter(user__is_active=True) if active else Membership.objects.all()
    return queryset.values("organization_id")


def managed_since(*, program):
    """When the listing's organization came under the portal: the earliest
    joining (a datetime) among its active members, or None when no active
    member remains (the public page then offers "Claim it", as the inquiry
    emails do). The public program page shows it."""
    if program.organization_id is None:
        return None
    first = members(program.organization_id, active=True).aggregate(first=Min("created_at"))
    return first["first"]


def is_last_manager(membership) -> bool:
    """Whether removing this membership would leave the organization without
    a manager who can sign in (and so nobody to invite or remove anyone).
    A deactivated manager is never the last one."""
    if membership.role != Role.MANAGER or not membership.user.is_active:
        return False
    others = members(membership.organization_id, active=True, role=Role.MANAGER).exclude(pk=membership.pk)
    return not others.exists()


def would_leave_no_manager(membership, *, new_role) -> bool:
    """Whether giving this membership `new_role` (or removing it: None)
    would leave the organization without a manager who can sign in."""
    return new_role != Role.MANAGER and is_last_manager(membership)


# A user's own memberships ------------------------------------------------


def membership_of(*, user, organization_id):
    """The user's membership of an organization, or None (also for an
    anonymous user or no organization)."""
    if not user.is_authenticated or organization_id is None:
        return None
    return Membership.objects.filter(user=user, organization_id=organization_id).first()


def role_of(*, user, organization_id):
    membership = membership_of(user=user, organization_id=organization_id)
    return membership.role if membership else None


def is_manager(*, user, organization_id) -> bool:
    return role_of(user=user, organization_id=organization_id) == Role.MANAGER


def memberships_of(*, user):
    """The user's memberships with their organizations, by organization name."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organization").order_by("organization__name")


def organization_ids_of(*, user):
    """Ids of the user's organizations, as a subquery (`pk__in=`)."""
    if not user.is_authenticated:
        return Membership.objects.none().values("organization_id")
    return Membership.objects.filter(user=user).values("organization_id")


def removal_of(*, user, organization_id):
    """The latest removal of the user from the organization, when they are
    not a member again since (None otherwise, and for no organization)."""
    if not user.is_authenticated or organization_id is None:
        return None
    return (
        MembershipRemoval.objects.filter(user=user, organization_id=organization_id)
        .select_related("organization", "removed_by")
        .first()
    )


def recent_removals_of(*, user, since):
    """The user's removals since a date from organizations they are not a
    member of again: the dashboard tells them their access ended."""
    if not user.is_authenticated:
        return MembershipRemoval.objects.none()
    return (
        MembershipRemoval.objects.filter(user=user, removed_at__gte=since)
        .exclude(organization_id__in=organization_ids_of(user=user))
        .select_related("organization", "removed_by")
    )


# The one write -----------------------------------------------------------


def membership_add(*, user, organization, role):
    """Make the user a member of the organization; an existing member keeps
    their membership (and its date), raised to manager if `role` is manager."""
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    if not created and role == Role.MANAGER and membership.role != Role.MANAGER:
        membership.role = Role.MANAGER
        membership.save(update_fields=["role"])
    return membership
