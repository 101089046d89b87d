"""Site search: articles and directory programs, grouped, each paginated."""

from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .forms import SearchForm

RESULTS_PER_PAGE = 10


def paginate(results, request, param):
    return Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get(param))


def search(request):
    form = SearchForm(request.GET or None)
    context = {"form": form}
    if form.is_valid():
        query = form.cleaned_data["q"]
        context.update(
            query=query,
            articles=paginate(selectors.search_articles(query), request, "page"),
            programs=paginate(selectors.search_programs(query), request, "programs_page"),
        )
    return render(request, "content/search.html", context)
