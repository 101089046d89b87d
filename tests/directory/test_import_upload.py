"""Staff upload of facility files in the admin (issue 21): upload -> a dry
run in the task queue -> its summary and "Apply this import" -> the import
in the task queue -> the report CSV. Bad files get a clear message and a
4xx, never a 500, and write nothing. The admin path gives the same directory
as `manage.py import_facilities` on layered real-shaped files, in both
orders.

Tasks run immediately (test settings: ImmediateBackend) once the request's
transaction commits, so uploads run inside django_capture_on_commit_callbacks."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import task_backends

from config import csv_safe
from directory.importing import jobs
from directory.importing.codes import RELATION_MODELS
from directory.importing.formats import SAMHSA_ALIASES
from directory.models import ImportJob, Program
from tests.content.factories import UserFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "samhsa"
LAYERED = FIXTURES / "layered"
OTP = FIXTURES / "i21upload_otp_directory.csv"
TRUNCATED = FIXTURES / "i21upload_otp_truncated.csv"
NOT_FACILITIES = FIXTURES / "i21upload_not_facilities.csv"
GEOCODED_ID = FIXTURES / "i21upload_otp_geocoded_id.csv"
DEFERRING = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.DIRECTORY_IMPORT_ROOT = tmp_path / "private-imports"
    return settings.DIRECTORY_IMPORT_ROOT


@pytest.fixture
def importer(client):
    """Staff with the import permission only (not a superuser)."""
    user = UserFactory(username="importer")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="import_facilities"),
    )
    client.force_login(user)
    return user


def upload(client, path, *, name=None, content=None, **fields):
    data = {
        "file": SimpleUploadedFile(name or path.name, content if content is not None else path.read_bytes()),
        "format": "",
        "as_of": "",
        "check_first": "on",
        "columns-TOTAL_FORMS": "2",
        "columns-INITIAL_FORMS": "0",
        **fields,
    }
    return client.post(reverse("directory_import_upload"), data)


def job_url(job):
    return reverse("directory_import_job", args=[job.pk])


def apply(client, job):
    return client.post(job_url(job), {"action": "apply"})


def report_rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


# --- the whole flow ---------------------------------------------------------------


def test_upload_checks_first_then_applies_and_the_report_downloads(
    client, importer, django_capture_on_commit_callbacks, private_storage
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, OTP)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert job.status == ImportJob.Status.CHECKED and job.created_by == importer
    assert Program.objects.count() == 0  # a dry run writes nothing
    assert job.detected_format == "samhsa-otp"
    assert dict(job.dry_run_summary["counts"])["created"] == 3
    # Stored privately: under DIRECTORY_IMPORT_ROOT, not MEDIA_ROOT, with no URL.
    assert Path(job.file.path).is_relative_to(private_storage) and Path(job.file.path).name == OTP.name
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018

    page = client.get(job_url(job))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Apply this import" in html and "Bayside Recovery Systems" in html and "Created" in html
    assert "SAMHSA opioid treatment program (OTP) directory (detected)" in html

    with django_capture_on_commit_callbacks(execute=True):
        response = apply(client, job)
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED and job.applied_by == importer
    assert Program.objects.count() == 3
    assert dict(job.summary["counts"])["created"] == 3
    assert "Apply this import" not in client.get(job_url(job)).content.decode()

    download = client.get(reverse("directory_import_report", args=[job.pk, "import"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Content-Type"] == "text/csv"
    rows = report_rows(download)
    assert rows[0] == ["row", "status", "slug", "name", "external_id", "notes"]
    names = [row[3] for row in rows[1:]]
    # CSV-injection safe: a name starting with "=" is written as text.
    assert any(name.startswith("'=HYPERLINK") for name in names)
    assert all(csv_safe.escape_cell(name) == name for name in names)
    dry = client.get(reverse("directory_import_report", args=[job.pk, "dry-run"]))
    assert dry.status_code == 200 and dry["Content-Disposition"].startswith("attachment;")


def test_applying_twice_imports_once(client, importer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP)
    job = ImportJob.objects.get()
    with override_settings(TASKS=DEFERRING):
        with django_capture_on_commit_callbacks(execute=True):
            assert apply(client, job).status_code == 302
        again = apply(client, job)
        queued = [r for r in task_backends["default"].results if r.task.name == "import_job_apply_task"]
    assert again.status_code == 409 and "not waiting to be applied" in again.content.decode()
    assert len(queued) == 1 and queued[0].args == [job.pk] and queued[0].kwargs == {}


def test_task_arguments_are_the_job_id_only(client, importer, django_capture_on_commit_callbacks):
    with override_settings(TASKS=DEFERRING):
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, OTP)
        [queued] = task_backends["default"].results
    job = ImportJob.objects.get()
    assert queued.task.name == "import_job_check_task" and queued.args == [job.pk] and queued.kwargs == {}
    # Still queued: the page says so and offers a way to see progress without JavaScript.
    page = client.get(job_url(job)).content.decode()
    assert "Checking (dry run)" in page and ">Refresh</a>" in page and "import_job.js" in page


def test_unticked_dry_run_imports_at_once(client, importer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP, check_first="")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.APPLIED and not job.dry_run_summary
    assert Program.objects.count() == 3


def test_progress_is_written_to_the_job_while_it_runs(client, importer, django_capture_on_commit_callbacks):
    seen = []
    real = jobs._Progress.__call__

    def spy(self, done, total):
        real(self, done, total)
        job = ImportJob.objects.get(pk=self.job_id)
        seen.append((job.status, job.progress_done, job.progress_total))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jobs._Progress, "__call__", spy)
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, OTP)
    assert seen[-1] == (ImportJob.Status.CHECKING, 3, 3)


# --- who may import -----------------------------------------------------------------


def test_staff_without_the_permission_cannot_upload_or_download(client, django_capture_on_commit_callbacks):
    owner = UserFactory(username="owner", is_superuser=True, is_staff=True)
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP)
    job = ImportJob.objects.get()
    editor = UserFactory(username="listing-editor")
    editor.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="change_program"),
        Permission.objects.get(codename="add_program"),
    )
    client.force_login(editor)
    for url in [
        reverse("directory_imports"),
        reverse("directory_import_upload"),
        job_url(job),
        reverse("directory_import_report", args=[job.pk, "dry-run"]),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
    assert "Import facilities" not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.logout()
    response = client.get(reverse("directory_import_report", args=[job.pk, "dry-run"]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_menu_and_the_group_permission(client, importer, admin_client):
    assert "Import facilities" in client.get(reverse("wagtailadmin_home")).content.decode()
    group_page = admin_client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert "Can import facilities" in group_page


# --- bad input: a clear message, a 4xx, nothing written ----------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "The submitted file is empty"),
        ("blank.csv", b"\n \n", "the file is empty"),
        ("picture.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is not a text, CSV, JSON"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old Excel .xls workbook"),
        ("broken.json", b'{"rows": [', "the JSON is cut off"),
        ("broken2.json", b'{"rows": [}', "not valid JSON"),
        ("broken.xlsx", b"PK\x03\x04not really a workbook", "not a readable .xlsx workbook"),
    ],
)
def test_an_unreadable_file_is_refused_at_upload(client, importer, name, content, message, private_storage):
    response = upload(client, OTP, name=name, content=content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not any(p.is_file() for p in Path(private_storage).rglob("*"))  # not kept


def test_a_file_over_the_size_limit_is_refused(client, importer, settings):
    settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB = 1
    big = OTP.read_bytes() + b"x" * (3 * 1024 * 1024)
    response = upload(client, OTP, content=big)
    assert response.status_code == 413 and "larger than 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()

    with pytest.raises(jobs.ImportJobError, match="larger than 1 MB"):
        jobs.import_job_create(
            upload=SimpleUploadedFile("x.csv", b"x" * (1024 * 1024 + 1)),
            fmt="",
            columns={},
            as_of=None,
            check_first=True,
            user=importer,
        )


def test_a_file_that_is_not_a_facility_file_is_refused_by_the_dry_run(
    client, importer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, NOT_FACILITIES)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    page = client.get(job_url(job))
    assert page.status_code == 422
    html = page.content.decode()
    assert "no facility name column" in html and "Nothing was written" in html
    assert "Apply this import" not in html
    assert apply(client, job).status_code == 409
    assert Program.objects.count() == 0


def test_the_wrong_format_is_refused_with_a_message(client, importer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP, format="samhsa-json")
    job = ImportJob.objects.get()
    page = client.get(job_url(job))
    assert page.status_code == 422 and "it is a table" in page.content.decode()


def test_a_truncated_file_never_gives_a_500_and_a_refusal_writes_nothing(
    client, importer, django_capture_on_commit_callbacks
):
    """A file cut off inside a row is refused whole, naming the line, when
    its columns are read at upload: a 400 with the reason, nothing kept or written."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, TRUNCATED)
    assert response.status_code == 400
    assert "cut off" in response.content.decode() and "line" in response.content.decode()
    assert not ImportJob.objects.exists() and Program.objects.count() == 0


