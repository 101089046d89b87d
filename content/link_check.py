"""The link check editors run (`manage.py check_links`, or the task
`content.tasks.check_links`): every reference URL and every body link of the
live articles, the results stored as LinkCheckResult rows that the admin's
"Broken links" report lists.

- Links to this site (relative "/learn/..." links, page links chosen in the
  editor, absolute links on the site's own host) are resolved against the
  site's pages and URL patterns, without any request.
- Other http(s) links are fetched: HEAD first, GET when HEAD fails (many
  servers refuse HEAD), with a timeout, a User-Agent that says who asks,
  at most `concurrency` requests at once, each address once per run,
  redirects followed (up to MAX_REDIRECTS) and reported as "Moved".
- 404/410, unknown hosts and refused connections are "Broken"; 401/403/429,
  5xx answers and timeouts are "Could not confirm" (sites block robots, or
  are down for a moment): an editor opens those in a browser.

The fetcher is injectable (`link_check_run(fetcher=...)`): any callable
taking a URL and returning a Fetched."""

import html.parser
import http.client
import logging
import socket
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from config.site_url import site_base_url

from .models import ArticlePage, LinkCheckResult
from .services import import_link_target

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0  # seconds, per request
DEFAULT_CONCURRENCY = 4  # requests at once
MAX_REDIRECTS = 5
USER_AGENT = "FindCare-LinkCheck/1.0 (editorial link check of published articles)"
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
UNSURE_CODES = frozenset({401, 403, 408, 429})
Status = LinkCheckResult.Status


@dataclass(frozen=True)
class Link:
    page_id: int
    url: str
    where: str


@dataclass
class Fetched:
    """What fetching a URL found: the final HTTP status (None when no
    answer came), the address it ended at, the redirects on the way as
    (status, next URL) pairs, and the error when there was no answer."""

    status: int | None
    final_url: str
    redirects: list = field(default_factory=list)
    error: str = ""


@dataclass(frozen=True)
class Verdict:
    status: str
    http_status: int | None = None
    final_url: str = ""
    message: str = ""


# Finding the links


class _Anchors(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.anchors.append(dict(attrs))


def rich_text_links(source):
    """The links of a rich text's stored HTML: ("page", id) for a link to a
    page chosen in the editor, ("document", id), or ("url", href)."""
    parser = _Anchors()
    parser.feed(source or "")
    for attrs in parser.anchors:
        linktype = attrs.get("linktype")
        if linktype in ("page", "document") and attrs.get("id"):
            yield (linktype, attrs["id"])
        elif attrs.get("href"):
            yield ("url", attrs["href"].strip())


def _rich_texts(value):
    if isinstance(value, RichText):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _rich_texts(item)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for item in value:
            yield from _rich_texts(item)


def article_links(page):
    """Every link of an article: its references' URLs, then its body's links
    in reading order, each with where it is."""
    links = []
    for number, reference in enumerate(page.references.all(), start=1):
        if reference.url:
            links.append(Link(page.pk, reference.url, f"Reference {number}"))
    for position, child in enumerate(page.body, start=1):
        where = f"Body: {child.block.label.lower()} {position}"
        for text in _rich_texts(child.value):
            for kind, target in rich_text_links(text.source):
                url = target if kind == "url" else f"{kind}:{target}"
                links.append(Link(page.pk, url, where))
    return links


def pages_to_check():
    return ArticlePage.objects.live().order_by("path").prefetch_related("references")


# Judging them


def _own_hosts():
    """The host names this site is reached at: SITE_URL's and the default Site's."""
    hosts = {urlsplit(site_base_url()).netloc.lower()}
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        hosts.add(urlsplit(site.root_url).netloc.lower())
    hosts.discard("")
    return hosts


def internal_verdict(path):
    """A link to this site, judged against its pages and URL patterns."""
    target = import_link_target(path)
    if target is None:
        return Verdict(Status.BROKEN, message=f"No page of this site answers {path[:300]}.")
    if target[0] == "page" and not Page.objects.filter(pk=target[1], live=True).exists():
        return Verdict(Status.BROKEN, message=f"“{target[2]}” is not published.")
    return Verdict(Status.OK, message="A page of this site.")


def chosen_verdict(kind, pk):
    """A page or document chosen in the editor's link dialog."""
    if kind == "page":
        page = Page.objects.filter(pk=pk).first() if pk.isdigit() else None
        if page is None:
            return Verdict(Status.BROKEN, message="Links to a page that was deleted.")
        if not page.live:
            return Verdict(Status.BROKEN, message=f"Links to “{page.title}”, which is not published.")
        return Verdict(Status.OK, message="A page of this site.")
    if not (pk.isdigit() and get_document_model().objects.filter(pk=pk).exists()):
        return Verdict(Status.BROKEN, message="Links to a document that was deleted.")
    return Verdict(Status.OK, message="A document of this site.")


def fetched_verdict(fetched):
    code = fetched.status
    if code is None:
        status = Status.UNSURE if "timed out" in fetched.error else Status.BROKEN
        return Verdict(status, None, fetched.final_url, fetched.error[:500])
    moved = ""
    if fetched.redirects:
        codes = ", ".join(str(status) for status, _ in fetched.redirects)
        moved = f"Redirected ({codes}) to {fetched.final_url}"
    if 200 <= code < 300:
        if moved:
            return Verdict(Status.REDIRECTED, code, fetched.final_url, f"{moved}: update the link."[:500])
        return Verdict(Status.OK, code, fetched.final_url)
    if code in UNSURE_CODES or code >= 500:
        why = f"The site answered {code}: open the link in a browser to check it."
        return Verdict(Status.UNSURE, code, fetched.final_url, (f"{moved}. " if moved else "") + why)
    why = f"The site answered {code} ({http.client.responses.get(code, 'error')})."
    return Verdict(Status.BROKEN, code, fetched.final_url, ((f"{moved}. " if moved else "") + why)[:500])


# Fetching


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 3xx comes back as an HTTPError: HttpFetcher follows it itself


class HttpFetcher:
    """Fetches with urllib: HEAD, then GET when HEAD gets no answer or an
    error status; follows redirects itself (keeping the method) to record them."""

    def __init__(self, *, timeout=DEFAULT_TIMEOUT, user_agent=USER_AGENT):
        self.timeout = timeout
        self.user_agent = user_agent
        self.opener = urllib.request.build_opener(_NoRedirects)

    def __call__(self, url):
        fetched = self.follow(url, "HEAD")
        if fetched.status is None or fetched.status >= 400:
            by_get = self.follow(url, "GET")
            if by_get.status is not None or fetched.status is None:
                fetched = by_get
        return fetched

    def follow(self, url, method):
        redirects, current = [], url
        for _ in range(MAX_REDIRECTS + 1):
            try:
                status, location = self.request(current, method)
            except (OSError, ValueError, http.client.HTTPException) as error:
                return Fetched(None, current, redirects, describe_error(error))
            if status in REDIRECT_CODES and location:
                current = urljoin(current, location)
                redirects.append((status, current))
                continue
            return Fetched(status, current, redirects)
        return Fetched(None, current, redirects, f"More than {MAX_REDIRECTS} redirects.")

    def request(self, url, method):
        if urlsplit(url).scheme not in ("http", "https"):
            raise ValueError(f"Not an http(s) address: {url[:200]}")
        headers = {"User-Agent": self.user_agent, "Accept": "text/html,application/pdf,*/*;q=0.8"}
        request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310 (scheme checked)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.headers.get("Location")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Location")


def describe_error(error):
    reason = getattr(error, "reason", error)
    if isinstance(reason, TimeoutError | socket.timeout) or "timed out" in str(reason):
        return "No answer: the request timed out."
    if isinstance(reason, socket.gaierror):
        return "No such host."
    if isinstance(reason, ConnectionRefusedError):
        return "The connection was refused."
    return f"No answer: {reason}"[:500]


# Running a check


@dataclass
class Summary:
    pages: int = 0
    links: int = 0
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)  # (Link, Verdict), not OK


