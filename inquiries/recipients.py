"""Who at a treatment center hears of an inquiry, and where they read it.

inquiries sits below the center portal (the portal builds on inquiries: its
inbox shows and answers them), so inquiries never imports portal. What it
needs to know about a center's portal members it asks here, and the portal
fills this in once at start-up: `PortalConfig.ready()` calls
`register(portal.recipients.PortalRecipients())`, which applies the portal's
members rule (portal/members.py: active members only).

Until something is registered (the portal app not installed, or a test that
swaps it out) no center has portal members: an inquiry goes to the program's
inquiry address only, and its link is the public listing page.
"""

from typing import Protocol


class CenterRecipients(Protocol):
    def has_members(self, organization_id: int | None) -> bool:
        """Whether someone at the organization can read inquiries in the portal."""

    def member_emails(self, organization_id: int | None) -> list[str]:
        """Their email addresses, each once ([] for no organization)."""

    def read_path(self, inquiry) -> str:
        """The site path (from reverse()) where the center reads this
        inquiry: its inbox when it has members, else where to claim the
        listing so that it can."""


class NoPortal:
    """The default: no portal members anywhere."""

    def has_members(self, organization_id):
        return False

    def member_emails(self, organization_id):
        return []

    def read_path(self, inquiry):
        return inquiry.program.get_absolute_url()


_registered: CenterRecipients = NoPortal()


def register(recipients: CenterRecipients) -> None:
    """Install the portal's answers (called from PortalConfig.ready())."""
    global _registered  # noqa: PLW0603 - one provider, set once at start-up
    _registered = recipients


def center_recipients() -> CenterRecipients:
    return _registered
