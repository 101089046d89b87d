from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        from .site_url import sync_site_on_migrate

        post_migrate.connect(sync_site_on_migrate, sender=self, dispatch_uid="content.sync_site_on_migrate")
