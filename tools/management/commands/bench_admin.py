"""Benchmark the Wagtail admin pages editors use most, on the demo data.

    DEBUG=0 manage.py load_demo && DEBUG=0 manage.py bench_admin [--rounds 15]

Logs in as the demo editor ("editor", made if missing) with Django's test
client (the full middleware and template stack, in this process: the time
is server time, no network) and times GET of: the edit page of the live
article with the most references, the pages explorer of /learn/, the
dashboard (with its "Awaiting your review" and "Medical reviews past due"
panels) and the workflows report; then, with a draft copy of that article
(a new article, never published) submitted to the Article review workflow
by the editor, its edit page and the dashboard as the second demo editor
("editor2"), who reviews it. The copy is deleted afterwards (the workflow's
emails go to an in-memory outbox). Prints
p50/p95/max milliseconds and the SQL queries of one request per page,
after one warm-up request each, and the p50 of the CPU time the request
took in this thread (what the server does, whatever else runs on the
machine: on a busy machine the wall time mostly measures waiting for a
core). Refuses to run with DEBUG on (template debugging and query logging
distort every figure). Figures are for this machine; see docs/benchmarks.md."""

import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from content.models import ArticleIndexPage, ArticlePage

BENCH_SETTINGS = {
    "ALLOWED_HOSTS": ["testserver"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Time the admin's article edit page, explorer, dashboard and workflows report as an editor."

    def add_arguments(self, parser):
        parser.add_argument("--rounds", type=int, default=15)
        parser.add_argument("--user", default="editor", help="An editor's username (default: editor).")
        parser.add_argument("--reviewer", default="editor2", help="A second editor (default: editor2).")

    def handle(self, *args, rounds, user, reviewer, **options):
        if settings.DEBUG:
            raise CommandError("Run with DEBUG=0: debug templates and query logging distort the figures.")
        if rounds < 1:
            raise CommandError("--rounds must be at least 1.")
        editor, second = self.editor(user), self.editor(reviewer)
        article = (
            ArticlePage.objects.live()
            .annotate(references_count=Count("references"))
            .order_by("-references_count", "pk")
            .first()
        )
        learn = ArticleIndexPage.objects.live().order_by("path").first()
        if article is None or learn is None:
            raise CommandError("No live article: run manage.py load_demo first.")
        pages = {
            f"article edit ({article.title[:40]})": reverse("wagtailadmin_pages:edit", args=[article.pk]),
            "pages explorer (/learn/)": reverse("wagtailadmin_explore", args=[learn.pk]),
            "dashboard": reverse("wagtailadmin_home"),
            "workflows report": reverse("wagtailadmin_reports:workflow"),
        }
        with override_settings(**BENCH_SETTINGS):
            client = Client()
            client.force_login(editor)
            self.stdout.write(
                f"{ArticlePage.objects.live().count()} live articles; as {editor.get_username()}; "
                f"{rounds} rounds after 1 warm-up"
            )
            self.stdout.write(
                f"{'page':<52} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'CPU p50':>7} {'queries':>8}"
            )
            for label, url in pages.items():
                self.time_page(client, label, url, rounds)
            self.in_review(article, editor, second, rounds)

    def in_review(self, article, editor, second, rounds):
        workflow = article.get_workflow()
        if workflow is None:
            raise CommandError("No workflow on /learn/: run migrate.")
        draft = article.copy(
            update_attrs={"title": f"{article.title} (benchmark copy)", "slug": f"{article.slug}-bench-copy"},
            keep_live=False,
            user=editor,
            log_action=None,
        ).specific
        try:
            draft.save_revision(user=editor)
            workflow.start(draft, editor)
            client = Client()
            client.force_login(second)
            label = f"new article edit, in review, as {second.get_username()}"
            self.time_page(client, label, reverse("wagtailadmin_pages:edit", args=[draft.pk]), rounds)
            label = f"dashboard as {second.get_username()}"
            self.time_page(client, label, reverse("wagtailadmin_home"), rounds)
        finally:
            draft.delete()

    def editor(self, username):
        found = get_user_model().objects.filter(username=username, is_active=True).first()
        if found is not None:
            return found
        email = f"{username}@example.org"
        editor = get_user_model().objects.create_user(username, email=email, is_staff=True)
        editor.groups.add(Group.objects.get(name="Editors"))
        return editor

    def time_page(self, client, label, url, rounds):
        response = client.get(url)  # warm-up: caches, content types, templates
        if response.status_code != 200:
            raise CommandError(f"{label}: {url} answered {response.status_code}")
        timings, cpu = [], []
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_count = len(queries)
        for _ in range(rounds):
            started, started_cpu = time.perf_counter(), time.thread_time()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.thread_time() - started_cpu) * 1000)
        self.stdout.write(
            f"{label:<52} {statistics.median(timings):>7.0f} {percentile(timings, 0.95):>7.0f} "
            f"{max(timings):>7.0f} {statistics.median(cpu):>7.0f} {query_count:>8}"
        )
