from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Center portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here: these modules use models, which load after the app configs.
        from inquiries import recipients as inquiry_recipients

        from . import merging, program_page, recipients, review_evidence, signals

        signals.connect()
        merging.connect()
        inquiry_recipients.register(recipients.PortalRecipients())
        program_page.register()
        review_evidence.register()
