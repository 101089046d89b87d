"""Staff upload of facility files, inside the Wagtail admin (Wagtail wraps
these views in its admin-access check; the import permission is checked
here). Upload -> a dry run in the task queue -> its summary and "Apply this
import" -> the real import in the task queue -> the report CSV. The work is
in jobs.py; these views only read forms, queue tasks and render."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from directory.models import ImportJob
from directory.tasks import import_job_apply_task, import_job_check_task

from . import jobs
from .forms import ImportOptionsForm, UploadForm, mapping_formset

JOBS_LISTED = 50
# Headroom for the multipart envelope and the other fields around the file.
REQUEST_OVERHEAD = 1024 * 1024


def _require_permission(request):
    if not jobs.can_import(request.user):
        raise PermissionDenied


def _queue(task, job: ImportJob) -> None:
    """After commit, so the worker finds the job; the job's id only."""
    transaction.on_commit(lambda: task.enqueue(job.pk))


def import_index(request):
    _require_permission(request)
    recent = ImportJob.objects.select_related("created_by")[:JOBS_LISTED]
    return render(request, "directory/admin/import_index.html", {"jobs": recent})


@csrf_exempt  # checked by _upload, once the size is known to be acceptable
def import_upload(request):
    """A file over the limit is refused from its Content-Length, before
    anything reads the body (the CSRF check would read it into a temporary
    file)."""
    _require_permission(request)
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if request.method == "POST" and length > jobs.max_upload_bytes() + REQUEST_OVERHEAD:
        context = {
            "form": UploadForm(),
            "mapping": mapping_formset(),
            "page_error": f"The file is larger than {settings.DIRECTORY_IMPORT_MAX_UPLOAD_MB} MB; "
            "import it with manage.py import_facilities.",
        }
        return render(request, "directory/admin/import_upload.html", context, status=413)
    return _upload(request)


@csrf_protect
def _upload(request):
    if request.method != "POST":
        context = {"form": UploadForm(), "mapping": mapping_formset()}
        return render(request, "directory/admin/import_upload.html", context)
    form, mapping = UploadForm(request.POST, request.FILES), mapping_formset(request.POST)
    if form.is_valid() and mapping.is_valid():
        data = form.cleaned_data
        try:
            job = jobs.import_job_create(
                upload=data["file"],
                fmt=data["format"],
                columns=mapping.mapping(),
                as_of=data["as_of"],
                check_first=data["check_first"],
                user=request.user,
            )
        except jobs.ImportJobError as error:
            form.add_error("file", str(error))
        else:
            _queue(import_job_check_task if job.check_first else import_job_apply_task, job)
            return redirect("directory_import_job", pk=job.pk)
    context = {"form": form, "mapping": mapping}
    return render(request, "directory/admin/import_upload.html", context, status=400)


def import_job(request, pk):
    _require_permission(request)
    job = get_object_or_404(ImportJob.objects.select_related("created_by", "applied_by"), pk=pk)
    options, mapping, status = None, None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "apply":
                jobs.import_job_apply(job=job, user=request.user)
                _queue(import_job_apply_task, job)
                messages.success(request, f"Importing {job.file_name}: this page shows its progress.")
                return redirect("directory_import_job", pk=job.pk)
            if action == "recheck":
                options = ImportOptionsForm(request.POST)
                mapping = mapping_formset(request.POST, columns=job.columns_found, mapping=job.columns)
                if options.is_valid() and mapping.is_valid():
                    data = options.cleaned_data
                    jobs.import_job_recheck(
                        job=job, fmt=data["format"], columns=mapping.mapping(), as_of=data["as_of"]
                    )
                    _queue(import_job_check_task, job)
                    return redirect("directory_import_job", pk=job.pk)
                status = 400
            else:
                status = 400
                messages.error(request, "Unknown action.")
        except jobs.ImportJobError as error:
            messages.error(request, str(error))
            status = 409
    elif job.status == ImportJob.Status.FAILED:
        status = 422  # the file was refused: the page says why
    can_recheck = job.status in {ImportJob.Status.CHECKED, ImportJob.Status.FAILED} and not job.applied_at
    if can_recheck and options is None:
        options = ImportOptionsForm(initial={"format": job.format, "as_of": job.as_of})
        mapping = mapping_formset(columns=job.columns_found, mapping=job.columns)
    labels = dict(jobs.MAPPING_TARGETS)
    context = {
        "job": job,
        "options": options if can_recheck and job.file else None,
        "mapping": mapping,
        "format_label": _format_label(job),
        "mapping_rows": [(source, labels.get(field, field)) for source, field in job.columns.items()],
    }
    return render(request, "directory/admin/import_job.html", context, status=status)


def _format_label(job: ImportJob) -> str:
    if job.format:
        return f"{jobs.FORMAT_LABELS.get(job.format, job.format)} (chosen)"
    if job.detected_format:
        return f"{jobs.FORMAT_LABELS.get(job.detected_format, job.detected_format)} (detected)"
    return "Detected from the file"


REPORTS = {"dry-run": "dry_run_report", "import": "report"}


def import_job_report(request, pk, kind):
    """The report CSV, as a download (written with config.csv_safe)."""
    _require_permission(request)
    job = get_object_or_404(ImportJob, pk=pk)
    field = getattr(job, REPORTS.get(kind, ""), None)
    if not field:
        raise Http404("No such report.")
    name = f"{Path(job.file_name).stem}-{kind}-report.csv"
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type="text/csv")
    response["Cache-Control"] = "private, no-store"
    return response
