"""sitemap.xml: every live page (Wagtail's sitemap) and every published
directory program."""

from django.contrib.sitemaps import Sitemap
from django.urls import NoReverseMatch
from wagtail.contrib.sitemaps import Sitemap as PageSitemap

from . import selectors


class ProgramSitemap(Sitemap):
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

    def lastmod(self, program):
        return program.updated_at


SITEMAPS = {"pages": PageSitemap, "programs": ProgramSitemap}
