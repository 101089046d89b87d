"""Writes for the content app."""

import json
import uuid
from urllib.parse import urlsplit

from django.db import transaction
from django.urls import Resolver404, resolve
from django.utils.text import slugify
from wagtail.models import Page, Site

from .importing import ParsedArticle, publisher_for_url
from .models import ArticleIndexPage, ArticlePage, ArticleReference, Author


class ImportSkipped(Exception):
    pass


def _unique_slug(parent, title):
    base = slugify(title)[:200] or "article"
    slug, n = base, 2
    while parent.get_children().filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def import_link_target(href):
    """Where an imported article's link starting with "/" leads on this site:
    ("page", id, title) for a page of the site (no query or fragment), ("url",
    href) for another address the site answers (the directory search, a
    program page), None when it would 404 here."""
    if not href.startswith("/") or href.startswith("//"):
        return None
    parts = urlsplit(href)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        page = Page.objects.filter(url_path=site.root_page.url_path + path.lstrip("/")).first()
        if page is not None:
            if parts.query or parts.fragment:
                return ("url", href)
            return ("page", page.pk, page.title)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        return None
    return ("url", href)


@transaction.atomic
def article_create_draft(*, parsed: ParsedArticle, parent: ArticleIndexPage, user=None) -> ArticlePage:
    """Save a parsed article as a draft (never live) for editors to review."""
    if not parsed.title:
        raise ImportSkipped("no title found")
    if not parsed.blocks:
        raise ImportSkipped("no article text found")
    if parent.get_children().filter(title=parsed.title).exists():
        raise ImportSkipped(f"an article titled “{parsed.title}” already exists")
    authors = [Author.objects.get_or_create(name=name[:120])[0] for name in parsed.authors]
    article = ArticlePage(
        title=parsed.title[:255],
        authors=authors,
        slug=_unique_slug(parent, parsed.title),
        summary=parsed.summary[:300],
        first_published=parsed.date,
        body=json.dumps([{"type": t, "value": v, "id": str(uuid.uuid4())} for t, v in parsed.blocks]),
        live=False,
        owner=user,
        references=[
            ArticleReference(title=title, url=url[:500], publisher=publisher_for_url(url)[:200])
            for title, url in parsed.references
        ],
    )
    article.topics.add(*[tag[:100] for tag in parsed.tags])
    parent.add_child(instance=article)
    article.save_revision(user=user, log_action=True)
    return article
