"""Browser fixtures: Debian's Chromium driven by Playwright.

Playwright's sync API runs an event loop in the test thread, which makes
Django refuse ORM calls there; the tests only touch the database between
browser calls, so that guard is lifted for this folder."""

import json
import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def migration_snapshot(django_db_setup, django_db_blocker):
    """The migrated database as serialized by the test runner, read before
    Playwright starts: with its event loop running, Django hands this thread
    a different connection object that lacks the snapshot."""
    from django.db import connection

    with django_db_blocker.unblock():
        return (
            getattr(connection, "_test_serialized_contents", None)
            or connection.creation.serialize_db_to_string()
        )


@pytest.fixture(scope="session")
def browser(migration_snapshot):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; CI must install it (apt-get install chromium).")
        pytest.skip(f"No Chromium at {CHROMIUM}: install Debian's chromium to run browser tests.")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    def run(page):
        results = Axe().run(
            page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
        )
        violations = results.response["violations"]
        assert violations == [], results.generate_report()

    return run


@pytest.fixture(autouse=True)
def migration_data(request):
    """Browser tests are transactional: the database is flushed after each,
    and serialized_rollback cannot restore it here (see migration_snapshot).
    Reload the migrated data (vocabularies, Wagtail's page tree) when a flush
    removed it, so every browser test starts from a migrated site."""
    if "live_server" not in request.fixturenames:
        return
    snapshot = request.getfixturevalue("migration_snapshot")
    request.getfixturevalue("_django_db_helper")
    from django.db import connection
    from wagtail.models import Page

    if snapshot and not Page.objects.exists():
        from django.contrib.contenttypes.models import ContentType
        from django.core.management import call_command

        # post_migrate re-created content types after the last flush; the
        # snapshot holds them with their original keys, so start empty. Load
        # content types first: saving other rows fires handlers (search
        # indexing) that would otherwise create them on the fly.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        ContentType.objects.clear_cache()
        rows = json.loads(snapshot)
        rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
        connection.creation.deserialize_db_from_string(json.dumps(rows))
        ContentType.objects.clear_cache()
        # Rows came back with their keys; move PostgreSQL's sequences past them.
        from django.apps import apps
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