def test_a_refused_apply_keeps_the_dry_run_and_the_listings(
    client, importer, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP, check_first="")  # three listings already accepted
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP)
    job = ImportJob.objects.latest("pk")
    before = Program.objects.count()

    def refuse(*args, **kwargs):
        raise jobs.FormatError("Cannot read i21upload_otp_directory.csv: line 4 is cut short.")

    monkeypatch.setattr(jobs, "import_file", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "line 4 is cut short" in job.error
    assert job.dry_run_summary and Program.objects.count() == before
    page = client.get(job_url(job))
    assert page.status_code == 422 and "line 4 is cut short" in page.content.decode()


def test_an_unexpected_error_fails_the_job_without_a_500(
    client, importer, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(jobs, "import_file", crash)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, OTP)
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and f"import job {job.pk}" in job.error
    assert client.get(job_url(job)).status_code == 422
    [record] = [r for r in caplog.records if r.name == "directory.importing.jobs"]
    assert record.getMessage() == f"facility import job {job.pk} stopped on an unexpected error"


def test_unknown_report_or_job_is_a_404(client, importer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP)
    job = ImportJob.objects.get()
    assert client.get(reverse("directory_import_report", args=[job.pk, "import"])).status_code == 404
    assert client.get(reverse("directory_import_report", args=[job.pk, "other"])).status_code == 404
    assert client.get(reverse("directory_import_job", args=[job.pk + 1])).status_code == 404


# --- format and column mapping ------------------------------------------------------


def test_the_dry_run_offers_the_files_columns_to_map(client, importer, django_capture_on_commit_callbacks):
    """A geocoded OTP file whose names sit under `ID` is refused; staff map
    ID -> name and check again; the mapping and data date are kept on the job."""
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, GEOCODED_ID)
    job = ImportJob.objects.get()
    assert job.columns_found == [
        "ID",
        "Street",
        "City",
        "State",
        "Zipcode",
        "Phone",
        "Certification",
        "X",
        "Y",
    ]
    page = client.get(job_url(job))
    assert page.status_code == 422
    html = page.content.decode()
    assert "no facility name column" in html and '<option value="ID">ID</option>' in html
    assert '<option value="name">Name</option>' in html

    with override_settings(TASKS=DEFERRING):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                job_url(job),
                {
                    "action": "recheck",
                    "format": "samhsa-otp",
                    "as_of": "2025-09-01",
                    "columns-TOTAL_FORMS": "2",
                    "columns-INITIAL_FORMS": "0",
                    "columns-0-source": "ID",
                    "columns-0-field": "name",
                },
            )
        [queued] = [r for r in task_backends["default"].results if r.task.name == "import_job_check_task"]
    assert response.status_code == 302 and queued.args == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.CHECKING and job.error == ""
    assert job.columns == {"ID": "name"} and job.format == "samhsa-otp"
    assert job.as_of.isoformat() == "2025-09-01"
    assert jobs.import_arguments(job)["fmt"] == "samhsa-otp"
    assert jobs.import_arguments(job)["as_of"] == job.as_of  # the importer's data date


