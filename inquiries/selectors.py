"""Reads for inquiries."""

import hashlib

from django.conf import settings
from django.urls import reverse

from directory.models import Program
from directory.selectors import nearby_programs

from .models import Inquiry


def program_accepts_inquiries(program: Program) -> bool:
    """Whether the program page offers the inquiry form: published, not
    closed, and someone to tell (an inquiry address)."""
    return program.status == Program.Status.PUBLISHED and bool(program.inquiry_email)


def inquiry_read_url(inquiry: Inquiry) -> str:
    """Absolute URL where a signed-in person reads the inquiry (for now the
    staff view in the Wagtail admin)."""
    path = reverse("inquiries_admin:inspect", args=[inquiry.pk])
    return settings.SITE_URL.rstrip("/") + path


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def inquiry_for_token(token: str) -> Inquiry | None:
    if not token or len(token) > 100:
        return None
    return Inquiry.objects.select_related("program").filter(token_hash=token_hash(token)).first()


def nearby_accepting_programs(*, program: Program, limit=4) -> list:
    """Programs near the one asked, that say they accept new clients: a next
    step for the family while they wait."""
    candidates = nearby_programs(program=program, limit=limit * 4)
    return [p for p in candidates if p.accepting_clients == Program.Accepting.YES][:limit]
