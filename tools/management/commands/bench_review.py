"""Times the listing change review (directory/review/admin_views.py) and the
center's portal pages through the real views, in-process with every
middleware: a center's phone change is submitted, then a reviewer opens its
review page and approves it, ROUNDS times; and ROUNDS times the member opens
the portal dashboard, the listing's edit page and the inbox, and taps an
availability button. Emails go to the database task queue (as in production), not sent
during the request. Prints server time per step; cleans up what it made.
Run on a loaded database (load_demo, or an import) for "demo scale"."""

import os
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from directory.models import Organization, Program
from directory.review.workflow import program_submit_changes
from portal.models import Membership

BENCH_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    "ALLOWED_HOSTS": ["testserver"],
}
REVIEWERS = "Listing reviewers"


class Command(BaseCommand):
    help = "Time the listing change review, its Approve and the center's portal pages (server time)."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=10)

    def handle(self, *args, rounds, **options):
        users = get_user_model().objects
        organization = Organization.objects.create(
            name="Benchmark Review Center (Sample)", slug="bench-review"
        )
        member = users.create_user("bench-review-member", email="bench-review-member@example.org")
        Membership.objects.create(user=member, organization=organization, role="manager")
        reviewer = users.create_user("bench-review-reviewer", email="bench-review-reviewer@example.org")
        reviewer.groups.add(Group.objects.get(name=REVIEWERS))
        program = Program.objects.create(
            organization=organization,
            name="Benchmark Review Program (Sample)", slug="bench-review-program", city="Nashville",
            state="TN", zip_code="37203", inquiry_email="bench-review@example.org", is_sample=True,
            status=Program.Status.PUBLISHED, source=Program.Source.DEMO, phone="(615) 555-0100",
        )  # fmt: skip
        queued_before = set(DBTaskResult.objects.values_list("pk", flat=True))
        try:
            with override_settings(**BENCH_SETTINGS):
                self.run_rounds(program, member, reviewer, rounds)
        finally:
            # The emails it queued (to its own example.org accounts) are not for a worker.
            DBTaskResult.objects.exclude(pk__in=queued_before).filter(status="READY").delete()
            program.delete()
            member.delete()
            reviewer.delete()
            organization.delete()

    def run_rounds(self, program, member, reviewer, rounds):
        client = Client()
        client.force_login(reviewer)
        url = reverse("directory_listing_review", args=[program.pk])
        page, approve, queries = [], [], {"page": 0, "approve": 0}
        cpu = {"page": [], "approve": []}  # this process's CPU time: what a busy machine does not add
        for n in range(rounds):
            program.refresh_from_db()
            phone = f"(615) 555-01{(n % 98) + 1:02d}"
            if phone == program.phone:
                phone = "(615) 555-0199"
            program_submit_changes(program=program, data={"phone": phone}, user=member)
            program.refresh_from_db()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                page.append((time.perf_counter() - started) * 1000)
                cpu["page"].append((time.process_time() - started_cpu) * 1000)
            queries["page"] = len(captured.captured_queries)
            assert response.status_code == 200 and b"Approve</button>" in response.content  # noqa: S101
            data = {"decision": "approve", "revision": program.latest_revision_id, "comment": ""}
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.post(url, data)
                approve.append((time.perf_counter() - started) * 1000)
                cpu["approve"].append((time.process_time() - started_cpu) * 1000)
            queries["approve"] = len(captured.captured_queries)
            assert response.status_code == 302, response.status_code  # noqa: S101
            program.refresh_from_db()
            assert program.phone == phone  # noqa: S101
        rows = [("review page (GET)", "page", page), ("approve (POST)", "approve", approve)]
        rows += self.run_portal_rounds(program, member, rounds, queries, cpu)
        listings = Program.objects.count()
        for label, key, timings in rows:
            self.stdout.write(
                f"{label}: median {statistics.median(timings):.0f} ms, max {max(timings):.0f} ms "
                f"over {rounds}, {queries[key]} queries, Python CPU median "
                f"{statistics.median(cpu[key]):.0f} ms ({listings} listings)"
            )
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        self.stdout.write(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")

    def run_portal_rounds(self, program, member, rounds, queries, cpu):
        """The center member's pages: (label, key, timings) rows."""
        client = Client()
        client.force_login(member)
        org = program.organization.slug
        steps = [
            ("portal dashboard (GET)", "dashboard", "get", reverse("portal:dashboard"), None),
            ("listing edit (GET)", "edit", "get", reverse("portal:listing_edit", args=[program.slug]), None),
            ("inbox (GET)", "inbox", "get", reverse("portal:inbox", args=[org]), None),
            (
                "availability tap (POST)",
                "availability",
                "post",
                reverse("portal:listing_availability", args=[program.slug]),
                "accepting",
            ),
        ]
        timings = {key: [] for _, key, *_ in steps}
        for n in range(rounds):
            for _label, key, method, url, field in steps:
                data = {field: ("yes", "no")[n % 2], "return_to": "dashboard"} if field else None
                cpu.setdefault(key, [])
                with CaptureQueriesContext(connection) as captured:
                    started, started_cpu = time.perf_counter(), time.process_time()
                    response = client.post(url, data) if method == "post" else client.get(url)
                    timings[key].append((time.perf_counter() - started) * 1000)
                    cpu[key].append((time.process_time() - started_cpu) * 1000)
                queries[key] = len(captured.captured_queries)
                expected = 302 if method == "post" else 200
                assert response.status_code == expected, (url, response.status_code)  # noqa: S101
        return [(label, key, timings[key]) for label, key, *_ in steps]
