"""Wagtail page types for the site's editorial content."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BasicBodyBlock


class HomePage(Page):
    """The front door: a treatment search first, then featured reading."""

    hero_heading = models.CharField(max_length=120, default="Find addiction treatment near you")
    hero_text = models.TextField(
        blank=True,
        default=(
            "Search programs by place and the kind of care you need. "
            "Free, confidential, and no account needed."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("hero_heading"),
        FieldPanel("hero_text"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"


class StandardPage(Page):
    """Plain pages: About, Privacy, Editorial policy, Terms, Data sources."""

    intro = models.TextField(blank=True, help_text="One or two sentences shown under the title.")
    body = StreamField(BasicBodyBlock(), blank=True)

    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["content.HomePage", "content.StandardPage"]
    subpage_types = ["content.StandardPage"]

    class Meta:
        verbose_name = "standard page"
