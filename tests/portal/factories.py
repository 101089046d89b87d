"""Factories for portal tests: center users have a verified allauth email
address, so they can sign in to the portal."""

import itertools

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from portal.models import Membership, Role
from tests.directory.factories import OrganizationFactory, ProgramFactory

PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"center{n}")
    email = factory.Sequence(lambda n: f"center{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MANAGER

    class Meta:
        model = Membership


# Full numbers (the edit form checks a phone number the center changes back
# to), 555-0101..0149 like ProgramFactory's: tests change them to 0150 and up.
CENTER_PHONES = (n % 49 + 1 for n in itertools.count())


def center(role=Role.MANAGER, programs=2):
    """A user, their organization and its published programs."""
    membership = MembershipFactory(role=role)
    listing = [
        ProgramFactory(organization=membership.organization, phone=f"(212) 555-01{next(CENTER_PHONES):02d}")
        for _ in range(programs)
    ]
    return membership.user, membership.organization, listing


def make_inquiry(program, name="Sam (Sample)", message="Asking about outpatient care.", **data):
    """An inquiry made through the inquiries service, so it is encrypted."""
    import uuid

    from inquiries.services import inquiry_create

    fields = {
        "name": name,
        "email": "sam@example.org",
        "phone": "555-010-0177",
        "contact_method": "phone",
        "best_time": "morning",
        "for_whom": "myself",
        "message": message,
        **data,
    }
    return inquiry_create(program=program, data=fields, idempotency_key=uuid.uuid4().hex)
