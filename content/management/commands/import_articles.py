"""manage.py import_articles PATH...: Markdown or plain-text files become
draft articles under /learn/ for editors to review and submit."""

from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from content.importing import parse_article
from content.models import ArticleIndexPage
from content.services import ImportSkipped, article_create_draft, import_link_target


class Command(BaseCommand):
    help = "Import Markdown or plain-text files as draft articles (never published)."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files to import (.md, .markdown or .txt).")
        parser.add_argument("--user", help="Username recorded as the drafts' owner.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report without saving.")

    def handle(self, *args, paths, user=None, dry_run=False, **options):
        parent = ArticleIndexPage.objects.order_by("path").first()
        if parent is None:
            raise CommandError("There is no article index page (/learn/): run migrations first.")
        owner = self.get_user(user)
        failed = 0
        for path in paths:
            try:
                self.import_file(Path(path), parent, owner, dry_run)
            except (OSError, UnicodeDecodeError, ImportSkipped) as error:
                failed += 1
                self.stderr.write(f"{path}: skipped: {error}")
        if failed:
            raise CommandError(f"{failed} of {len(paths)} files were not imported.")

    def get_user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named “{username}”.") from None

    def import_file(self, path, parent, owner, dry_run):
        parsed = parse_article(path.read_text(encoding="utf-8"), resolve_link=import_link_target)
        counts = Counter(block_type for block_type, _ in parsed.blocks)
        summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        byline = f"; author: {parsed.author}" if parsed.author else ""
        dated = f"; dated {parsed.date.isoformat()}" if parsed.date else ""
        if dry_run:
            self.stdout.write(f"{path}: would import “{parsed.title}” ({summary}{byline}{dated})")
        else:
            article = article_create_draft(parsed=parsed, parent=parent, user=owner)
            edit_url = reverse("wagtailadmin_pages:edit", args=[article.pk])
            self.stdout.write(f"{path}: draft “{article.title}” ({summary}{byline}{dated}): {edit_url}")
        for note in parsed.notes:
            self.stdout.write(f"  note: {note}")
