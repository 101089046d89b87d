"""Shows that sending an inquiry never waits on the mail server: POSTs the
form through the real view with the database task backend and a mail
backend that takes 5 seconds, prints the POST timings, then runs the worker
and prints how long the delivery took. Cleans up what it created."""

import statistics
import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test import Client, override_settings
from django.urls import reverse

from directory.models import Organization, Program
from inquiries.forms import new_form_token
from inquiries.models import Inquiry
from portal.models import Membership

BENCH_SETTINGS = {
    "TASKS": {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}},
    "EMAIL_BACKEND": "tools.mail_backends.SlowEmailBackend",
    "RATELIMIT_ENABLE": False,
    "ALLOWED_HOSTS": ["testserver"],
}


class Command(BaseCommand):
    help = "Time inquiry POSTs with the database task backend and a mail server that takes 5 s."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, rounds, **options):
        # A joined listing (an active center member reads its inbox): the
        # only kind that takes inquiries.
        organization = Organization.objects.create(
            name="Benchmark Center (Sample)", slug="benchmark-center-sample"
        )
        user = get_user_model().objects.create_user("benchmark-center", email="bench-member@example.org")
        Membership.objects.create(user=user, organization=organization)
        program = Program.objects.create(
            organization=organization,
            name="Benchmark Program (Sample)", slug="benchmark-program-sample", city="Seattle", state="WA",
            zip_code="98101", inquiry_email="bench@example.org", status=Program.Status.PUBLISHED,
            is_sample=True, source=Program.Source.DEMO, phone="555-0199",
        )  # fmt: skip
        try:
            with override_settings(**BENCH_SETTINGS):
                self.run_rounds(program, rounds)
        finally:
            Inquiry.objects.filter(program=program).delete()
            program.delete()
            user.delete()
            organization.delete()

    def run_rounds(self, program, rounds):
        client = Client()
        url = reverse("inquiries:create", args=[program.slug])
        timings = []
        for _ in range(rounds):
            data = {
                "name": "Bench", "email": "bench-family@example.org", "contact_method": "email",
                "best_time": "any", "for_whom": "myself", "message": "Benchmark", "consent": "on",
                "form_token": new_form_token(now=time.time() - 60),
            }  # fmt: skip
            started = time.perf_counter()
            response = client.post(url, data)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 302, response.status_code  # noqa: S101
        queued = Inquiry.objects.filter(program=program, delivery_state=Inquiry.Delivery.PENDING).count()
        self.stdout.write(
            f"POST (mail server takes 5 s): median {statistics.median(timings):.0f} ms, "
            f"max {max(timings):.0f} ms over {rounds}; {queued} queued, none sent during the request"
        )
        started = time.perf_counter()
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
        sent = Inquiry.objects.filter(program=program, delivery_state=Inquiry.Delivery.SENT).count()
        self.stdout.write(f"worker: {sent} delivered in {time.perf_counter() - started:.1f} s")
