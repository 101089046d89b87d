"""Load the demo site: sample accounts for each role (and, as the directory
and content grow, sample programs and articles). Safe to run again."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_ACCOUNTS = [
    # username, e-mail, is_superuser, groups
    ("admin", "admin@example.org", True, []),
]


class Command(BaseCommand):
    help = "Load demo data and (re)set the demo accounts' passwords, printing them."

    def handle(self, *args, **options):
        self.stdout.write("Demo accounts (passwords are new each run):")
        for username, email, is_superuser, groups in DEMO_ACCOUNTS:
            password = self.reset_account(username, email, is_superuser, groups)
            self.stdout.write(f"  {username:<16} {password}")

    def reset_account(self, username, email, is_superuser, groups):
        from django.contrib.auth.models import Group

        user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email})
        user.is_staff = True
        user.is_superuser = is_superuser
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        for name in groups:
            user.groups.add(Group.objects.get(name=name))
        return password
