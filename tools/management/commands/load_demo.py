"""Load the demo site: sample accounts for each role, sample programs and
sample articles. Safe to run again: existing demo data is kept and only the
demo accounts' passwords are reset (and printed)."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from tools.demo import content as content_demo
from tools.demo import directory as directory_demo
from tools.demo import guide as guide_demo
from tools.demo import portal as portal_demo
from tools.demo.portal import CENTER_EMAIL, reset_center_account

# username, email, is_superuser, group names
DEMO_ACCOUNTS = [
    ("admin", "admin@example.org", True, []),
    ("editor", "editor@example.org", False, ["Editors"]),
    # A second editor: no one approves their own submission (four eyes).
    ("editor2", "editor2@example.org", False, ["Editors"]),
    ("siteeditor", "siteeditor@example.org", False, ["Site editors"]),
    ("reviewer", "reviewer@example.org", False, ["Medical reviewers"]),
]


class Command(BaseCommand):
    help = "Load demo data and (re)set the demo accounts' passwords, printing them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--listings", type=int, default=None, help="Number of sample programs (default: a few hundred)."
        )

    def handle(self, *args, listings=None, **options):
        # The demo inquiries send emails (printed by the development console
        # backend); their links use SITE_URL, whatever port serves the site.
        self.stdout.write(
            f"Links in emails use SITE_URL={settings.SITE_URL} (set SITE_URL to the address "
            "that serves the site: `make run PORT=8131` sets it to http://127.0.0.1:8131)."
        )
        # Each app's demo data has its own module in tools/demo/.
        for loader in self.loaders():
            loader(stdout=self.stdout, listings=listings)
        self.stdout.write("Demo accounts (passwords are new each run):")
        for username, email, is_superuser, groups in DEMO_ACCOUNTS:
            password = reset_account(username, email, is_superuser, groups)
            self.stdout.write(f"  {username:<18} {password}")
        self.center_account()

    def center_account(self):
        """The center portal's demo user (not staff: signs in at /for-centers/)."""
        password = reset_center_account()
        self.stdout.write(
            f"  {CENTER_EMAIL:<18} {password}  (center portal: /for-centers/, sign in with the email)"
        )

    def loaders(self):
        """In order: programs first (the portal's center takes some, the
        content's site-search index covers them), then articles, the center,
        and the guide (which links to the articles)."""
        return [directory_demo.load, content_demo.load, portal_demo.load, guide_demo.load]


def reset_account(username, email, is_superuser, groups):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
    user.is_staff = True
    user.is_superuser = is_superuser
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save()
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return password
