"""directory/program_page.py: how apps built on the directory add to its
public program page without the directory knowing them."""

import re
from http import HTTPStatus
from pathlib import Path

import pytest

from directory import program_page
from tests.directory.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "directory" / "templates"
BUILT_ON_DIRECTORY = ("portal", "inquiries", "content", "guide")


def test_the_installed_apps_parts_are_on_the_page(client):
    program = ProgramFactory(inquiry_email="intake@example.org")
    page = client.get(program.get_absolute_url()).content.decode()
    assert 'class="claim-link"' in page  # portal, "end"
    # Nobody at the program reads inquiries here (no center member): inquiries'
    # phone-first note, then portal's "claim this listing to receive them", "contact".
    assert 'class="inquiry-note"' in page
    assert 'class="claim-inquiries"' in page


def test_a_failing_part_leaves_the_rest_of_the_page(client, monkeypatch, caplog):
    def broken(program):
        raise RuntimeError("portal database hiccup")

    slot = program_page._parts["end"]
    template, _provider = slot[0]
    monkeypatch.setitem(program_page._parts, "end", [(template, broken)])
    program = ProgramFactory()
    response = client.get(program.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert program.name in response.content.decode()
    assert 'class="claim-link"' not in response.content.decode()
    assert "the portal/program_page/claim.html part failed" in caplog.text


def test_a_failing_view_receiver_leaves_the_page(client, monkeypatch):
    def broken(sender, program, **kwargs):
        raise RuntimeError("counter down")

    program_page.program_page_viewed.connect(broken, dispatch_uid="test.broken")
    try:
        program = ProgramFactory()
        assert client.get(program.get_absolute_url()).status_code == HTTPStatus.OK
    finally:
        program_page.program_page_viewed.disconnect(dispatch_uid="test.broken")


def test_unknown_slots_are_refused():
    with pytest.raises(ValueError, match="Unknown program page slot"):
        program_page.add_part("sidebar", "x.html", lambda program: {})


def test_directory_templates_name_no_app_built_on_it():
    """No {% load %} of their tag libraries, no {% url %} of their views."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for app in BUILT_ON_DIRECTORY:
            if re.search(rf"{{%\s*url\s+['\"]{app}:", text) or re.search(
                rf"{{%\s*load\b[^%]*\b{app[:-1] if app.endswith('s') else app}\w*_tags", text
            ):
                found.append((path.name, app))
    assert found == []
