"""One search: a FilterSet's cleaned parameters answered from the in-memory
index (totals, facet counts, the page's ids in result order), then one
query for the page's cards. The page, the API, the CSV's count and the
articles' program counts all come through program_search."""

import functools
import operator
from dataclasses import dataclass, field
from itertools import islice

from django.core.paginator import Page, Paginator

from directory import geo, vocabularies
from directory.models import PROGRAM_NAME_ORDER, Program
from directory.places import Place

from . import freshness, geo_grid
from .cards import CARD_RELATIONS, attach_card_terms, card_rows
from .filterset import SEARCHABLE_RELATIONS, FlagFilter, ProgramFilter, TermFilter, read_text
from .index import FacetIndex, as_bytes

PAGE_SIZE = 20
MAX_PAGE = 500  # deeper pages are clamped: nobody reads 10,000 results


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    help: str = ""
    dom_id: str = ""

    @property
    def count_display(self) -> str:
        # Pre-formatted: Django's number localization is slow over ~100 options.
        return f"{self.count:,}"


@dataclass
class SearchResult:
    filterset: ProgramFilter
    page: Page | None
    total: int
    facets: dict[str, list[FacetOption]] = field(default_factory=dict)
    place: Place | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def form(self):
        return self.filterset.form

    @property
    def name_text(self) -> str:
        """The program name typed in the search, "" when none."""
        return " ".join((self.filterset.cleaned.get("q") or "").split())

    @property
    def asks_for_place(self) -> bool:
        """The HTML page's rule: it lists programs near a place, or by the
        name typed; a valid search with neither asks for a place and lists
        nothing (a list of every program in the country by name, with a
        radius that measures from nowhere, helps no family). The API and
        the CSV list every match whatever the search."""
        return self.page is not None and self.place is None and not self.name_text


def program_base_queryset():
    return Program.objects.listed().order_by(*PROGRAM_NAME_ORDER)


def search_data(params):
    """The query parameters, or None when they hold no search (just a page
    number, nothing, or parameters we do not know), so an empty form shows
    every program by name. The page, the API and the CSV use this rule."""
    return params if vocabularies.is_search(params) else None


def program_search(
    *,
    data,
    page_number=1,
    with_facets=True,
    page_size=PAGE_SIZE,
    relations=CARD_RELATIONS,
    details=card_rows,
) -> SearchResult:
    index = freshness.current_index()  # once per request: one change-log query
    filterset = ProgramFilter(data or None, queryset=program_base_queryset())
    if filterset.is_bound and not filterset.is_valid():
        return SearchResult(filterset=filterset, page=None, total=0, notices=filterset.form.notices)
    counter = FacetCounter(filterset, index)
    total = counter.total()
    page_number = min(clamp_page(page_number), MAX_PAGE)
    page = counter.page(page_number, page_size, total, details)
    page.object_list = attach_card_terms(page.object_list, counter.index, relations)
    result = SearchResult(
        filterset=filterset,
        page=page,
        total=total,
        place=filterset.place,
        notices=filterset.form.notices if filterset.is_bound else [],
    )
    if with_facets:
        result.facets = counter.facets()
    return result


def program_count(*, data) -> int | None:
    """How many programs the search page shows for these parameters (None
    when they do not make a valid search): the page's own count."""
    result = program_search(data=search_data(data), page_size=1, with_facets=False)
    return result.total if result.page is not None else None


def clamp_page(value):
    try:
        return max(1, int(str(value)[:6]))
    except (TypeError, ValueError):
        return 1


