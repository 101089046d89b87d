"""Facility imports staff start in the admin (an ImportJob): the uploaded
file is kept in private storage (directory.models.PrivateImportStorage),
checked by a dry run in the task queue, and applied in the task queue when
staff press "Apply this import". The work is import_file's, the same as
`manage.py import_facilities`; this module only runs it for a job, records
progress, the summary and the report, and deletes old files.

Task arguments are the job's id only (directory/tasks.py)."""

import contextlib
import logging
import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone

from directory.models import ImportJob

from . import STATUSES, ImportReport, import_file
from .formats import FORMATS, MAPPABLE_FIELDS, FormatError, file_columns

logger = logging.getLogger(__name__)

PERMISSION = "directory.import_facilities"  # ImportJob.Meta.permissions; superusers have it
ROWS_SHOWN = 20  # rows of each kind the job page shows; the rest are in the report
UNKNOWN_SHOWN = 30

# What a file's column can be mapped to: our field names (formats.SAMHSA_ALIASES)
# plus the N-SSATS codes column and the OTP directory's certification column.
FIELD_LABELS = {
    "external_id": "Source id (frid)",
    "name": "Name",
    "alternate_name": "Second name (name2, DBA)",
    "street1": "Street",
    "street2": "Street, second line",
    "city": "City",
    "state": "State",
    "zip_code": "ZIP code",
    "county": "County",
    "phone": "Phone",
    "intake_phone": "Intake phone",
    "hotline_phone": "Hotline phone",
    "website": "Website",
    "latitude": "Latitude",
    "longitude": "Longitude",
    "type_facility": "Facility type",
    "codes": "Service codes (space-separated)",
    "certification": "OTP certification",
}
MAPPING_TARGETS = [(name, FIELD_LABELS.get(name, name)) for name in MAPPABLE_FIELDS]  # the command's --column
FORMAT_LABELS = {
    "samhsa-json": "SAMHSA locator JSON",
    "samhsa-csv": "SAMHSA locator CSV export",
    "samhsa-otp": "SAMHSA opioid treatment program (OTP) directory",
    "nssats": "N-SSATS / N-SUMHSS national directory",
    "findcare-json": "This site's own export (JSON)",
    "findcare-csv": "This site's own export (CSV)",
}
FORMAT_CHOICES = [(fmt, FORMAT_LABELS.get(fmt, fmt)) for fmt in FORMATS]


class ImportJobError(Exception):
    """The upload or the action cannot be accepted (shown to staff as is)."""


def can_import(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


def max_upload_bytes() -> int:
    return settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def import_arguments(job: ImportJob) -> dict:
    """import_file's keyword arguments for a job, besides dry_run and
    progress: the format, the column mapping and the data date (None: what
    the file says, else the day it was uploaded)."""
    return {"fmt": job.format or None, "columns": job.columns or None, "as_of": job.as_of}


def import_job_create(*, upload, fmt: str, columns: dict, as_of, check_first: bool, user) -> ImportJob:
    """Store the upload privately and create its job (the caller queues the
    task after commit). A file that cannot be read at all (empty, binary,
    old .xls, broken .xlsx or JSON) is refused and not kept."""
    if upload.size > max_upload_bytes():
        raise ImportJobError(
            f"The file is larger than {settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB} MB; "
            "import it with manage.py import_facilities."
        )
    now = timezone.now()
    job = ImportJob(
        file_name=os.path.basename(upload.name)[:255],
        file_size=upload.size,
        format=fmt or "",
        columns=columns,
        as_of=as_of,
        check_first=check_first,
        status=ImportJob.Status.CHECKING if check_first else ImportJob.Status.APPLYING,
        created_by=user,
        applied_by=None if check_first else user,
        applied_at=None if check_first else now,
    )
    job.file.save(job.file_name, upload, save=False)
    try:
        job.columns_found = file_columns(Path(job.file.path))
    except (FormatError, OSError) as exc:
        _delete_file(job.file)
        raise ImportJobError(_reason(exc, job.file_name)) from exc
    job.save()
    return job


def import_job_recheck(*, job: ImportJob, fmt: str, columns: dict, as_of) -> None:
    """New format, mapping or data date for a job not yet applied: check again."""
    updated = ImportJob.objects.filter(
        pk=job.pk, status__in=[ImportJob.Status.CHECKED, ImportJob.Status.FAILED], applied_at__isnull=True
    ).update(
        format=fmt or "",
        columns=columns,
        as_of=as_of,
        status=ImportJob.Status.CHECKING,
        error="",
        progress_done=0,
        progress_total=0,
    )
    if not updated or not job.file:
        raise ImportJobError("This import can no longer be checked again: upload the file again.")
    job.refresh_from_db()


def import_job_apply(*, job: ImportJob, user) -> None:
    """Staff pressed "Apply this import" on a checked job. Only once, even
    when the button is pressed twice (the status changes in one UPDATE)."""
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.APPLYING,
        applied_by=user,
        applied_at=timezone.now(),
        progress_done=0,
        progress_total=0,
        error="",
    )
    if not updated:
        raise ImportJobError("This import is not waiting to be applied (it may be running or done already).")
    job.refresh_from_db()


