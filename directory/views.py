"""Directory pages: thin views that parse the request with the FilterSet or
a form, call a selector or service, and render."""

from http import HTTPStatus

from django.conf import settings
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from config.cache import cache_available
from config.client import client_ip
from config.errors import error_response
from config.ratelimit import public_post_limited, too_many_requests
from config.seo import json_ld_script_content
from config.site_url import absolute_url

from . import program_page, selectors
from . import search as engine
from .downloads import DownloadSlot
from .exports import csv_lines
from .forms import ProblemReportForm
from .review.contacts import RestoreLinkInvalid, contact_change_report, contact_change_restore
from .services import problem_report_create

CSV_RATE = "10/10m"  # CSV downloads per client IP


def search_data(request):
    """The query string, or None when it holds no search (the rule in
    engine.search_data, shared with the API)."""
    return engine.search_data(request.GET)


@require_GET
def search(request):
    result = engine.program_search(data=search_data(request), page_number=request.GET.get("page", 1))
    template = "directory/search.html"
    # Fetched by search.js after each change: the form is swapped whole, so
    # its "Show N programs" is true. A full page's button would keep its
    # count while boxes are ticked without JavaScript: it says "Show results".
    live = request.headers.get("x-requested-with") == "fetch"
    if live:
        template = "directory/includes/search_form_body.html"
    context = {
        "result": result,
        "query_string": query_without_page(request),
        "live_counts": live,
        # Each card's link carries this search to the program page (search/context.py).
        "search_context": engine.search_context(request.GET),
    }
    return render(request, template, context)


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


CSV_BUSY_MESSAGE = (
    "A download from your connection is still running, or you have started many in the last few "
    "minutes. Please wait for it to finish, then try again."
)


def csv_rate_limited(request) -> bool:
    """CSV_RATE per client IP (django-ratelimit, counters in the cache).
    While the cache is unreachable downloads are not limited: the site
    degrades instead of refusing them."""
    limited = is_ratelimited(
        request, group="directory:csv", key=lambda group, r: client_ip(r), rate=CSV_RATE, increment=True
    )
    return limited and cache_available()


@require_GET
def search_csv(request):
    """Every result of a search (up to MAX_CSV_ROWS), in the export columns.
    One download at a time per client IP (a slot in the cache, freed when
    the response is closed) and CSV_RATE per IP; the file ends with an
    end-of-file line so a cut-off download is visibly incomplete."""
    slot = DownloadSlot.for_request(request)
    if csv_rate_limited(request) or not slot.acquire():
        response = error_response(request, HTTPStatus.TOO_MANY_REQUESTS, message=CSV_BUSY_MESSAGE)
        response["Retry-After"] = "60"
        return response
    try:
        result = engine.program_search(data=search_data(request), page_size=1, with_facets=False)
    except BaseException:
        slot.release()
        raise
    if result.page is None:
        slot.release()
        return render(request, "directory/search.html", {"result": result}, status=HTTPStatus.BAD_REQUEST)
    programs = selectors.with_export_details(result.filterset.qs)[: selectors.MAX_CSV_ROWS]
    response = StreamingHttpResponse(slot.guard(csv_lines(programs)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="findcare-programs.csv"'
    return response


@require_GET
def search_terms(request):
    return render(request, "directory/terms.html", {"groups": engine.search_glossary()})


@require_GET
def program_detail(request, slug):
    try:
        program = get_object_or_404(selectors.program_detail_queryset(), slug=slug)
    except Http404:
        # A listing merged into another one (directory/merging.py): its old address moved for good.
        survivor = selectors.program_redirect(slug=slug)
        if survivor is None:
            raise
        return redirect(survivor.get_absolute_url(), permanent=True)
    program_page.page_viewed(program)
    search_context = engine.carried_search(request.GET)  # the search the family came from, if any
    context = {
        "program": program,
        "search_context": search_context,
        "sources": selectors.program_sources(program=program),
        "nearby": engine.nearby_programs(program=program, search=search_context),
        "directions_links": selectors.directions_links(program=program),
        "json_ld": json_ld_script_content(
            selectors.program_json_ld(program=program, url=absolute_url(program.get_absolute_url(), request))
        ),
    }
    context["parts"] = program_page.parts(program)
    return render(request, "directory/program_detail.html", context)


def report_problem(request, slug):
    program = get_object_or_404(selectors.program_detail_queryset(), slug=slug)
    if request.method == "POST" and public_post_limited(request, group="problem-report", program=program):
        return too_many_requests(request, program=program)
    # The search the family came from rides in the page's address (the form
    # posts back to it), for the thank-you page's "Back to search".
    search_context = engine.carried_search(request.GET)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem_report_create(program=program, **form.cleaned_data)
        thanks = reverse("directory:report_thanks", kwargs={"slug": program.slug})
        return redirect(thanks + (search_context.link_query if search_context else ""))
    context = {"program": program, "form": form, "search_context": search_context}
    return render(request, "directory/report_problem.html", context)


@require_GET
def report_thanks(request, slug):
    program = get_object_or_404(selectors.program_detail_queryset(), slug=slug)
    context = {"program": program, "search_context": engine.carried_search(request.GET)}
    return render(request, "directory/report_thanks.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def contact_restore(request, token):
    """The contact-change alert's "This was not us" link. A GET only shows
    what would be put back (mail scanners open links); the page's button
    (POST) restores the contact details, locks them and opens a case."""
    try:
        report = contact_change_report(token)
    except RestoreLinkInvalid:
        context = {"state": "invalid", "safety_email": settings.LISTING_SAFETY_EMAIL}
        return render(request, "directory/contact_restore.html", context, status=HTTPStatus.BAD_REQUEST)
    state = "confirm"
    if report.case is not None:
        state = "already"
    elif request.method == "POST":
        report.case = contact_change_restore(report=report)
        state = "done"
    context = {"state": state, "report": report, "safety_email": settings.LISTING_SAFETY_EMAIL}
    return render(request, "directory/contact_restore.html", context)
