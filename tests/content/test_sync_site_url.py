import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site


@pytest.mark.django_db
def test_sync_site_url_sets_the_public_host(client):
    with override_settings(SITE_URL="https://findcare.example.org"):
        call_command("sync_site_url", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("findcare.example.org", 443)
    assert site.root_url == "https://findcare.example.org"
