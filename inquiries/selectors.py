"""Reads for inquiries."""

import hashlib

from config.site_url import absolute_url
from directory.models import Program
from directory.search import nearby_programs

from .models import Inquiry
from .recipients import center_recipients


def program_accepts_inquiries(program: Program) -> bool:
    """THE rule for "can this listing receive inquiries" (the program page,
    the form's own page and its POST all ask here): published (not closed)
    and someone at the program reads inquiries on FindCare, an active center
    member (inquiries.recipients, which applies portal/members.py). An
    inquiry address alone is not enough: it is only told that a message is
    waiting, and nobody could read it until the center claims the listing.
    Otherwise the page leads with the phone and says why there is no form."""
    return program.status == Program.Status.PUBLISHED and program_reads_inquiries(program)


def program_reads_inquiries(program: Program) -> bool:
    """Whether someone at the program reads its FindCare inbox now (an
    active center member). What the family's thank-you and status pages
    say depends on it."""
    return center_recipients().has_members(program.organization_id)


def inquiry_recipients(program: Program) -> list[str]:
    """Who is told of a new inquiry: the program's inquiry address and the
    portal members of its organization (inquiries.recipients)."""
    emails = [program.inquiry_email] if program.inquiry_email else []
    for email in center_recipients().member_emails(program.organization_id):
        if email.lower() not in {e.lower() for e in emails}:
            emails.append(email)
    return emails


def inquiry_read_url(inquiry: Inquiry) -> str:
    """Absolute URL where the program reads the inquiry after signing in:
    the center portal's inbox when its organization has portal members,
    else the portal page where the center claims the listing (staff confirm
    the claim by phone, then the inquiry is in its inbox). The portal
    decides the path (inquiries.recipients)."""
    return absolute_url(center_recipients().read_path(inquiry))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def inquiry_for_token(token: str) -> Inquiry | None:
    if not token or len(token) > 100:
        return None
    return Inquiry.objects.select_related("program").filter(token_hash=token_hash(token)).first()


def nearby_accepting_programs(*, program: Program, limit=4, search=None) -> list:
    """Programs near the one asked, that say they accept new clients: a next
    step for the family while they wait. `search`, the search the family
    came from (directory.search.SearchContext), keeps its care filters."""
    candidates = nearby_programs(program=program, limit=limit * 4, search=search)
    return [p for p in candidates if p.accepting_clients == Program.Accepting.YES][:limit]
