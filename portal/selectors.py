"""Reads for the center portal."""

import datetime
import statistics
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db.models import Count, Min
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, WorkflowState

from directory.models import Organization, Program
from inquiries.models import Inquiry

from . import members
from .models import Invitation, ListingClaim, Membership, ProgramPageView


def organizations_for_user(*, user):
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(pk__in=members.organization_ids_of(user=user)).order_by("name")


def programs_for_user(*, user):
    if not user.is_authenticated:
        return Program.objects.none()
    return (
        Program.objects.filter(organization_id__in=members.organization_ids_of(user=user))
        .select_related("organization")
        .order_by("organization__name", "name")
    )


@dataclass(frozen=True)
class AvailabilityChoice:
    value: str  # Program.Accepting
    label: str
    current: bool  # what families see now
    since: datetime.datetime | None  # when the current one was last set or confirmed


def availability_choices(*, program) -> list[AvailabilityChoice]:
    """The availability buttons of a listing (every answer but "unknown")."""
    return [
        AvailabilityChoice(
            value=value,
            label=label,
            current=value == program.accepting_clients,
            since=program.availability_updated_at if value == program.accepting_clients else None,
        )
        for value, label in Program.Accepting.choices
        if value != Program.Accepting.UNKNOWN
    ]


REVIEW_WAITING = "Waiting for review"
REVIEW_SENT_BACK = "Changes requested"


def review_state(*, program) -> str:
    """The listing's held changes in the center's words: "Waiting for
    review" while staff check them, "Changes requested" when a reviewer sent
    them back, "" when none wait. No query unless the listing has a draft."""
    if not program.has_unpublished_changes:
        return ""
    state = program.current_workflow_state
    if state is None:
        return ""
    return REVIEW_SENT_BACK if state.status == state.STATUS_NEEDS_CHANGES else REVIEW_WAITING


@dataclass
class UnreadCounts:
    """Unread inquiries (Inquiry.objects.unread()) of the user's own
    organizations only, by organization id and by program id."""

    organizations: dict = field(default_factory=dict)
    programs: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.organizations.values())


