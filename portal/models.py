"""Who may act for a treatment center: memberships (a user in an
organization, as manager or staff), invitations to join, claims on listings
awaiting staff review, and per-listing monthly page-view counts."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from directory.models import Organization, Program


class Role(models.TextChoices):
    MANAGER = "manager", "Manager"
    STAFF = "staff", "Staff"


class Membership(models.Model):
    """A user acting for an organization, as manager or staff: what each
    role may do is portal.permissions.CAPABILITIES."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "organization membership"
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="portal_membership_unique_user_org")
        ]
        ordering = ["organization__name", "user__email"]

    def __str__(self):
        return f"{self.user} – {self.organization} ({self.get_role_display()})"


class MembershipRemoval(models.Model):
    """A manager removed someone from an organization: kept so that the
    person is told (an email, and the portal explains that their access
    ended instead of a bare "not found") and the team's history stays."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-removed_at", "-pk"]
        indexes = [models.Index(fields=["user", "organization"], name="portal_removal_user_org_idx")]

    def __str__(self):
        return f"{self.user} removed from {self.organization}"


class Invitation(models.Model):
    """A manager's invitation for a colleague's email address. The link holds
    a signed invitation id (see portal.services), so no token is stored."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.organization}"

    @property
    def is_open(self):
        return self.accepted_at is None and self.revoked_at is None


class ListingClaim(models.Model):
    """A signed-in user's request to manage one program or a whole
    organization, reviewed by staff in the Wagtail admin."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listing_claims"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="claims"
    )
    full_name = models.CharField("your full name", max_length=150)
    job_title = models.CharField("your role at the center", max_length=150)
    work_email = models.EmailField("your work email", blank=True)  # blank: claims sent before it was asked
    work_phone = models.CharField("your work phone", max_length=30)
    note = models.TextField("anything that helps us confirm", max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    refusal_reason = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "listing claim"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__isnull=False, organization__isnull=True)
                | Q(program__isnull=True, organization__isnull=False),
                name="portal_claim_program_xor_organization",
            ),
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=Q(status="pending", program__isnull=False),
                name="portal_claim_one_pending_per_program",
            ),
            models.UniqueConstraint(
                fields=["user", "organization"],
                condition=Q(status="pending", organization__isnull=False),
                name="portal_claim_one_pending_per_organization",
            ),
        ]

    def __str__(self):
        return f"Claim by {self.user} on {self.target}"

    @property
    def target(self):
        return self.program or self.organization


class ProgramPageView(models.Model):
    """Public page views of a listing per calendar month: a bare counter,
    nothing about the visitor."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="page_views")
    month = models.DateField(help_text="First day of the month.")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["program", "month"], name="portal_pageview_unique_month")
        ]

    def __str__(self):
        return f"{self.program} {self.month:%Y-%m}: {self.count}"
