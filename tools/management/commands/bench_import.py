"""manage.py bench_import --rows 20000: how long importing a SAMHSA-sized
file takes on this machine and database. Writes a synthetic locator JSON
file, imports it, imports it again (nothing changes), then rolls back
unless --keep is given.

manage.py bench_import --size-mb 50 [--shape csv|json]: memory instead. Writes
a file of that size in the locator export's shape (the CSV: name, address
and contact columns plus one 0/1 column per service code; or the JSON),
streamed to disk, imports it twice (created, then unchanged) and prints the
process's peak resident memory (getrusage) before and after each import."""

import csv
import hashlib
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import override_settings

from directory import geo
from directory.importing import import_file
from directory.importing.codes import code_table

SERVICE_CHOICES = [
    ("SET", "Service Setting", [
        "Outpatient", "Intensive outpatient treatment", "Residential detoxification",
        "Short-term residential",
        "Hospital inpatient detoxification", "Outpatient day treatment or partial hospitalization",
        "Long-term residential",
    ]),
    ("TC", "Type of Care", [
        "Substance use treatment", "Detoxification", "Transitional housing, halfway house, or sober home",
    ]),
    ("PAY", "Payment/Insurance/Funding Accepted", [
        "Medicaid", "Medicare", "Private health insurance", "Cash or self-payment",
        "Federal military insurance (TRICARE)",
    ]),
    ("PYAS", "Payment Assistance Available", [
        "Sliding fee scale", "Payment assistance (check with facility)",
    ]),
    ("OM", "Opioid Medications used in Treatment", [
        "Methadone used in treatment", "Buprenorphine used in treatment", "Naltrexone used in treatment",
    ]),
    ("AGE", "Age Groups Accepted", ["Adults", "Young adults", "Seniors", "Children/adolescents"]),
    ("SG", "Special Programs/Groups", ["Veterans", "Adult women", "Adult men", "Experienced trauma"]),
    ("SL", "Language Services", ["Spanish", "Sign language (deaf/hard of hearing)"]),
    ("LCA", "License/Certification/Accreditation", ["CARF", "The Joint Commission"]),
    ("DETOX", "Detoxification Services", ["Alcohol Detoxification", "Opioids Detoxification",
                                          "Benzodiazepines Detoxification"]),
    ("TAP", "Treatment Approaches", ["Cognitive behavioral therapy", "Motivational interviewing",
                                     "Telemedicine/telehealth therapy", "12-step facilitation"]),
    ("GN", "Gender Accepted", ["Female", "Male"]),
    ("FOP", "Facility Operation", ["Private non-profit organization", "Private for-profit organization"]),
    ("SCR", "Screening & Testing", ["Drug or alcohol urine screening", "HIV testing"]),
    ("AS", "Ancillary Services", ["Self-help groups", "Mentoring/peer support", "Housing services"]),
]  # fmt: skip


