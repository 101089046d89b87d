"""Demo center account for `manage.py load_demo`: a sample organization
managing two sample listings, with a few sample inquiries made through the
inquiry service (so they are encrypted like real ones). Dates are relative
to the day the demo is loaded."""

import secrets
import uuid
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from directory.models import Organization, Program
from inquiries.models import Inquiry
from inquiries.services import inquiry_create
from portal.members import membership_add
from portal.models import Role

CENTER_EMAIL = "center@example.org"
ORG_SLUG = "harbor-recovery-network-sample"
ORG_NAME = "Harbor Recovery Network (Sample)"

# name, message, contact method, days ago, answered after hours (None: not yet)
SAMPLE_INQUIRIES = [
    ("Jordan (Sample)", "My brother needs detox this week. Do you have a bed?", "phone", 0, None),
    ("Riley (Sample)", "Do you take Medicaid for the evening outpatient group?", "email", 2, 5),
    ("Casey (Sample)", "I am asking for myself. Can I start buprenorphine with you?", "text", 9, 30),
]


def load(*, stdout, listings=None):
    with transaction.atomic():
        organization, _ = Organization.objects.get_or_create(
            slug=ORG_SLUG, defaults={"name": ORG_NAME, "website": "https://example.org/"}
        )
        programs = attach_programs(organization)
    if len(programs) < 2:
        stdout.write("Demo center: not enough sample programs to attach; run load_demo first.")
        return
    # The member first: the inquiries' notifications then say "waiting in your
    # inbox", as a managed center's do, not "claim your listing".
    center_member()
    created = create_inquiries(programs)
    stdout.write(
        f"Demo center: {ORG_NAME} manages {len(programs)} listings; {created} sample inquiries created."
    )


def attach_programs(organization):
    programs = list(organization.programs.filter(is_sample=True).order_by("pk")[:2])
    if len(programs) < 2:
        extra = (
            Program.objects.filter(is_sample=True, status=Program.Status.PUBLISHED)
            .exclude(organization=organization)
            .order_by("pk")[: 2 - len(programs)]
        )
        for program in extra:
            program.organization = organization
            program.inquiry_email = CENTER_EMAIL
            program.save(update_fields=["organization", "inquiry_email"])
            programs.append(program)
    return programs


def create_inquiries(programs):
    if Inquiry.objects.filter(program__in=programs).exists():
        return 0
    now = timezone.now()
    for index, (name, message, method, days_ago, answered_after) in enumerate(SAMPLE_INQUIRIES):
        inquiry = inquiry_create(
            program=programs[index % len(programs)],
            data={
                "name": name,
                "email": f"family{index + 1}@example.org",
                "phone": f"(212) 555-01{index + 50}",
                "contact_method": method,
                "best_time": "any",
                "for_whom": "myself",
                "message": message,
            },
            idempotency_key=uuid.uuid4().hex,
        )
        created_at = now - timedelta(days=days_ago, hours=2)
        changes = {"created_at": created_at}
        if answered_after is not None:
            changes.update(
                status=Inquiry.Status.CONTACTED,
                opened_at=created_at + timedelta(hours=1),
                answered_at=created_at + timedelta(hours=answered_after),
            )
        Inquiry.objects.filter(pk=inquiry.pk).update(**changes)
    return len(SAMPLE_INQUIRIES)


def center_member():
    """The demo center user (not staff, verified address), a manager of the
    sample organization when it exists."""
    user, created = get_user_model().objects.get_or_create(
        username="center", defaults={"email": CENTER_EMAIL}
    )
    if created:
        user.set_unusable_password()  # reset_center_account() sets the printed one
    user.email = CENTER_EMAIL
    user.is_staff = user.is_superuser = False
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=CENTER_EMAIL, defaults={"verified": True, "primary": True}
    )
    organization = Organization.objects.filter(slug=ORG_SLUG).first()
    if organization:
        membership_add(user=user, organization=organization, role=Role.MANAGER)
    return user


def reset_center_account():
    """Create (or reset) the demo center user; returns the new password."""
    user = center_member()
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    return password