def link_check_run(*, fetcher=None, concurrency=DEFAULT_CONCURRENCY, timeout=DEFAULT_TIMEOUT):
    """Check every link of the live articles and store the results (each
    run replaces the previous one). Returns a Summary."""
    fetcher = fetcher or HttpFetcher(timeout=timeout)
    pages = list(pages_to_check())
    links = [link for page in pages for link in article_links(page)]
    own_hosts = _own_hosts()
    verdicts, to_fetch = {}, []
    for url in dict.fromkeys(link.url for link in links):
        kind, _, target = url.partition(":")
        parts = urlsplit(url)
        if kind in ("page", "document") and target.isdigit():
            verdicts[url] = chosen_verdict(kind, target)
        elif url.startswith("/") and not url.startswith("//"):
            verdicts[url] = internal_verdict(url)
        elif parts.scheme in ("http", "https") and parts.netloc.lower() in own_hosts:
            verdicts[url] = internal_verdict(parts.path + (f"?{parts.query}" if parts.query else ""))
        elif parts.scheme in ("http", "https"):
            to_fetch.append(url)
        elif parts.scheme in ("mailto", "tel") or url.startswith("#"):
            verdicts[url] = Verdict(Status.OK, message="Not a web address: not checked.")
        else:
            verdicts[url] = Verdict(Status.BROKEN, message="Not a web address a browser can open.")
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for url, fetched in zip(to_fetch, pool.map(fetcher, to_fetch), strict=True):
            verdicts[url] = fetched_verdict(fetched)
    now = timezone.now()
    rows = [
        LinkCheckResult(
            page_id=link.page_id,
            url=link.url[:2000],
            where=link.where[:200],
            status=(verdict := verdicts[link.url]).status,
            http_status=verdict.http_status,
            final_url=verdict.final_url[:2000],
            message=verdict.message[:500],
            checked_at=now,
        )
        for link in links
    ]
    with transaction.atomic():
        LinkCheckResult.objects.all().delete()
        LinkCheckResult.objects.bulk_create(rows)
    summary = Summary(pages=len(pages), links=len(links))
    for link, row in zip(links, rows, strict=True):
        status = str(row.status)
        summary.counts[status] = summary.counts.get(status, 0) + 1
        if row.status != Status.OK:
            summary.problems.append((link, verdicts[link.url]))
    logger.info("Link check: %s links on %s pages: %s", summary.links, summary.pages, summary.counts)
    return summary