def unread_inquiry_counts(*, user) -> UnreadCounts:
    """One query; another organization's inquiries are never counted."""
    counts = UnreadCounts()
    if not user.is_authenticated:
        return counts
    rows = (
        Inquiry.objects.unread()
        .filter(program__organization_id__in=members.organization_ids_of(user=user))
        .values_list("program__organization_id", "program_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for organization_id, program_id, count in rows:
        counts.organizations[organization_id] = counts.organizations.get(organization_id, 0) + count
        counts.programs[program_id] = count
    return counts


@dataclass
class OrganizationSummary:
    membership: Membership
    programs: list
    unread: int

    @property
    def organization(self):
        return self.membership.organization


def dashboard_organizations(*, user):
    """The dashboard's sections: each of the user's organizations with its
    listings, and unread inquiry counts on both (program.unread)."""
    counts = unread_inquiry_counts(user=user)
    by_organization = {}
    for program in programs_for_user(user=user):
        program.unread = counts.programs.get(program.pk, 0)
        program.review_state = review_state(program=program)
        by_organization.setdefault(program.organization_id, []).append(program)
    return [
        OrganizationSummary(
            membership=membership,
            programs=by_organization.get(membership.organization_id, []),
            unread=counts.organizations.get(membership.organization_id, 0),
        )
        for membership in members.memberships_of(user=user)
    ]


def inbox_links(*, user):
    """(organization, unread count) for the portal navigation."""
    counts = unread_inquiry_counts(user=user)
    return [
        (membership.organization, counts.organizations.get(membership.organization_id, 0))
        for membership in members.memberships_of(user=user)
    ]


def organization_members(*, organization):
    """The team page: every member, deactivated accounts included (a
    manager sees a former colleague and can remove them)."""
    return members.members(organization.pk, active=False).select_related("user").order_by("user__email")


def organization_open_invitations(*, organization):
    return organization.invitations.filter(accepted_at=None, revoked_at=None)


# How long the dashboard tells someone that a manager removed them.
REMOVAL_NOTICE_DAYS = 30


def recent_removals(*, user):
    """The dashboard's "Your access to ... was removed": the latest removal
    per organization in the last REMOVAL_NOTICE_DAYS, unless they are a
    member again."""
    since = timezone.now() - datetime.timedelta(days=REMOVAL_NOTICE_DAYS)
    latest = {}
    for removal in members.recent_removals_of(user=user, since=since):
        latest.setdefault(removal.organization_id, removal)
    return list(latest.values())


# Invitations: the link holds a signed invitation id (no token is stored),
# valid INVITATION_MAX_AGE; the link a visitor opened before signing in or up
# is remembered in the session (portal.services), so that it survives sign-up
# and email verification (portal.adapters sends them back).
INVITATION_SALT = "portal.invitation"
INVITATION_MAX_AGE = datetime.timedelta(days=14)
INVITATION_SESSION_KEY = "portal_invitation"


def invitation_token(*, invitation):
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def invitation_from_token(*, token):
    """The open invitation a link points to, or None (tampered, expired,
    accepted or revoked)."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    invitation = Invitation.objects.select_related("organization").filter(pk=pk).first()
    return invitation if invitation and invitation.is_open else None


def invitation_waiting_url(*, session=None, email=None):
    """Where to accept the invitation a new member is on their way to: the
    link they opened in this browser (remembered in the session), else the
    newest open invitation for an address they just verified, if it was sent
    within the link lifetime (they may verify in another browser). None when
    there is none."""
    token = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if token and invitation_from_token(token=token) is not None:
        return reverse("portal:invitation_accept", kwargs={"token": token})
    if email:
        invitation = (
            Invitation.objects.filter(
                email__iexact=email,
                accepted_at=None,
                revoked_at=None,
                created_at__gte=timezone.now() - INVITATION_MAX_AGE,
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if invitation is not None:
            token = invitation_token(invitation=invitation)
            return reverse("portal:invitation_accept", kwargs={"token": token})
    return None


def claims_for_user(*, user):
    return ListingClaim.objects.filter(user=user).select_related("program", "organization")


def pending_claims():
    return ListingClaim.objects.filter(status=ListingClaim.Status.PENDING).select_related(
        "user", "program", "organization"
    )


def _host(website: str) -> str:
    website = (website or "").strip().lower()
    if not website:
        return ""
    host = urlsplit(website if "//" in website else f"//{website}").hostname or ""
    return host.removeprefix("www.")


def claim_websites(*, program=None, organization=None) -> list[str]:
    """The hosts of the websites on file for what is claimed (the listing
    and its organization, or the organization and its listings)."""
    if program is not None:
        sites = [program.website, getattr(program.organization, "website", "")]
    else:
        sites = [organization.website, *organization.programs.values_list("website", flat=True)]
    return sorted({host for host in map(_host, sites) if host})


def claim_email_domain_matches(*, claim):
    """Whether the claimant's work email is at the domain of a website on
    file for what they claim (a subdomain counts): True, False, or None
    when there is no work email or no website to compare with."""
    domain = claim.work_email.rpartition("@")[2].lower() if claim.work_email else ""
    hosts = claim_websites(program=claim.program, organization=claim.organization)
    if not domain or not hosts:
        return None
    return any(domain == host or domain.endswith("." + host) or host.endswith("." + domain) for host in hosts)


@dataclass
class Queue:
    count: int
    oldest: datetime.datetime | None

    @property
    def oldest_age(self):
        return timezone.now() - self.oldest if self.oldest else None


def staff_queues() -> dict:
    """The admin dashboard's panel: pending listing claims and centers'
    listing changes waiting for review (in-progress workflows on a Program),
    each with its count and oldest date. Two queries."""
    claims = ListingClaim.objects.filter(status=ListingClaim.Status.PENDING).aggregate(
        count=Count("pk"), oldest=Min("created_at")
    )
    # In progress = waiting for a reviewer (not "changes requested", which
    # waits for the center), since its current task started (a resubmission
    # starts a new one).
    waiting = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Program),
        status=WorkflowState.STATUS_IN_PROGRESS,
    ).aggregate(count=Count("pk"), oldest=Min("current_task_state__started_at"))
    return {"claims": Queue(**claims), "reviews": Queue(**waiting)}


def first_of_month(day=None):
    day = day or timezone.localdate()
    return day.replace(day=1)


def page_views_by_month(*, program, months=6):
    rows = ProgramPageView.objects.filter(program=program).order_by("-month")[:months]
    return {row.month: row.count for row in rows}


def user_manages(*, user, program=None, organization=None):
    org_id = program.organization_id if program else organization.pk
    return members.membership_of(user=user, organization_id=org_id) is not None


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
            "median_answer": duration_text(inquiry_stats.get(month, {}).get("median")),
        }
        for month in month_list
    ]


def _inquiry_stats(*, program, since):
    """{month: {"count": n, "median": timedelta or None}} from the program's
    inquiries since a date; the answer time is created -> first contacted."""
    rows = Inquiry.objects.filter(program=program, created_at__date__gte=since).values_list(
        "created_at", "answered_at"
    )
    by_month = {}
    for created_at, answered_at in rows:
        month = timezone.localtime(created_at).date().replace(day=1)
        entry = by_month.setdefault(month, {"count": 0, "waits": []})
        entry["count"] += 1
        if answered_at:
            entry["waits"].append((answered_at - created_at).total_seconds())
    return {
        month: {
            "count": entry["count"],
            "median": datetime.timedelta(seconds=round(statistics.median(entry["waits"])))
            if entry["waits"]
            else None,
        }
        for month, entry in by_month.items()
    }


# Listing change reviews ----------------------------------------------------


def listing_review_recipients(*, program):
    """Who is told of a reviewer's decision on a listing change: the active
    portal members of the listing's organization (the submitter included
    while still a member)."""
    return members.member_emails(program.organization_id, active=True)


# The log entry that records a review outcome for the center (written by
# portal.services, read by the email task).
REVIEW_OUTCOME_ACTION = "portal.listing_review_notice"


def review_outcome_entry(*, log_entry_id):
    return ModelLogEntry.objects.filter(pk=log_entry_id, action=REVIEW_OUTCOME_ACTION).first()


# Inbox -------------------------------------------------------------------


def inbox_inquiries(*, organization, program=None, status=None):
    """The organization's inquiries, newest first. Only the unencrypted
    columns are read: contents are decrypted one inquiry at a time, when a
    member opens it."""
    queryset = (
        Inquiry.objects.filter(program__organization=organization)
        .select_related("program", "opened_by")
        .only(
            "pk",
            "reference",
            "status",
            "created_at",
            "opened_at",
            "opened_by__email",
            "answered_at",
            "program__name",
            "program__slug",
        )  # fmt: skip
        .order_by("-created_at", "-pk")
    )
    if program is not None:
        queryset = queryset.filter(program=program)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def duration_text(delta):
    """'45 min', '5 h 10 min', '3 days 4 h' (None stays None)."""
    if delta is None:
        return None
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} day{'s' if days != 1 else ''} {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"
