"""The link check (content/link_check.py, `manage.py check_links`, the
"Broken links" report) against a real HTTP server on 127.0.0.1: no network
beyond this machine, no mocked HTTP."""

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from content.link_check import USER_AGENT, HttpFetcher, link_check_run
from content.models import ArticleReference, LinkCheckResult

from .factories import ArticlePageFactory, UserFactory


class Handler(BaseHTTPRequestHandler):
    seen = []  # (method, path, user agent)
    active = 0
    most_at_once = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def answer(self, method):
        cls = type(self)
        with cls.lock:
            cls.seen.append((method, self.path, self.headers.get("User-Agent")))
            cls.active += 1
            cls.most_at_once = max(cls.most_at_once, cls.active)
        try:
            time.sleep(0.05)  # long enough for requests to overlap
        finally:
            # Counted down before answering: once the client has the answer
            # it may send its next request, which must not find this one
            # still counted (a race seen on a busy machine: 3 at once for 2).
            with cls.lock:
                cls.active -= 1
        self.route(method)

    def route(self, method):
        path = self.path
        if path.startswith("/slow"):
            time.sleep(1.5)
            return self.reply(200)
        if path == "/ok" or path.startswith("/ok-"):
            return self.reply(200)
        if path == "/moved":
            return self.reply(301, location="/ok-moved")
        if path == "/moved-twice":
            return self.reply(302, location="/moved")
        if path == "/loop":
            return self.reply(302, location="/loop")
        if path == "/no-head":
            return self.reply(405 if method == "HEAD" else 200)
        if path == "/forbidden":
            return self.reply(403)
        return self.reply(404)

    def reply(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):  # noqa: N802
        self.answer("HEAD")

    def do_GET(self):  # noqa: N802
        self.answer("GET")


@pytest.fixture
def server():
    Handler.seen, Handler.active, Handler.most_at_once = [], 0, 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def no_network(url):
    raise AssertionError(f"fetched {url}: links to this site are resolved without a request")


def references(*urls):
    return [ArticleReference(title=f"Source {n}", url=url) for n, url in enumerate(urls, start=1)]


def results():
    return {(row.where, row.url): row for row in LinkCheckResult.objects.all()}


def test_fetcher_follows_redirects_falls_back_to_get_and_says_who_asks(server):
    fetch = HttpFetcher(timeout=5)
    ok = fetch(f"{server}/ok")
    assert (ok.status, ok.redirects) == (200, [])
    moved = fetch(f"{server}/moved-twice")
    assert moved.status == 200 and moved.final_url == f"{server}/ok-moved"
    assert moved.redirects == [(302, f"{server}/moved"), (301, f"{server}/ok-moved")]
    assert fetch(f"{server}/no-head").status == 200
    assert ("GET", "/no-head", USER_AGENT) in Handler.seen
    assert fetch(f"{server}/missing").status == 404
    loop = fetch(f"{server}/loop")
    assert loop.status is None and "redirects" in loop.error
    assert {agent for _, _, agent in Handler.seen} == {USER_AGENT}
    assert [method for method, path, _ in Handler.seen if path == "/ok"][0] == "HEAD"


def test_fetcher_gives_up_after_its_timeout(server):
    started = time.monotonic()
    slow = HttpFetcher(timeout=0.3)(f"{server}/slow")
    assert slow.status is None and "timed out" in slow.error
    assert time.monotonic() - started < 1.4  # HEAD and GET each waited 0.3 s, not 1.5 s


def test_check_links_stores_every_link_with_where_it_is(server, db):
    article = ArticlePageFactory(
        title="Naloxone basics",
        slug="naloxone-basics",
        body=[
            ("h", "Where to get it"),
            ("p", f'<p>See <a href="{server}/ok">the guide</a> and <a href="{server}/missing">this</a>.</p>'),
            ("callout", "tip", "Moved", f'<p>Now <a href="{server}/moved">here</a>.</p>'),
            ("faq", [("Who?", f'<p><a href="{server}/forbidden">A list</a></p>')]),
        ],
        references=references(f"{server}/ok", f"{server}/no-head", "http://127.0.0.1:9/refused"),
    )
    ArticlePageFactory(slug="draft", live=False, references=references(f"{server}/missing-in-draft"))
    summary = link_check_run(timeout=5)
    found = results()
    assert {key: row.status for key, row in found.items()} == {
        ("Reference 1", f"{server}/ok"): "ok",
        ("Reference 2", f"{server}/no-head"): "ok",
        ("Reference 3", "http://127.0.0.1:9/refused"): "broken",
        ("Body: paragraph 2", f"{server}/ok"): "ok",
        ("Body: paragraph 2", f"{server}/missing"): "broken",
        ("Body: callout 3", f"{server}/moved"): "redirected",
        ("Body: faq 4", f"{server}/forbidden"): "unsure",
    }
    assert all(row.page_id == article.pk for row in found.values())
    moved = found[("Body: callout 3", f"{server}/moved")]
    assert moved.http_status == 200 and moved.final_url == f"{server}/ok-moved"
    assert "Redirected (301)" in moved.message
    assert found[("Body: paragraph 2", f"{server}/missing")].http_status == 404
    assert "refused" in found[("Reference 3", "http://127.0.0.1:9/refused")].message
    # Each address is asked once per run (HEAD), however often it is linked.
    assert [path for method, path, _ in Handler.seen if path == "/ok"] == ["/ok"]
    assert not any(path == "/missing-in-draft" for _, path, _ in Handler.seen)
    assert summary.counts == {"ok": 3, "broken": 2, "redirected": 1, "unsure": 1}