class FacetCounter:
    """Counts for a search from the in-memory facet index (see index.py):
    the total, and for every option how many results choosing it would
    give (the search without its own group's filter, AND the option)."""

    def __init__(self, filterset: ProgramFilter, index: FacetIndex):
        self.filterset = filterset
        self.cleaned = filterset.cleaned
        self.term_filters = {n: f for n, f in filterset.filters.items() if isinstance(f, TermFilter)}
        self.flag_filters = {n: f for n, f in filterset.filters.items() if isinstance(f, FlagFilter)}
        self.index = index
        self.terms = {name: self.index.vocabularies[f.relation] for name, f in self.term_filters.items()}
        self.term_bits = {name: self._term_bits(f.relation) for name, f in self.term_filters.items()}
        self.masks = self._masks()

    def _term_bits(self, relation) -> dict[int, int]:
        """term id -> its programs, less those a restriction contradicts
        (vocabularies.EXCLUSIONS): the FilterSet's TermFilter in bits."""
        bits_by_term = self.index.terms[relation]
        exclusions = vocabularies.exclusions_for(relation)
        if not exclusions:
            return bits_by_term
        restriction_ids = {term.slug: term.pk for term in self.index.vocabularies["restrictions"]}
        restricted = self.index.terms["restrictions"]
        adjusted = dict(bits_by_term)
        for term in self.index.vocabularies[relation]:
            if term.slug in exclusions and term.pk in adjusted:
                for slug in exclusions[term.slug]:
                    adjusted[term.pk] &= ~restricted.get(restriction_ids.get(slug), 0)
        return adjusted

    def _masks(self) -> dict[str, int]:
        """One bitset per active filter; location from SQL, as ids only."""
        masks = {}
        for name in self.term_filters:
            chosen = set(self.cleaned.get(name) or [])
            if chosen:
                mask = 0
                for term in self.terms[name]:
                    if term.slug in chosen:
                        mask |= self.term_bits[name].get(term.pk, 0)
                masks[name] = mask
        for name in self.flag_filters:
            if self.cleaned.get(name):
                masks[name] = self.index.flags[name]
        self.circle = None
        text = " ".join((self.cleaned.get("q") or "").split())
        if text:
            # Name search runs over the index's in-memory names: a LIKE scan
            # of every row costs SQLite hundreds of ms at 100,000 programs.
            masks["q"] = self.index.text_bits(text) | self._names_bits(text)
        if place := self.filterset.place:
            # Location from the index's grid too (geo_grid.py): the same
            # box and distance as the FilterSet's SQL, without a query.
            self.circle = geo_grid.Circle(place.latitude, place.longitude, self.filterset.radius_miles)
            marks = geo_grid.within(self.index.geo, self.circle, self.index.size)
            masks["place"] = int.from_bytes(marks, "little")
        return masks

    def _names_bits(self, text) -> int:
        """Programs found by the names families use in the name field
        (filterset.read_text): the FilterSet's filter_text in bits."""
        reading = read_text(text)
        if not reading:
            return 0
        names, others = reading
        bits = self._care_names_bits(names)
        for word in others:
            bits &= self.index.text_bits(word)
        return bits

    def _care_names_bits(self, names) -> int:
        """Programs offering, for each name read, any of the terms it
        stands for ("suboxone": buprenorphine)."""
        params = {relation: vocabulary.param for relation, vocabulary in vocabularies.by_relation().items()}
        bits = self.index.everything
        for name in names:
            any_term = 0
            for relation, slug in name.terms_in(SEARCHABLE_RELATIONS):
                param = params[relation]
                for term in self.terms.get(param, ()):
                    if term.slug == slug:
                        any_term |= self.term_bits[param].get(term.pk, 0)
            bits &= any_term
        return bits

    def care_bits(self) -> int:
        """The programs the search's care filters keep: every vocabulary and
        flag filter, and the names families use read in the name field
        ("suboxone"); not its place, nor the other words of the name."""
        bits = self.index.everything
        for name, mask in self.masks.items():
            if name in self.term_filters or name in self.flag_filters:
                bits &= mask
        reading = read_text(" ".join((self.cleaned.get("q") or "").split()))
        if reading:
            bits &= self._care_names_bits(reading[0])
        return bits

    def ordered_matches(self, wanted: int):
        """Ids of results in result order, lazily, at least the first
        `wanted`: the nearest first when sorting by distance, else by the
        index's name or verification order, keeping those whose bit is set."""
        bits = self.bits()
        marks = as_bytes(bits, self.index)
        ids = self.index.ids
        if self.circle is not None and self.filterset.sort_key == "distance":
            nearest = geo_grid.nearest(
                self.index.geo, self.circle, marks, bits.bit_count(), wanted, self.index.name_key
            )
            yield from (ids[pos] for pos in nearest)
            return
        order = self.index.by_verified if self.filterset.sort_key == "verified" else self.index.by_name
        for pos in order:
            if marks[pos >> 3] >> (pos & 7) & 1:
                yield ids[pos]

    def page(self, page_number, page_size, total, details=card_rows):
        """One page of results: positions from the index, then one query
        for those rows (no OFFSET scans, whatever the page)."""
        page = Paginator(range(total), page_size, allow_empty_first_page=True).get_page(page_number)
        start, end = (page.number - 1) * page_size, page.number * page_size
        wanted = list(islice(self.ordered_matches(end), start, end))
        rows = {p.pk: p for p in details(wanted)}
        place = self.filterset.place
        page.object_list = [rows[pk] for pk in wanted if pk in rows]
        for program in page.object_list:
            program.distance = distance_from(place, program) if place else None
        return page

    def bits(self, *, without=None) -> int:
        bits = self.index.everything
        for name, mask in self.masks.items():
            if name != without:
                bits &= mask
        return bits

    def total(self) -> int:
        return self.bits().bit_count()

    def facets(self) -> dict[str, list[FacetOption]]:
        result = {}
        for name in self.term_filters:
            others = self.bits(without=name)
            chosen = set(self.cleaned.get(name) or [])
            bits_by_term = self.term_bits[name]
            result[name] = [
                FacetOption(
                    value=term.slug,
                    label=term.name,
                    count=(others & bits_by_term.get(term.pk, 0)).bit_count(),
                    selected=term.slug in chosen,
                    help=term.description,
                    dom_id=f"f-{name}-{term.slug}",
                )
                for term in self.terms[name]
            ]
        for name, flag_filter in self.flag_filters.items():
            others = self.bits(without=name)
            result[name] = [
                FacetOption(
                    value="1",
                    label=str(flag_filter.label),
                    count=(others & self.index.flags[name]).bit_count(),
                    selected=bool(self.cleaned.get(name)),
                    dom_id=f"f-{name}",
                )
            ]
        return result


