"""Load the demo site: sample accounts for each role, sample programs and
sample articles. Safe to run again: existing demo data is kept and only the
demo accounts' passwords are reset (and printed)."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

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
        # Each app contributes its own demo data; see directory/demo.py and
        # content/demo.py once they exist.
        for loader in self.loaders():
            loader(stdout=self.stdout, listings=listings)
        self.stdout.write("Demo accounts (passwords are new each run):")
        for username, email, is_superuser, groups in DEMO_ACCOUNTS:
            password = reset_account(username, email, is_superuser, groups)
            self.stdout.write(f"  {username:<18} {password}")
        self.center_account()

    def center_account(self):
        """The center portal's demo user (not staff: signs in at /for-centers/)."""
        from portal.demo import CENTER_EMAIL, reset_center_account

        password = reset_center_account()
        self.stdout.write(
            f"  {CENTER_EMAIL:<18} {password}  (center portal: /for-centers/, sign in with the email)"
        )

    def loaders(self):
        import importlib

        found = []
        for module_name in ("directory.demo", "content.demo", "portal.demo", "guide.demo"):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            found.append(module.load)
        return found


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
