import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_for_treatment_centers_page_describes_the_portal_and_links_to_it(client):
    page = client.get("/for-treatment-centers/").content.decode()
    assert "Is this your program? Claim it" in page
    assert f'href="{reverse("account_login")}"' in page
    assert f'href="{reverse("account_signup")}"' in page
    assert "never a number typed into the claim" in page
    # Every link on it resolves.
    for path in ("/for-centers/account/signup/", "/for-centers/account/login/", "/find/"):
        assert client.get(path).status_code == 200, path
