from cryptography.fernet import InvalidToken
from django.core.management.base import BaseCommand, CommandError

from inquiries import services


class Command(BaseCommand):
    help = (
        "Re-encrypt every inquiry with the first key in INQUIRY_ENCRYPTION_KEYS. Put the new key first, "
        "keep the old ones after it, run this, then remove the old keys."
    )

    def handle(self, *args, **options):
        try:
            count = services.inquiry_rotate_keys()
        except InvalidToken:
            raise CommandError(
                "A stored inquiry cannot be decrypted with any configured key. Put the old key back "
                "(after the new one) in INQUIRY_ENCRYPTION_KEYS and run this again."
            ) from None
        self.stdout.write(f"re-encrypted {count} inquiries with the current key")
