"""The privacy page (updated by inquiries/migrations/0002) says what
happens to an inquiry, in plain words."""

import pytest

pytestmark = pytest.mark.django_db


def test_privacy_page_explains_inquiries(client, settings):
    html = client.get("/privacy/").content.decode()
    for promise in [
        "says only that an inquiry is waiting",
        "encrypted in our database",
        "every time anyone opens an inquiry, we record who and when",
        "delete it for good",
        f"{settings.INQUIRY_RETENTION_DAYS} days after it was sent",
        "does not repeat your message",
        "counted and thrown away, not saved",
    ]:
        assert promise in html, promise
