"""Directory pages: thin views that parse the request with the FilterSet or
a form, call a selector or service, and render."""

import csv
from http import HTTPStatus

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from content.seo import json_ld_script_content

from . import selectors

SEARCH_PARAMS = {"location", "radius", "q", "care", "medication", "payment", "population", "language",
                 "accreditation", "telehealth", "accepting", "verified", "sort"}  # fmt: skip


def search_data(request):
    """The query string, or None when it holds no search (just a page number
    or nothing), so an empty form shows every program by name."""
    return request.GET if SEARCH_PARAMS & set(request.GET) else None


@require_GET
def search(request):
    result = selectors.program_search(data=search_data(request), page_number=request.GET.get("page", 1))
    template = "directory/search.html"
    if request.headers.get("x-requested-with") == "fetch":
        template = "directory/includes/search_form_body.html"
    return render(request, template, {"result": result, "query_string": query_without_page(request)})


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class Echo:
    """A file-like object for csv.writer that hands rows back for streaming."""

    def write(self, value):
        return value


@require_GET
def search_csv(request):
    """Every result of a search (up to MAX_CSV_ROWS), in the export columns."""
    from .exports import EXPORT_COLUMNS, csv_cell, iter_values

    result = selectors.program_search(data=search_data(request), page_size=1, with_facets=False)
    if result.page is None:
        return render(request, "directory/search.html", {"result": result}, status=HTTPStatus.BAD_REQUEST)
    programs = selectors.with_export_details(result.filterset.qs)[: selectors.MAX_CSV_ROWS]
    writer = csv.writer(Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for values in iter_values(programs, EXPORT_COLUMNS):
            yield writer.writerow([csv_cell(values[column]) for column in EXPORT_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="findcare-programs.csv"'
    return response


@require_GET
def search_terms(request):
    return render(request, "directory/terms.html", {"groups": selectors.search_glossary()})


@require_GET
def program_detail(request, slug):
    program = get_object_or_404(selectors.program_detail_queryset(), slug=slug)
    context = {
        "program": program,
        "nearby": selectors.nearby_programs(program=program),
        "directions_links": selectors.directions_links(program=program),
        "json_ld": json_ld_script_content(
            selectors.program_json_ld(
                program=program, url=request.build_absolute_uri(program.get_absolute_url())
            )
        ),
    }
    return render(request, "directory/program_detail.html", context)


def report_problem(request, slug):
    from .forms import ProblemReportForm
    from .services import problem_report_create

    program = get_object_or_404(selectors.program_detail_queryset(), slug=slug)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem_report_create(program=program, **form.cleaned_data)
        return redirect(reverse("directory:report_thanks", kwargs={"slug": program.slug}))
    return render(request, "directory/report_problem.html", {"program": program, "form": form})


@require_GET
def report_thanks(request, slug):
    program = get_object_or_404(selectors.program_detail_queryset(), slug=slug)
    return render(request, "directory/report_thanks.html", {"program": program})
