from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "Which care do I need? guide"

    def ready(self):
        # Here, once the models are loaded: signals -> promo -> models.
        from . import signals  # noqa: F401