class Command(BaseCommand):
    help = "Time an import of a synthetic SAMHSA locator file (rolled back unless --keep)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=20_000)
        parser.add_argument("--keep", action="store_true", help="Keep the imported programs.")
        parser.add_argument(
            "--size-mb", type=float, help="Measure peak memory importing a file of about this size instead."
        )
        parser.add_argument("--shape", choices=["csv", "json"], default="csv", help="With --size-mb.")

    def handle(self, *args, rows=20_000, keep=False, size_mb=None, shape="csv", **options):
        if size_mb:
            return self.memory(size_mb=size_mb, shape=shape, keep=keep)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "locator.json"
            started = time.perf_counter()
            write_locator_file(path, rows=rows)
            seconds = time.perf_counter() - started
            self.stdout.write(f"Wrote {rows:,} rows in {seconds:.1f} s; database: {connection.vendor}")
            with transaction.atomic():
                for label in ("first import", "re-import"):
                    started = time.perf_counter()
                    report = import_file(path)
                    seconds = time.perf_counter() - started
                    rate = rows / seconds
                    self.stdout.write(
                        f"{label:<13} {seconds:6.1f} s  {rate:8,.0f} rows/s  {report.summary()}"
                    )
                if not keep:
                    transaction.set_rollback(True)
        self.stdout.write("Kept the imported programs." if keep else "Rolled back.")

    def memory(self, *, size_mb: float, shape: str, keep: bool) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"locator.{shape}"
            started = time.perf_counter()
            rows = write_sized_file(path, size_mb=size_mb, shape=shape)
            seconds = time.perf_counter() - started
            size = path.stat().st_size / 1e6
            self.stdout.write(f"Wrote {size:.1f} MB ({rows:,} rows, {shape}) in {seconds:.1f} s")
            self.stdout.write(f"database: {connection.vendor}")
            before = peak_rss_mb()
            # As in production: DEBUG's log of every SQL statement would hold
            # each bulk insert's text (tens of MB) and be counted as the import's.
            with override_settings(DEBUG=False), transaction.atomic():
                for label in ("first import", "re-import"):
                    started = time.perf_counter()
                    report = import_file(path)
                    seconds = time.perf_counter() - started
                    self.stdout.write(f"{label:<13} {seconds:6.1f} s  {report.summary()}")
                    self.stdout.write(
                        f"peak memory (RSS): {before:.0f} MB before, {peak_rss_mb():.0f} MB after"
                    )
                    del report
                if not keep:
                    transaction.set_rollback(True)
        self.stdout.write("Kept the imported programs." if keep else "Rolled back.")


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (ru_maxrss: kB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def write_sized_file(path: Path, *, size_mb: float, shape: str, seed: int = 5) -> int:
    """A locator export of about size_mb megabytes, written row by row (the
    usual problems sprinkled in as in write_locator_file). Returns the rows."""
    rng = random.Random(seed)
    zips = [info for info in geo.zip_table().values() if info.zip_type == "STANDARD"]
    limit = int(size_mb * 1e6)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        if shape == "csv":
            table = code_table()
            codes = sorted(code.lower() for code in table.labels)
            writer = csv.writer(handle)
            columns = [*LOCATOR_COLUMNS, *codes]
            writer.writerow(columns)
            while handle.tell() < limit:
                row = locator_row(rng, n, rng.choice(zips))
                have = {
                    code.lower()
                    for item in row["services"]
                    for label in item["f3"].split("; ")
                    for code in table.codes_for_label(label, item["f2"]) or ()
                }
                cells = [row[c] for c in LOCATOR_COLUMNS] + ["1" if c in have else "0" for c in codes]
                writer.writerow(cells)
                if rng.random() < 0.005:
                    writer.writerow(cells)
                n += 1
        else:
            handle.write('{"page": 1, "totalPages": 1, "rows": [')
            while handle.tell() < limit:
                handle.write(("," if n else "") + json.dumps(locator_row(rng, n, rng.choice(zips))))
                n += 1
            handle.write("]}")
    return n


LOCATOR_COLUMNS = [
    "frid", "name1", "name2", "street1", "street2", "city", "state", "zip", "phone", "intake1", "hotline1",
    "website", "latitude", "longitude", "type_facility",
]  # fmt: skip


def write_locator_file(path: Path, *, rows: int, seed: int = 3) -> None:
    """A locator-shaped file with the usual problems sprinkled in: 1% each
    ZIP+4, placeholder phones, swapped and missing coordinates, and 0.5%
    duplicate rows."""
    rng = random.Random(seed)
    zips = [info for info in geo.zip_table().values() if info.zip_type == "STANDARD"]
    out = []
    for n in range(rows):
        row = locator_row(rng, n, rng.choice(zips))
        out.append(row)
        if rng.random() < 0.005:
            out.append(dict(row))
    path.write_text(json.dumps({"page": 1, "totalPages": 1, "recordCount": len(out), "rows": out}))


def locator_row(rng, n: int, info: geo.ZipInfo) -> dict:
    lat = f"{info.latitude + rng.uniform(-0.02, 0.02):.6f}"
    lng = f"{info.longitude + rng.uniform(-0.02, 0.02):.6f}"
    problem = rng.random()
    if 0.02 <= problem < 0.03:
        lat, lng = lng, lat
    elif 0.03 <= problem < 0.04:
        lat = lng = ""
    return {
        "frid": hashlib.sha256(f"bench-{n}".encode()).hexdigest(),  # 64 characters, like SAMHSA's
        "name1": f"Recovery Center {n}",
        "name2": "",
        "street1": f"{rng.randint(1, 9999)} Main Street",
        "street2": "",
        "city": info.city,
        "state": info.state,
        "zip": info.zip_code + ("-1234" if problem < 0.01 else ""),
        "phone": "(999) 999-9999"
        if 0.01 <= problem < 0.02
        else f"{rng.randint(201, 989)}-555-{n % 10000:04d}",
        "intake1": "",
        "hotline1": "",
        "website": f"https://center{n}.example.org" if rng.random() < 0.8 else "",
        "latitude": lat,
        "longitude": lng,
        "type_facility": "SA",
        "services": [
            {"f1": title, "f2": code, "f3": "; ".join(pick(rng, labels))}
            for code, title, labels in SERVICE_CHOICES
            if rng.random() < 0.7
        ],
    }


def pick(rng, labels: list[str]) -> list[str]:
    return rng.sample(labels, rng.randint(1, min(3, len(labels))))