def test_requests_under_way_at_once_stay_within_the_limit(server, db):
    ArticlePageFactory(references=references(*[f"{server}/ok-{n}" for n in range(8)]))
    link_check_run(concurrency=2)
    assert Handler.most_at_once == 2
    assert LinkCheckResult.objects.filter(status="ok").count() == 8


def test_links_to_this_site_are_resolved_without_a_request(db):
    target = ArticlePageFactory(title="What is detox", slug="what-is-detox")
    unpublished = ArticlePageFactory(title="Draft piece", slug="draft-piece", live=False)
    ArticlePageFactory(
        slug="linking",
        body=[
            (
                "p",
                '<p><a href="/learn/what-is-detox/">ok</a> <a href="/learn/no-such-page/">gone</a> '
                '<a href="/find/?care=detox">search</a> '
                f'<a linktype="page" id="{target.pk}">chosen</a> '
                f'<a linktype="page" id="{unpublished.pk}">draft</a> '
                '<a linktype="page" id="999999">deleted</a> '
                '<a href="http://127.0.0.1:8000/learn/what-is-detox/">absolute</a> '
                '<a href="mailto:help@example.org">mail</a></p>',
            )
        ],
    )
    link_check_run(fetcher=no_network)
    status = {row.url: row.status for row in LinkCheckResult.objects.all()}
    assert status == {
        "/learn/what-is-detox/": "ok",
        "/learn/no-such-page/": "broken",
        "/find/?care=detox": "ok",
        f"page:{target.pk}": "ok",
        f"page:{unpublished.pk}": "broken",
        "page:999999": "broken",
        "http://127.0.0.1:8000/learn/what-is-detox/": "ok",
        "mailto:help@example.org": "ok",
    }
    assert "not published" in LinkCheckResult.objects.get(url=f"page:{unpublished.pk}").message


def test_a_run_replaces_the_previous_results(server, db):
    article = ArticlePageFactory(references=references(f"{server}/missing"))
    link_check_run()
    assert LinkCheckResult.objects.get().status == "broken"
    article.references.all().delete()
    link_check_run()
    assert not LinkCheckResult.objects.exists()


def test_the_command_prints_problems_and_a_summary(server, db):
    ArticlePageFactory(slug="cmd", references=references(f"{server}/ok", f"{server}/missing"))
    out = io.StringIO()
    call_command("check_links", "--timeout", "5", "--concurrency", "2", stdout=out)
    text = out.getvalue()
    assert "BROKEN     page " in text and f"Reference 2: {server}/missing" in text
    assert "The site answered 404 (Not Found)." in text
    assert "Checked 2 link(s) on 1 live article(s): 1 broken, 1 ok." in text


def test_the_command_refuses_nonsense_options(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--concurrency"):
        call_command("check_links", "--concurrency", "0", stdout=io.StringIO())


def test_the_command_can_queue_the_task(server, db, settings):
    ArticlePageFactory(slug="queued", references=references(f"{server}/missing"))
    out = io.StringIO()
    call_command("check_links", "--queue", stdout=out)  # the test settings' tasks run at once
    assert "Link check queued" in out.getvalue()
    assert LinkCheckResult.objects.get().status == "broken"


def test_the_report_lists_broken_links_with_article_and_where(client, server, db):
    editor = UserFactory(groups=["Editors"])
    article = ArticlePageFactory(
        title="Fentanyl test strips",
        slug="fentanyl-test-strips",
        references=references(f"{server}/ok", f"{server}/missing"),
    )
    client.force_login(editor)
    before = client.get(reverse("content_link_check")).content.decode()
    assert "No link check has run yet" in before
    link_check_run()
    html = client.get(reverse("content_link_check")).content.decode()
    assert "Fentanyl test strips" in html and reverse("wagtailadmin_pages:edit", args=[article.pk]) in html
    assert "Reference 2" in html and f"{server}/missing" in html and "Broken" in html
    assert f"{server}/ok<" not in html  # working links are not listed
    assert "1 broken" in html
    assert reverse("content_link_check") in client.get(reverse("wagtailadmin_home")).content.decode()


def test_editors_can_start_a_check_from_the_report(client, server, db):
    ArticlePageFactory(slug="from-admin", references=references(f"{server}/missing"))
    client.force_login(UserFactory(groups=["Editors"]))
    run = reverse("content_link_check_run")
    assert "Check links now" in client.get(reverse("content_link_check")).content.decode()
    assert client.get(run).status_code == 405
    response = client.post(run, follow=True)  # the test settings' tasks run at once
    assert response.redirect_chain[-1][0] == reverse("content_link_check")
    html = response.content.decode()
    assert "Link check started" in html and f"{server}/missing" in html
    assert LinkCheckResult.objects.get().status == "broken"


def test_only_editors_and_reviewers_start_a_check(client, db):
    ArticlePageFactory(slug="local-only", body=[("p", '<p><a href="/learn/">Learn</a></p>')])
    client.force_login(UserFactory(groups=["Site editors"]))
    assert "Check links now" not in client.get(reverse("content_link_check")).content.decode()
    response = client.post(reverse("content_link_check_run"))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")  # Wagtail's refusal
    assert not LinkCheckResult.objects.exists()
