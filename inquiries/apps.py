from django.apps import AppConfig
from django.conf import settings

from .crypto import parse_keys


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Inquiries"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Without valid INQUIRY_ENCRYPTION_KEYS no inquiry can be stored or
        # read: every process (server, worker, manage.py) refuses to start,
        # with parse_keys' message, rather than fail at the first inquiry.
        parse_keys(settings.INQUIRY_ENCRYPTION_KEYS)

        from . import merging, program_page  # use models: loaded once the registry is ready

        program_page.register()
        merging.connect()
