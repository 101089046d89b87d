"""manage.py import_facilities FILE: load SAMHSA locator data or the
project's own export. The work is in directory.importing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.importing import dates, import_file
from directory.importing.formats import FORMATS, MAPPABLE_FIELDS, FormatError


class Command(BaseCommand):
    help = (
        "Import facilities from a SAMHSA locator JSON or CSV, the SAMHSA OTP directory (CSV, .xlsx "
        "or its HTML 'Excel' download), the N-SSATS directory, or this site's own export. "
        "Re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=FORMATS, help="Default: detected from the file.")
        parser.add_argument("--dry-run", action="store_true", help="Check and count, write nothing.")
        parser.add_argument(
            "--report", type=Path, help="Write one CSV line per row: what happened and why. "
            "Default: FILE.report.csv beside the file."
        )  # fmt: skip
        parser.add_argument(
            "--as-of", type=as_of_date, help="The date of the file's data (YYYY-MM-DD). Default: what the "
            "file says, else its modification date. An older file never replaces newer values."
        )  # fmt: skip
        parser.add_argument(
            "--include-mental-health", action="store_true",
            help="Import locator rows of mental-health-only facilities unpublished (default: not imported).",
        )  # fmt: skip
        parser.add_argument(
            "--otp-partial", action="store_true",
            help="The OTP directory file is not SAMHSA's whole list: do not flag certified OTPs it "
            "leaves out as 'not in the latest OTP directory'.",
        )  # fmt: skip
        parser.add_argument(
            "--column", action="append", default=[], metavar="COLUMN=FIELD",
            help="Read the file's COLUMN as FIELD (repeatable), e.g. --column ID=name "
            f"--column POSTAL=zip_code. Fields: {', '.join(MAPPABLE_FIELDS)}.",
        )  # fmt: skip

    def handle(self, *args, file, format=None, dry_run=False, report=None, as_of=None, column=(), **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        columns = parse_columns(column)
        progress = ProgressBar(self.stdout) if self.stdout.isatty() else None
        try:
            result = import_file(
                file,
                fmt=format,
                dry_run=dry_run,
                progress=progress,
                as_of=as_of,
                columns=columns,
                include_mental_health=options.get("include_mental_health", False),
                otp_partial=options.get("otp_partial", False),
            )
        except FormatError as exc:
            raise CommandError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}") from exc
        if progress:
            progress.finish()
        report = report or file.with_name(f"{file.name}.report.csv")
        result.write(report)
        # A few lines whatever the file's size: each row's details (merges,
        # fixes, flags) are in the report only.
        for note in result.file_notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(f"Data date: {result.as_of} ({result.as_of_how})")
        self.stdout.write(result.summary())
        for line in result.summary_notes():
            self.stdout.write(self.style.WARNING(line))
        if result.identity_summary():
            self.stdout.write(result.identity_summary())
            for line in [*result.matches, *result.reviews][:IDENTITY_LINES]:
                self.stdout.write(f"  {line}")
        for notice in result.notices():
            self.stdout.write(self.style.WARNING(notice))
        if result.unknown:
            self.stdout.write(self.style.WARNING(result.unknown_summary()))
        self.stdout.write(f"Report: {report}")


IDENTITY_LINES = 20  # the rest is in the report


def as_of_date(text: str):
    try:
        return dates.parse(text)
    except dates.DateError as exc:
        raise CommandError(f"--as-of: {exc}") from exc


def parse_columns(pairs) -> dict[str, str]:
    """['ID=name', 'POSTAL=zip_code'] -> {'ID': 'name', 'POSTAL': 'zip_code'}."""
    columns = {}
    for pair in pairs:
        source, equals, target = str(pair).rpartition("=")
        if not equals or not source.strip() or not target.strip():
            raise CommandError(f"--column {pair!r}: write it as COLUMN=FIELD, e.g. --column ID=name.")
        if source.strip() in columns:
            raise CommandError(f"--column: {source.strip()!r} is mapped twice.")
        columns[source.strip()] = target.strip()
    return columns


class ProgressBar:
    """A one-line bar, redrawn at most a hundred times."""

    def __init__(self, stream, width: int = 40):
        self.stream, self.width, self.last = stream, width, -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if percent == self.last:
            return
        self.last = percent
        filled = self.width * percent // 100
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% {done}/{total}", ending=""
        )
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("", ending="\n")
        sys.stdout.flush()
