import pytest
from django.core.cache import cache

from directory.models import Program
from directory.search import freshness
from tests.directory.factories import ProgramFactory
from tests.portal.factories import MembershipFactory

CANARY = "Zq9canaryXw7"


@pytest.fixture(autouse=True)
def fresh_state():
    freshness.reset()
    cache.clear()
    yield
    freshness.reset()
    cache.clear()


@pytest.fixture
def program(db):
    """A joined listing: an active center member reads its FindCare inbox
    (the only kind that takes inquiries), and it has an inquiry address."""
    return joined_program(
        name="Harbor Recovery (Sample)",
        status=Program.Status.PUBLISHED,
        inquiry_email="intake@example.org",
        phone="555-0100",
        intake_phone="555-0101",
    )


@pytest.fixture
def unjoined_program(db):
    """A listing with an inquiry address and no center member: it takes no
    new inquiries, but one already stored is delivered as before (the
    address is told to claim the listing to read it)."""
    return ProgramFactory(
        name="Quay Recovery (Sample)",
        status=Program.Status.PUBLISHED,
        inquiry_email="intake@example.org",
        phone="555-0100",
        intake_phone="555-0101",
    )


def joined_program(**fields):
    member = MembershipFactory(user__email="member@example.org")
    return ProgramFactory(organization=member.organization, **fields)


def inquiry_data(**overrides):
    data = {
        "name": "Sam",
        "email": "sam@example.org",
        "phone": "",
        "contact_method": "email",
        "best_time": "any",
        "for_whom": "myself",
        "message": "I would like to know about outpatient care.",
    }
    data.update(overrides)
    return data


def post_data(program_name="", token=None, **overrides):
    """A complete, valid form POST (token shown 10 seconds ago)."""
    import time

    from inquiries.forms import new_form_token

    data = inquiry_data()
    data.update(consent="on", fax_extension="", form_token=token or new_form_token(now=time.time() - 10))
    data.update(overrides)
    return data
