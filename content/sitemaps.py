"""/sitemap.xml is a sitemap index; its pages (/sitemap-pages.xml,
/sitemap-programs.xml?p=N) list every live page (Wagtail's sitemap) and every
published directory program, at most ProgramSitemap.limit (10,000) URLs a
page, under the Wagtail site's root URL. Cached for SITEMAP_CACHE_SECONDS."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Max
from django.urls import NoReverseMatch
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from directory.models import Program

SITEMAP_CACHE_SECONDS = 60 * 60


class ProgramSitemap(PageSitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        programs = Program.objects.published().only("slug", "updated_at").order_by("pk")
        first = programs.first()
        try:
            first and first.get_absolute_url()
        except NoReverseMatch:  # the directory has no program pages yet
            return []
        return programs

    def location(self, program):
        # One reverse() per page, not per program: 10,000 of them cost ~0.3 s.
        if not hasattr(self, "_url_prefix"):
            self._url_prefix = program.get_absolute_url().removesuffix(f"{program.slug}/")
        return f"{self._url_prefix}{program.slug}/"

    def lastmod(self, program):
        return program.updated_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item (100,000 programs)
        # for the index; one aggregate instead.
        return Program.objects.published().aggregate(latest=Max("updated_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        # The same scheme and host as the page URLs, whatever host was asked.
        root = urlsplit(self.get_wagtail_site().root_url)
        return DjangoSitemap._urls(self, page, root.scheme, root.netloc)


SITEMAPS = {"pages": PageSitemap, "programs": ProgramSitemap}
