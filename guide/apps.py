from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = "Which care do I need? guide"

    def ready(self):
        from . import signals  # noqa: F401
