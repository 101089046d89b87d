import pytest
from django.core.cache import cache

from directory.models import Program
from directory.search import freshness
from tests.directory.factories import ProgramFactory

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
    return ProgramFactory(
        name="Harbor Recovery (Sample)",
        status=Program.Status.PUBLISHED,
        inquiry_email="intake@example.org",
        phone="555-0100",
        intake_phone="555-0101",
    )


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
