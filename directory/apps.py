from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "Treatment directory"

    def ready(self):
        from . import signals  # noqa: F401  (connects at import)
        from .review import signals as review_signals

        review_signals.connect()
