"""The portal's answers to inquiries.recipients (registered from
PortalConfig.ready()): who at a center hears of an inquiry follows the
members rule (portal/members.py: members whose account can sign in), and
they read it in their inbox, or, with no such member, claim the listing
first."""

from django.urls import reverse

from . import members


class PortalRecipients:
    def has_members(self, organization_id):
        return members.has_members(organization_id, active=True)

    def member_emails(self, organization_id):
        return members.member_emails(organization_id, active=True)

    def read_path(self, inquiry):
        program = inquiry.program
        if self.has_members(program.organization_id):
            return reverse(
                "portal:inquiry_detail", kwargs={"org_slug": program.organization.slug, "pk": inquiry.pk}
            )
        return reverse("portal:claim_program", kwargs={"slug": program.slug})
