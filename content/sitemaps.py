"""sitemap.xml: every live page (Wagtail's sitemap) and every published
directory program, both under the Wagtail site's root URL."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.urls import NoReverseMatch
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from . import selectors


class ProgramSitemap(PageSitemap):
    changefreq = "weekly"
    limit = 10_000

    def items(self):
        program = selectors.directory_model("Program")
        if program is None:
            return []
        programs = program.objects.published().only("slug", "updated_at").order_by("pk")
        first = programs.first()
        try:
            first and first.get_absolute_url()
        except NoReverseMatch:  # the directory has no program pages yet
            return []
        return programs

    def location(self, program):
        return program.get_absolute_url()

    def lastmod(self, program):
        return program.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        # The same scheme and host as the page URLs, whatever host was asked.
        root = urlsplit(self.get_wagtail_site().root_url)
        return DjangoSitemap._urls(self, page, root.scheme, root.netloc)


SITEMAPS = {"pages": PageSitemap, "programs": ProgramSitemap}
