"""Every aria-describedby, aria-labelledby and label "for" on the public
pages a family walks (and the center's listing form) names an element that
exists on that page, with and without errors shown: a reference to a
missing id is silently dropped by screen readers, so a field's hint or
error is never read with it (issue 27: the inquiry form pointed at
id_name_helptext / id_name_error while its elements were id_name-hint /
id_name-error)."""

from http import HTTPStatus

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from tests.inquiries.conftest import post_data
from tests.portal.factories import center

pytestmark = pytest.mark.django_db

REFERENCES = ("aria-describedby", "aria-labelledby", "aria-controls")


def missing_references(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    ids = {element["id"] for element in soup.find_all(id=True)}
    missing = []
    for attribute in REFERENCES:
        for element in soup.find_all(attrs={attribute: True}):
            missing += [f"{attribute}={name}" for name in element[attribute].split() if name not in ids]
    for label in soup.find_all("label", attrs={"for": True}):
        if label["for"] not in ids:
            missing.append(f"label for={label['for']}")
    return missing


@pytest.fixture
def listing():
    _user, _org, (program, _) = center()
    program.inquiry_email = "intake@example.org"
    program.save()
    return program


def pages(client, listing):
    yield "/", client.get("/")
    yield "/find/", client.get("/find/")
    yield "/find/ with a bad place", client.get("/find/?location=Qwxzv%20Nowhere")
    yield "/find/terms/", client.get("/find/terms/")
    yield "program page", client.get(listing.get_absolute_url())
    create = reverse("inquiries:create", kwargs={"slug": listing.slug})
    yield "inquiry sent back with errors", client.post(create, post_data(name="", email="not-an-email"))
    report = reverse("directory:report_problem", kwargs={"slug": listing.slug})
    yield "report a problem", client.get(report)
    yield "report sent back with errors", client.post(report, {"kind": "", "details": ""})
    yield "site search", client.get("/search/?q=detox")
    yield "site search, too long", client.get("/search/?q=" + "x" * 300)


def test_public_pages_reference_only_ids_they_have(client, listing):
    found = {}
    for name, response in pages(client, listing):
        assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, name
        if missing := missing_references(response.content.decode()):
            found[name] = missing
    assert found == {}


def test_the_listing_form_references_only_ids_it_has(client):
    user, _org, (program, _) = center()
    client.force_login(user)
    url = reverse("portal:listing_edit", kwargs={"slug": program.slug})
    assert missing_references(client.get(url).content.decode()) == []
    sent_back = client.post(url, {"phone": "call us", "website": "nowhere"})
    assert missing_references(sent_back.content.decode()) == []
