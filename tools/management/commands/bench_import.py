"""manage.py bench_import --rows 20000: how long importing a SAMHSA-sized
file takes on this machine and database. Writes a synthetic locator JSON
file, imports it, imports it again (nothing changes), then rolls back
unless --keep is given."""

import hashlib
import json
import random
import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from directory import geo
from directory.importing import import_file

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

    def handle(self, *args, rows=20_000, keep=False, **options):
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