def distance_from(place, program) -> float | None:
    if program.latitude is None or program.longitude is None:
        return None
    return geo.haversine_miles(place.latitude, place.longitude, program.latitude, program.longitude)


def search_glossary() -> list[dict]:
    """Each vocabulary the search filters on, with its terms' plain-language
    descriptions, for /find/terms/ (from the registry, so the page lists
    exactly the groups the search offers)."""
    index = freshness.current_index()
    return [
        {"name": v.param, "label": v.label, "terms": index.vocabularies[v.relation]}
        for v in vocabularies.VOCABULARIES
    ]


def nearby_programs(*, program: Program, limit=5, miles=50, search=None):
    """Published programs within `miles` of this one offering at least one
    of its levels of care, nearest first (none if it has no coordinates):
    the radius search and the level test both from the index, no query but
    the one for the cards. `search`, the search the family came from (a
    context.SearchContext), keeps only programs its care filters keep
    (FacetCounter.care_bits): no naltrexone-only program for a methadone
    search, none without Medicaid for a Medicaid one."""
    if program.latitude is None or program.longitude is None:
        return []
    index = freshness.current_index()
    place = Place(program.city, program.latitude, program.longitude)
    level_ids = [level.pk for level in program.levels_of_care.all()]
    wanted = index.everything
    if level_ids:
        levels = index.terms.get("levels_of_care", {})
        wanted &= functools.reduce(operator.or_, (levels.get(pk, 0) for pk in level_ids), 0)
    if search is not None:
        wanted &= search_care_bits(search.data, index)
    own = index.positions.get(program.pk)
    if own is not None:
        wanted &= ~(1 << own)
    circle = geo_grid.Circle(place.latitude, place.longitude, miles)
    wanted &= int.from_bytes(geo_grid.within(index.geo, circle, index.size), "little")
    marks = as_bytes(wanted, index)
    nearest = geo_grid.nearest(index.geo, circle, marks, wanted.bit_count(), limit, index.name_key)
    chosen = [index.ids[pos] for pos in nearest]
    rows = {p.pk: p for p in card_rows(chosen)}
    programs = [rows[pk] for pk in chosen if pk in rows]
    for nearby in programs:
        nearby.distance = distance_from(place, nearby)
    return attach_card_terms(programs, index)


NOT_CARE = ("location", "radius", "sort", "page")  # what a search's care filters leave out


def search_care_bits(data, index) -> int:
    """The programs a search's care filters keep (FacetCounter.care_bits),
    read through the FilterSet like any search; its place, radius and order
    are left out. A search the FilterSet refuses keeps nothing out."""
    care = data.copy()
    for key in NOT_CARE:
        care.pop(key, None)
    filterset = ProgramFilter(care, queryset=program_base_queryset())
    if not filterset.is_valid():
        return index.everything
    return FacetCounter(filterset, index).care_bits()
