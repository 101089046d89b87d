"""The inquiry form carries the search the family came from (a hidden field)
to the thank-you page, whose "Nearby programs accepting new clients" keep
that search's care filters (issue 27); it is never stored with the inquiry."""

import re
from http import HTTPStatus

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import escape

from directory.models import Medication, PaymentOption, Program
from directory.search import search_context
from inquiries.models import Inquiry
from tests.directory.factories import ProgramFactory
from tests.inquiries.conftest import post_data

pytestmark = pytest.mark.django_db
SEARCH = "location=10001&medication=methadone&payment=medicaid"
YES = Program.Accepting.YES


@pytest.fixture
def neighbours(program):
    program.levels_of_care.set([])
    program.medications.set(Medication.objects.filter(slug="methadone"))
    program.payment_options.set(PaymentOption.objects.filter(slug="medicaid"))
    zip_code = program.zip_code
    ProgramFactory(name="Naltrexone Only (Sample)", zip_code=zip_code, accepting_clients=YES,
                   medications=["naltrexone"], payment_options=["medicaid"])  # fmt: skip
    ProgramFactory(name="Cash Only (Sample)", zip_code=zip_code, accepting_clients=YES,
                   medications=["methadone"], payment_options=["cash"])  # fmt: skip
    ProgramFactory(name="Right Fit (Sample)", zip_code=zip_code, accepting_clients=YES,
                   medications=["methadone"], payment_options=["medicaid"])  # fmt: skip
    return program


def nearby_section(html):
    return html[html.index('id="nearby-heading"') :]


def test_the_thank_you_page_suggests_only_what_the_search_would_find(client, neighbours):
    context = search_context(QueryDict(SEARCH))
    page = client.get(neighbours.get_absolute_url() + context.link_query).content.decode()
    assert f'<input type="hidden" name="search" value="{escape(context.query_string)}">' in page
    response = client.post(
        reverse("inquiries:create", args=[neighbours.slug]), post_data(search=context.query_string)
    )
    assert response["Location"] == reverse("inquiries:thanks") + context.link_query
    nearby = nearby_section(client.get(response["Location"]).content.decode())
    assert "Right Fit (Sample)" in nearby
    assert "Naltrexone Only" not in nearby and "Cash Only" not in nearby
    right_fit = Program.objects.get(name="Right Fit (Sample)").get_absolute_url()
    assert f'href="{right_fit}{context.link_query}"' in nearby
    inquiry = Inquiry.objects.get()
    stored = " ".join(str(getattr(inquiry, field.attname)) for field in Inquiry._meta.concrete_fields)
    assert "medicaid" not in stored and "methadone" not in stored


def test_without_a_search_the_thank_you_page_suggests_as_before(client, neighbours):
    response = client.post(reverse("inquiries:create", args=[neighbours.slug]), post_data())
    assert response["Location"] == reverse("inquiries:thanks")
    nearby = nearby_section(client.get(response["Location"]).content.decode())
    assert all(name in nearby for name in ["Right Fit", "Naltrexone Only", "Cash Only"])


def test_a_form_sent_back_with_errors_keeps_the_search(client, neighbours):
    context = search_context(QueryDict(SEARCH))
    response = client.post(
        reverse("inquiries:create", args=[neighbours.slug]), post_data(name="", search=context.query_string)
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    html = response.content.decode()
    assert f'<input type="hidden" name="search" value="{escape(context.query_string)}">' in html
    back = re.search(r'<a href="([^"]+)">Back to', html)[1]
    assert back == neighbours.get_absolute_url() + context.link_query