def test_a_mapping_must_be_whole_and_not_twice(client, importer, django_capture_on_commit_callbacks):
    fields = {"columns-TOTAL_FORMS": "2", "columns-0-source": "ID", "columns-0-field": ""}
    response = upload(client, OTP, **fields)
    assert response.status_code == 400 and "or neither" in response.content.decode()
    fields = {
        "columns-TOTAL_FORMS": "2",
        "columns-0-source": "ID",
        "columns-0-field": "name",
        "columns-1-source": "ID",
        "columns-1-field": "city",
    }
    response = upload(client, OTP, **fields)
    assert response.status_code == 400 and "mapped twice" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_column_mapping_given_at_upload_is_kept(client, importer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP, **{"columns-0-source": "DBA", "columns-0-field": "alternate_name"})
    job = ImportJob.objects.get()
    assert job.columns == {"DBA": "alternate_name"}
    assert "<code>DBA</code> &rarr; Second name (name2, DBA)" in client.get(job_url(job)).content.decode()


def test_the_mapping_targets_are_the_importers_fields():
    targets = [name for name, _ in jobs.MAPPING_TARGETS]
    assert set(SAMHSA_ALIASES) <= set(targets)
    assert all(label for _, label in jobs.MAPPING_TARGETS)


# --- the admin path gives what the command gives, on layered files ------------------

