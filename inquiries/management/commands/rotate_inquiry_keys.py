from django.core.management.base import BaseCommand

from inquiries import services


class Command(BaseCommand):
    help = (
        "Re-encrypt every inquiry with the first key in INQUIRY_ENCRYPTION_KEYS. Put the new key first, "
        "keep the old ones after it, run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        count = services.inquiry_rotate_keys()
        self.stdout.write(f"re-encrypted {count} inquiries with the current key")
