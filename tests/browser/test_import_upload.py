"""Staff upload a facility file in the admin, at 390 px and at laptop
width: the job page shows the queued dry run, updates itself (with
JavaScript) or by its Refresh link (without) once `db_worker` has run it,
then "Apply this import" queues the import and its report downloads. axe on
every page. Tasks go through the real database backend and the worker runs
between browser steps; the test waits on what the page shows, never on a
fixed sleep."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from directory.models import ImportJob, Program
from tests.portal.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIXTURE = Path(__file__).parents[1] / "directory" / "fixtures" / "samhsa" / "i21upload_otp_directory.csv"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def queued_tasks(settings, tmp_path):
    settings.TASKS = DATABASE_TASKS
    settings.DIRECTORY_IMPORT_ROOT = tmp_path / "private-imports"


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def new_page(browser, width, *, javascript=True):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def sign_in(page, base, username):
    page.goto(base + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/admin/")


@pytest.mark.parametrize("width", [390, 1280])
def test_staff_upload_check_apply_and_download(live_server, browser, axe, width):
    UserFactory(username="staff", is_staff=True, is_superuser=True)
    base = live_server.url
    context, page = new_page(browser, width)
    try:
        sign_in(page, base, "staff")
        page.goto(base + "/admin/facility-imports/")
        axe(page)
        page.get_by_role("link", name="Upload a facility file").click()
        expect(page.get_by_role("heading", name="Upload a facility file")).to_be_visible()
        axe(page)
        page.get_by_label("Facility file").set_input_files(str(FIXTURE))
        page.get_by_role("button", name="Upload").click()

        # Queued: the page says so, offers Refresh, and its script polls.
        expect(page.locator("#import-status")).to_contain_text("Checking (dry run)")
        expect(page.get_by_role("link", name="Refresh")).to_be_visible()
        axe(page)
        job = ImportJob.objects.get()
        assert job.status == ImportJob.Status.CHECKING
        run_worker()
        apply_button = page.get_by_role("button", name="Apply this import")
        expect(apply_button).to_be_visible()  # the page reloaded itself when the dry run ended
        expect(page.get_by_text("Bayside Recovery Systems, LLC (Sample)").first).to_be_visible()
        axe(page)
        page.screenshot(path=f"var/import-dry-run-{width}.png")
        assert Program.objects.count() == 0

        apply_button.click()
        expect(page.locator("#import-status")).to_contain_text("Importing")
        run_worker()
        expect(page.get_by_role("heading", name="The import", exact=True)).to_be_visible()
        axe(page)
        assert Program.objects.count() == 3

        with page.expect_download() as download_info:
            page.get_by_role("link", name="Download the import report (CSV)").click()
        download = download_info.value
        assert download.suggested_filename == "i21upload_otp_directory-import-report.csv"
        assert "'=HYPERLINK" in Path(download.path()).read_text()
        if width == 390:
            page.screenshot(path="var/import-upload-390.png", full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_without_javascript_the_refresh_link_shows_progress(live_server, browser):
    """At laptop width: without scripts, Wagtail's own sidebar covers the
    page at phone width (the admin needs JavaScript there)."""
    UserFactory(username="staff", is_staff=True, is_superuser=True)
    base = live_server.url
    context, page = new_page(browser, 1280, javascript=False)
    try:
        sign_in(page, base, "staff")
        page.goto(base + "/admin/facility-imports/upload/")
        page.get_by_label("Facility file").set_input_files(str(FIXTURE))
        page.get_by_role("button", name="Upload").click()
        expect(page.locator("#import-status")).to_contain_text("Checking (dry run)")
        run_worker()
        page.get_by_role("link", name="Refresh").click()
        expect(page.get_by_role("button", name="Apply this import")).to_be_visible()
        expect(page.get_by_text(re.compile(r"Would have: created 3"))).to_be_visible()
    finally:
        context.close()
