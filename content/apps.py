from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Content"

    def ready(self):
        # Here, not at the top: config.site_url imports Wagtail's Site model,
        # which needs the app registry this method runs after.
        from config.site_url import sync_site_on_migrate

        # Site-wide (config/site_url.py), connected by the app that owns the
        # site's pages: config has no AppConfig of its own.
        post_migrate.connect(sync_site_on_migrate, sender=self, dispatch_uid="content.sync_site_on_migrate")
