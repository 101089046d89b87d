from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Center portal"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import program_page, signals

        signals.connect()
        program_page.register()