LAYER_FILES = [
    "nssats_2021.csv",
    "otp_directory_2022.csv",
    "locator_2023.json",
    "locator_export_2024.csv",
    "otp_directory_2025.csv",
]


def directory_state():
    """Every listing's imported fields and vocabulary links, by source id or name."""
    fields = ["name", "alternate_name", "street1", "street2", "city", "state", "zip_code", "phone"]
    fields += ["intake_phone", "hotline_phone", "website", "otp_certified", "status"]
    return sorted(
        (
            tuple(getattr(p, name) for name in fields),
            tuple(
                sorted(
                    (rel, tuple(sorted(getattr(p, rel).values_list("slug", flat=True))))
                    for rel in RELATION_MODELS
                )
            ),
        )
        for p in Program.objects.all()
    )


class Rollback(Exception):
    pass


@pytest.mark.parametrize("order", ["oldest first", "newest first"])
def test_layered_uploads_give_what_the_command_gives(
    client, importer, django_capture_on_commit_callbacks, order, tmp_path
):
    files = LAYER_FILES if order == "oldest first" else LAYER_FILES[::-1]
    try:
        with transaction.atomic():
            for name in files:
                call_command(
                    "import_facilities",
                    str(LAYERED / name),
                    "--report",
                    str(tmp_path / "r.csv"),
                    stdout=io.StringIO(),
                )
            expected = directory_state()
            raise Rollback
    except Rollback:
        pass
    assert Program.objects.count() == 0 and expected

    for name in files:
        with django_capture_on_commit_callbacks(execute=True):
            upload(client, LAYERED / name)
        job = ImportJob.objects.latest("pk")
        assert job.status == ImportJob.Status.CHECKED, (name, job.error)
        with django_capture_on_commit_callbacks(execute=True):
            apply(client, job)
        job.refresh_from_db()
        assert job.status == ImportJob.Status.APPLIED, (name, job.error)
    assert directory_state() == expected


# --- old files are deleted ------------------------------------------------------------


def test_old_uploads_and_reports_are_deleted_and_the_summary_stays(
    client, importer, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, OTP)
    job = ImportJob.objects.get()
    paths = [Path(job.file.path), Path(job.dry_run_report.path)]
    assert all(path.is_file() for path in paths)

    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert "of 0 import(s)" in out.getvalue() and all(path.is_file() for path in paths)

    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(days=settings.DIRECTORY_IMPORT_RETENTION_DAYS + 1)
    )
    call_command("purge_import_files", stdout=out)
    assert "of 1 import(s)" in out.getvalue()
    assert not any(path.exists() for path in paths)
    job.refresh_from_db()
    assert not job.file and not job.dry_run_report and job.files_deleted_at
    assert job.dry_run_summary  # the summary stays
    page = client.get(job_url(job)).content.decode()
    assert "deleted" in page and "Check again" not in page and "Download the dry-run report" not in page
    assert client.get(reverse("directory_import_report", args=[job.pk, "dry-run"])).status_code == 404
    # Applying after the file is gone fails cleanly.
    with django_capture_on_commit_callbacks(execute=True):
        apply(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "upload it again" in job.error


def test_the_upload_still_checks_csrf(importer):
    """The size check runs before the CSRF check (which reads the body);
    the CSRF check still runs for every upload within the limit."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(importer)
    response = upload(client, OTP)
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_the_data_date_given_at_upload_is_the_provenance_date(
    client, importer, django_capture_on_commit_callbacks
):
    from directory.models import FieldProvenance

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, LAYERED / "locator_2023.json", as_of="2024-05-01", check_first="")
    stamps = [stamp for row in FieldProvenance.objects.all() for stamp in row.fields.values()]
    assert stamps and {stamp["as_of"] for stamp in stamps} == {"2024-05-01"}


def test_a_column_mapping_given_at_upload_reaches_the_importer(
    client, importer, django_capture_on_commit_callbacks
):
    """The geocoded OTP file names its programs under ID: refused as it is,
    read with ID -> name (the same mapping as the command's --column)."""
    fields = {"columns-0-source": "ID", "columns-0-field": "name", "check_first": ""}
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, GEOCODED_ID, format="samhsa-otp", **fields)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.APPLIED, job.error
    assert job.columns == {"ID": "name"} and Program.objects.exists()