class _Progress:
    """import_file's progress callback: writes the counts to the job at most
    once a second (and at the end), outside the import's transaction."""

    def __init__(self, job_id: int, every: float = 1.0):
        self.job_id, self.every, self.last = job_id, every, 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < self.every:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job_id).update(progress_done=done, progress_total=total)


def import_job_run(job_id: int, *, dry_run: bool) -> str:
    """Run a job's dry run or real import (the task queue calls this).
    Returns the job's new status. A job not in the expected state (a task
    run twice, or a job already done) is left alone."""
    expected = ImportJob.Status.CHECKING if dry_run else ImportJob.Status.APPLYING
    job = ImportJob.objects.filter(pk=job_id, status=expected).first()
    if job is None:
        return ""
    if not job.file:
        return _fail(job, "The uploaded file was deleted; upload it again.")
    try:
        report = import_file(
            Path(job.file.path), dry_run=dry_run, progress=_Progress(job.pk), **import_arguments(job)
        )
    except (FormatError, OSError) as exc:
        return _fail(job, _reason(exc, job.file_name))
    except Exception:
        logger.exception("facility import job %s stopped on an unexpected error", job.pk)
        return _fail(job, f"The import stopped on an unexpected error (logged as import job {job.pk}).")
    job.detected_format = report.format
    job.finished_at = timezone.now()
    job.progress_done = job.progress_total = len(report.outcomes)
    if dry_run:
        job.dry_run_summary = summarize(report)
        _save_report(job.dry_run_report, report, f"{Path(job.file_name).stem}.dry-run.report.csv")
        job.status = ImportJob.Status.CHECKED
    else:
        job.summary = summarize(report)
        _save_report(job.report, report, f"{Path(job.file_name).stem}.report.csv")
        job.status = ImportJob.Status.APPLIED
    job.save()
    return job.status


def _fail(job: ImportJob, message: str) -> str:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )
    return ImportJob.Status.FAILED


def _reason(exc: Exception, file_name: str) -> str:
    if isinstance(exc, FormatError):
        return str(exc)
    return f"Cannot read {file_name}: {getattr(exc, 'strerror', None) or exc}."


def _save_report(field, report: ImportReport, name: str) -> None:
    """The report CSV (config.csv_safe, one line per row) into private storage."""
    old = field.name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        report.write(path)
        with path.open("rb") as handle:
            field.save(name, File(handle), save=False)
    if old:
        field.storage.delete(old)


def _outcome_row(outcome) -> dict:
    return {
        "row": outcome.row,
        "status": outcome.status,
        "name": outcome.name,
        "slug": outcome.slug,
        "notes": "; ".join(outcome.notes),
    }


def summarize(report: ImportReport) -> dict:
    """What the job page shows: a few lines whatever the file's size (the
    report CSV has every row)."""
    counts = report.counts
    order = [*STATUSES, *sorted(set(counts) - set(STATUSES))]
    return {
        "line": report.summary(),
        "format": report.format,
        "rows": len(report.outcomes),
        "counts": [[status, counts[status]] for status in order],
        "file_notes": report.file_notes[:ROWS_SHOWN],
        "unknown": [[label, n] for label, n in report.unknown.most_common(UNKNOWN_SHOWN)],
        "unknown_distinct": len(report.unknown),
        "unknown_total": sum(report.unknown.values()),
        "merges": report.merges[:ROWS_SHOWN],
        "changes": [_outcome_row(o) for o in report.outcomes if o.status == "updated"][:ROWS_SHOWN],
        "first_rows": [_outcome_row(o) for o in report.outcomes[:ROWS_SHOWN]],
    }


def _delete_file(field) -> None:
    """Delete a stored file and the folder import_upload_to made for it."""
    if not field.name:
        return
    path = Path(field.path)
    field.storage.delete(field.name)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when empty


def import_files_purge(*, days: int | None = None, now=None) -> int:
    """Delete the uploaded files and reports of jobs older than `days`
    (DIRECTORY_IMPORT_RETENTION_DAYS); the jobs and their summaries stay.
    A job still waiting for the queue by then is marked failed."""
    days = settings.DIRECTORY_IMPORT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    purged = 0
    for job in ImportJob.objects.filter(created_at__lt=cutoff, files_deleted_at__isnull=True):
        for field in (job.file, job.dry_run_report, job.report):
            _delete_file(field)
        changes = {"file": "", "dry_run_report": "", "report": "", "files_deleted_at": timezone.now()}
        if job.running:
            changes.update(status=ImportJob.Status.FAILED, error=f"The file was deleted after {days} days.")
        ImportJob.objects.filter(pk=job.pk).update(**changes)
        purged += 1
    return purged
